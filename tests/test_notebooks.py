"""Execute every notebook in notebooks/ against the demo test database and its running server."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from sqlalchemy.engine import URL

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks() -> None:
    assert len(NOTEBOOKS) >= 1


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(
    path: Path,
    demo_api_server: str,
    demo_url: URL,
    demo_data_dir: Path,
    demo_api_key: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    nb = nbformat.read(path, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), (
        f"{path.name} is stored with outputs; clear them"
    )
    monkeypatch.setenv("DOTHI_DB_NAME", str(demo_url.database))
    monkeypatch.setenv("DOTHI_API_URL", demo_api_server)
    monkeypatch.setenv("DOTHI_RASTER_DIR", str(demo_data_dir))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("DOTHI_API_KEY", demo_api_key)
    if os.environ.get("DOTHI_DATABASE_URL"):
        monkeypatch.setenv("DOTHI_DATABASE_URL", demo_url.render_as_string(hide_password=False))
    client = NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors


#: Calls that write or publish results (a notebook uses the process result or the pure functions).
WRITES = (
    "to_postgis",
    "run_all(",
    "compute_and_store",
    "indicators run",
    "INSERT ",
    "UPDATE ",
    "DELETE ",
    "load_frame(",
)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_never_writes_results(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert not [w for w in WRITES if w in code], f"{path.name} writes to the database"
    assert "DOTHI_API_URL" in code or "API" not in code
