"""Run Alembic migrations programmatically (``dothi db migrate``).

The foundation revisions live in :mod:`gis.migrations`; other packages add their own version
folders (e.g. ``layers/migrations``) which the caller passes in, so that ``gis`` imports nothing from
them.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from gis.errors import MigrationError
from gis.extensions import ensure_extensions

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _config(extra_version_dirs: Sequence[Path]) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    dirs = [MIGRATIONS_DIR / "versions", *extra_version_dirs]
    cfg.set_main_option("version_locations", " ".join(str(d) for d in dirs))
    cfg.set_main_option("path_separator", "space")
    return cfg


def head_revisions(extra_version_dirs: Sequence[Path] = ()) -> set[str]:
    """The heads of the revision graph.

    Read from the revision files' literal ``revision`` / ``down_revision`` assignments when every
    file declares them so (Alembic's own template does): Alembic would import each revision
    module, and revisions import the catalogs and registries (pandas, geopandas, seconds of start-up
    for ``dothi db status``).  Any other file shape falls back to Alembic.
    """
    static = _static_heads([MIGRATIONS_DIR / "versions", *extra_version_dirs])
    if static is not None:
        return static
    return alembic_heads(extra_version_dirs)


def alembic_heads(extra_version_dirs: Sequence[Path] = ()) -> set[str]:
    """The heads as Alembic computes them (importing every revision module)."""
    return set(ScriptDirectory.from_config(_config(extra_version_dirs)).get_heads())


def _static_heads(dirs: Sequence[Path]) -> set[str] | None:
    revisions: set[str] = set()
    parents: set[str] = set()
    for folder in dirs:
        for path in sorted(folder.glob("*.py")) if folder.is_dir() else ():
            if path.name == "__init__.py":
                continue
            ids = _literal_ids(path)
            if ids is None:
                return None
            revisions.add(ids[0])
            parents.update(ids[1])
    return revisions - parents if revisions else None


def _literal_ids(path: Path) -> tuple[str, tuple[str, ...]] | None:
    """``(revision, down_revisions)`` of a revision file, or None when they are not plain literals."""
    values: dict[str, object] = {}
    try:
        body = ast.parse(path.read_text(encoding="utf-8")).body
    except SyntaxError:
        return None  # Alembic reports it
    for node in body:
        target, value = _assignment(node)
        if target in ("revision", "down_revision") and value is not None:
            try:
                values[target] = ast.literal_eval(value)
            except ValueError:
                return None
    revision, parents = values.get("revision"), _parents(values.get("down_revision", ...))
    return (revision, parents) if isinstance(revision, str) and parents is not None else None


def _parents(down: object) -> tuple[str, ...] | None:
    """``down_revision`` as a tuple (None, one id or several); None when it is something else."""
    if down is None:
        return ()
    if isinstance(down, str):
        return (down,)
    if isinstance(down, tuple | list) and all(isinstance(d, str) for d in down):
        return tuple(down)
    return None


def _assignment(node: ast.stmt) -> tuple[str | None, ast.expr | None]:
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
        return node.targets[0].id, node.value
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return node.target.id, node.value
    return None, None


def current_revisions(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads())


def upgrade(engine: Engine, *, extra_version_dirs: Sequence[Path] = (), revision: str = "heads") -> None:
    """Upgrade the database to ``revision`` (all heads by default), in one transaction.

    The extensions the schema needs are created first, or named in the error when the role may not.
    """
    ensure_extensions(engine)
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


def known_revisions(extra_version_dirs: Sequence[Path] = ()) -> set[str]:
    """Every revision id this code has (a backup at any of them can be restored and upgraded)."""
    script = ScriptDirectory.from_config(_config(extra_version_dirs))
    return {rev.revision for rev in script.walk_revisions()}
