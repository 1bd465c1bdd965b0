"""Alembic revisions for the ``analysis`` schema (run by ``dothi db migrate``)."""

from pathlib import Path

VERSIONS_DIR = Path(__file__).resolve().parent / "versions"
