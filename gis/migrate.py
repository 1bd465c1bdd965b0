"""Run Alembic migrations programmatically (``dothi db migrate``).

The foundation revisions live in :mod:`gis.migrations`; other packages add their own version
folders (e.g. ``layers/migrations``) which the caller passes in, so that ``gis`` imports nothing from
them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from gis.errors import MigrationError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _config(extra_version_dirs: Sequence[Path]) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    dirs = [MIGRATIONS_DIR / "versions", *extra_version_dirs]
    cfg.set_main_option("version_locations", " ".join(str(d) for d in dirs))
    cfg.set_main_option("path_separator", "space")
    return cfg


def head_revisions(extra_version_dirs: Sequence[Path] = ()) -> set[str]:
    return set(ScriptDirectory.from_config(_config(extra_version_dirs)).get_heads())


def current_revisions(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads())


def upgrade(engine: Engine, *, extra_version_dirs: Sequence[Path] = (), revision: str = "heads") -> None:
    """Upgrade the database to ``revision`` (all heads by default), in one transaction."""
    cfg = _config(extra_version_dirs)
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    except Exception as exc:
        raise MigrationError(f"Upgrading the database schema to {revision!r} failed: {exc}") from exc


def downgrade(engine: Engine, *, extra_version_dirs: Sequence[Path] = (), revision: str = "base") -> None:
    """Downgrade the database to ``revision`` (everything removed by default)."""
    cfg = _config(extra_version_dirs)
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, revision)
    except Exception as exc:
        raise MigrationError(f"Downgrading the database schema to {revision!r} failed: {exc}") from exc
