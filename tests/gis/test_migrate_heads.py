"""Revision heads read from the revision files without importing them (fast ``dothi db status``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from analysis.migrations import VERSIONS_DIR as ANALYSIS_VERSIONS
from gis import migrate
from layers.migrations import VERSIONS_DIR as LAYER_VERSIONS

DIRS = (LAYER_VERSIONS, ANALYSIS_VERSIONS)


def _revision(folder: Path, rev: str, down: str) -> None:
    (folder / f"{rev}.py").write_text(
        f'"""{rev}."""\n\nrevision = "{rev}"\ndown_revision{down}\n\n\ndef upgrade() -> None:\n    pass\n',
        encoding="utf-8",
    )


def test_static_heads_equal_alembic_heads_on_the_project() -> None:
    assert migrate.head_revisions(DIRS) == migrate.alembic_heads(DIRS)
    code = (
        "import sys\nfrom pathlib import Path\nfrom gis import migrate\n"
        f"migrate.head_revisions([Path({str(LAYER_VERSIONS)!r}), Path({str(ANALYSIS_VERSIONS)!r})])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('geopandas', 'analysis', 'layers')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "[]"  # no revision module (nor what it imports) was loaded


def test_branches_merges_and_fallback(tmp_path: Path) -> None:
    _revision(tmp_path, "a1", ' = "0001_foundation"')
    _revision(tmp_path, "b1", ': str | None = "0001_foundation"')
    _revision(tmp_path, "b2", ' = "b1"')
    assert migrate.head_revisions([tmp_path]) == {"a1", "b2"} == migrate.alembic_heads([tmp_path])
    _revision(tmp_path, "m1", ' = ("a1", "b2")')
    assert migrate.head_revisions([tmp_path]) == {"m1"} == migrate.alembic_heads([tmp_path])
    # a computed id is not read statically: Alembic decides
    (tmp_path / "c1.py").write_text(
        'REV = "c1"\nrevision = REV\ndown_revision = "m1"\n\n\ndef upgrade() -> None:\n    pass\n',
        encoding="utf-8",
    )
    assert migrate._static_heads([migrate.MIGRATIONS_DIR / "versions", tmp_path]) is None
    assert migrate.head_revisions([tmp_path]) == {"c1"}
