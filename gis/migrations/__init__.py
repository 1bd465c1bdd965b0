"""Alembic environment of dothi (the foundation revisions live in ``versions/``)."""
