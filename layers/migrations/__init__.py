"""Alembic revisions that create the catalog's layer tables (run by ``dothi db migrate``)."""

from pathlib import Path

VERSIONS_DIR = Path(__file__).resolve().parent / "versions"
