"""``dothi export`` of indicator results: any level and vintage, GeoPackage / GeoParquet / CSV,
the format from the file's suffix; read back with pyogrio, geopandas and pandas."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine

from analysis.errors import IndicatorError
from analysis.export import available, export_indicator
from analysis.registry import get_indicator
from layers.errors import LayerError

SPEC = get_indicator("population_density")


def _values(engine: Engine, level: str, vintage: int | None) -> dict[str, float]:
    query = sa.text(
        f"SELECT unit_id, {SPEC.value_column} FROM analysis.{SPEC.table} "  # noqa: S608 - registry names
        "WHERE level = :level AND vintage IS NOT DISTINCT FROM :vintage"
    )
    with engine.connect() as conn:
        return {r[0]: r[1] for r in conn.execute(query, {"level": level, "vintage": vintage})}


def _read(path: Path) -> pd.DataFrame:
    if path.suffix == ".csv":
        return pd.read_csv(path, dtype={"unit_id": str})
    if path.suffix == ".parquet":
        return gpd.read_parquet(path)
    return pyogrio.read_dataframe(path)


@pytest.mark.parametrize("suffix", [".gpkg", ".parquet", ".csv"])
def test_every_level_and_vintage_exports(loaded: Engine, tmp_path: Path, suffix: str) -> None:
    present = available(loaded, SPEC)
    assert {lv for lv, _, _ in present} >= {"city", "ward"}
    for level, vintage, rows in present:
        path = tmp_path / f"{level}-{vintage}{suffix}"
        report = export_indicator(loaded, SPEC, path, level=level, vintage=vintage)
        assert report.format == {".gpkg": "gpkg", ".parquet": "parquet", ".csv": "csv"}[suffix]
        frame = _read(path)
        assert len(frame) == rows == report.features
        assert set(frame["level"]) == {level}
        got = dict(zip(frame["unit_id"].astype(str), frame[SPEC.value_column], strict=True))
        expected = _values(loaded, level, vintage)
        assert got.keys() == expected.keys()
        assert all(abs(got[k] - v) < 1e-6 for k, v in expected.items() if v is not None)
        if suffix == ".csv":
            assert frame["wkt"].str.startswith("MULTIPOLYGON").all()
        else:
            assert frame.crs.to_epsg() == 4326


def test_everything_without_level(loaded: Engine, tmp_path: Path) -> None:
    report = export_indicator(loaded, SPEC, tmp_path / "all.gpkg")
    assert report.features == sum(n for _, _, n in available(loaded, SPEC))


def test_clear_errors(loaded: Engine, tmp_path: Path) -> None:
    with pytest.raises(LayerError, match="suffix"):
        export_indicator(loaded, SPEC, tmp_path / "x.txt")
    with pytest.raises(IndicatorError, match="no results at ward 1900") as err:
        export_indicator(loaded, SPEC, tmp_path / "x.gpkg", level="ward", vintage=1900)
    assert "ward 2025" in str(err.value.hint)
    with pytest.raises(LayerError, match="does not exist"):
        export_indicator(loaded, SPEC, tmp_path / "missing" / "x.gpkg")


def test_cli_export_takes_format_from_suffix(
    loaded: Engine, test_url: URL, dothi_cli: list[str], tmp_path: Path
) -> None:
    env = dict(os.environ, DOTHI_DB_NAME=str(test_url.database))
    if os.environ.get("DOTHI_DATABASE_URL"):
        env["DOTHI_DATABASE_URL"] = test_url.render_as_string(hide_password=False)
    out = tmp_path / "wards.parquet"
    done = subprocess.run(
        [*dothi_cli, "--json", "export", SPEC.id, str(out), "--level", "ward", "--vintage", "2025"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["format"] == "parquet"
    assert len(gpd.read_parquet(out)) == len(_values(loaded, "ward", 2025))
    bad = subprocess.run(
        [*dothi_cli, "export", "admin_units", str(tmp_path / "a.gpkg"), "--level", "ward"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )
    assert bad.returncode != 0 and "--level" in bad.stderr
