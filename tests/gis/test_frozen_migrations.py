"""The frozen revisions build exactly the schema release v0.1.0's catalog-driven revisions built.

``tests/data/release-0.1.0.dump`` holds a database migrated by v0.1.0's own code; its schema-only
dump must equal that of a fresh database migrated by today's revisions up to v0.1.0's head.  The
revisions must also read nothing from the live catalog or registry.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sqlalchemy.engine import URL

from analysis.migrations import VERSIONS_DIR as ANALYSIS_VERSIONS
from gis import migrate, pgtools
from gis.engine import create_engine
from gis.migrate import MIGRATIONS_DIR
from layers.migrations import VERSIONS_DIR as LAYER_VERSIONS
from tests.conftest import VERSION_DIRS
from tests.gis.test_release_upgrade import FIXTURE, RELEASE_HEADS, _restore_fixture

REVISION_FILES = sorted(
    p for d in (MIGRATIONS_DIR / "versions", LAYER_VERSIONS, ANALYSIS_VERSIONS) for p in d.glob("*.py")
)


def _schema(url: URL) -> list[str]:
    out = pgtools.run([pgtools.client("pg_dump"), "--schema-only", "--no-owner"], url, what="schema dump")
    lines = out.decode("utf-8").splitlines()
    return [ln for ln in lines if ln and not ln.startswith(("--", "\\restrict", "\\unrestrict"))]


def test_frozen_revisions_rebuild_the_release_schema(scratch_url: URL, tmp_path: Path) -> None:
    _restore_fixture(scratch_url)
    release = _schema(scratch_url)
    engine = create_engine(scratch_url)
    try:
        migrate.downgrade(engine, extra_version_dirs=VERSION_DIRS, revision="base")
        (revision,) = RELEASE_HEADS
        migrate.upgrade(engine, extra_version_dirs=VERSION_DIRS, revision=revision)
    finally:
        engine.dispose()
    rebuilt = _schema(scratch_url)
    assert len(release) > 500 and FIXTURE.stat().st_size < 5_000_000
    assert rebuilt == release


@pytest.mark.parametrize("path", REVISION_FILES, ids=lambda p: p.name)
def test_no_revision_imports_the_live_catalog(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    modules |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    live = {m for m in modules if m.split(".")[0] in {"layers", "analysis", "api_config"}}
    assert not live, f"{path.name} imports {sorted(live)}: a revision must describe its tables itself"
