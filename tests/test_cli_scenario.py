"""`dothi scenario …` end to end on the demo test database (in-process CLI, real files)."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
from click.testing import CliRunner, Result
from shapely.geometry import Point
from sqlalchemy.engine import URL

from api_config.cli import cli
from layers.notices import SCENARIO_RESULT


@pytest.fixture
def run(demo_url: URL, demo_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("DOTHI_DATABASE_URL", demo_url.render_as_string(hide_password=False))
    monkeypatch.setenv("DOTHI_DATA_DIR", str(demo_data_dir))
    return CliRunner()


def _ok(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.output


def test_create_edit_evaluate_compare_export_report_delete(run: CliRunner, tmp_path: Path) -> None:
    new = tmp_path / "school.gpkg"
    gpd.GeoDataFrame(
        {"school_id": ["cli-new"], "level": ["primary"], "capacity": [500]},
        geometry=[Point(106.362, 10.358)],
        crs=4326,
    ).to_file(new)
    bad = tmp_path / "bad.gpkg"
    gpd.GeoDataFrame(
        {"school_id": ["cli-bad"], "level": ["nursery"]}, geometry=[Point(106.362, 10.358)], crs=4326
    ).to_file(bad)
    _ok(
        run.invoke(
            cli, ["scenario", "create", "t-cli", "--title-vi", "Trường mới", "--title-en", "New school"]
        )
    )
    _ok(run.invoke(cli, ["scenario", "edit", "t-cli", "--layer", "schools", "--add", str(new)]))
    refused = run.invoke(cli, ["scenario", "edit", "t-cli", "--layer", "schools", "--add", str(bad)])
    assert refused.exit_code == 2 and "nursery" in refused.output and "nothing was applied" in refused.output
    shown = json.loads(_ok(run.invoke(cli, ["--json", "scenario", "show", "t-cli"])))
    assert [e["feature_id"] for e in shown["effective_edits"]] == ["cli-new"]
    assert shown["baseline_changed"] == [] and shown["edits_no_longer_apply"] == []
    out = _ok(run.invoke(cli, ["scenario", "evaluate", "t-cli", "--indicator", "education_access"]))
    assert SCENARIO_RESULT["en"] in out and "education_access (incremental" in out
    compared = _ok(run.invoke(cli, ["scenario", "compare", "t-cli", "--indicator", "education_access"]))
    assert "2025-city" in compared
    _ok(run.invoke(cli, ["scenario", "copy", "t-cli", "t-cli-2"]))
    _ok(run.invoke(cli, ["scenario", "rename", "t-cli-2", "t-cli-3"]))
    listed = _ok(run.invoke(cli, ["scenario", "list"]))
    assert "t-cli " in listed and "t-cli-3" in listed and "t-cli-2 " not in listed
    exported = tmp_path / "edits.geojson"
    _ok(run.invoke(cli, ["scenario", "export", "t-cli", str(exported)]))
    assert gpd.read_file(exported)["feature_id"].tolist() == ["cli-new"]
    for lang in ("vi", "en"):
        page = tmp_path / f"report-{lang}.html"
        _ok(
            run.invoke(
                cli,
                [
                    "scenario",
                    "report",
                    "t-cli",
                    "--lang",
                    lang,
                    "-o",
                    str(page),
                    "--indicator",
                    "education_access",
                ],
            )
        )
        text = page.read_text(encoding="utf-8")
        assert (
            SCENARIO_RESULT[lang] in text
            and "data:image/svg+xml;base64," in text
            and "education_access" in text
        )
    for name in ("t-cli-3", "t-cli"):
        _ok(run.invoke(cli, ["scenario", "delete", name]))
    gone = run.invoke(cli, ["scenario", "show", "t-cli"])
    assert gone.exit_code == 2 and "No scenario named" in gone.output
