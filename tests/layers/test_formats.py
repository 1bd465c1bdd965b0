"""Every supported format loads into a layer and exports back, Vietnamese diacritics intact."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
from sqlalchemy.engine import URL, Engine

from layers.catalog import MARKETS
from layers.export import FORMATS, export_layer, read_layer
from layers.load import load_file
from layers.readers import read_source
from tests.layers.conftest import markets_frame


def _zip_shapefile(
    frame: gpd.GeoDataFrame, folder: Path, *, encoding: str = "UTF-8", cpg: bool = True
) -> Path:
    shp = folder / "cho.shp"
    pyogrio.write_dataframe(frame, shp, driver="ESRI Shapefile", encoding=encoding)
    archive = folder / "cho.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in folder.glob("cho.*"):
            if part.suffix != ".zip" and (cpg or part.suffix != ".cpg"):
                zf.write(part, part.name)
    return archive


def _write(fmt: str, frame: gpd.GeoDataFrame, folder: Path) -> tuple[Path, dict[str, str]]:
    """Write ``frame`` as ``fmt``; return the path and the extra load options it needs."""
    if fmt == "shp":
        return _zip_shapefile(frame, folder), {}
    if fmt == "parquet":
        frame.to_parquet(folder / "cho.parquet")
        return folder / "cho.parquet", {}
    if fmt == "csv-lonlat":
        table = frame.drop(columns="geometry").assign(lon=frame.geometry.x, lat=frame.geometry.y)
        table.to_csv(folder / "cho.csv", index=False)
        return folder / "cho.csv", {"crs": "EPSG:4326"}
    if fmt == "csv-wkt":
        table = frame.drop(columns="geometry").assign(wkt=frame.geometry.to_wkt())
        table.to_csv(folder / "cho.csv", index=False)
        return folder / "cho.csv", {"crs": "EPSG:4326"}
    driver, suffix = {"gpkg": ("GPKG", "gpkg"), "geojson": ("GeoJSON", "geojson"), "fgb": ("FlatGeobuf", "fgb"),
                      "kml": ("KML", "kml")}[fmt]  # fmt: skip
    path = folder / f"cho.{suffix}"
    pyogrio.write_dataframe(frame, path, driver=driver, layer="cho")
    return path, {}


@pytest.mark.parametrize("fmt", ["gpkg", "geojson", "shp", "parquet", "fgb", "csv-lonlat", "csv-wkt", "kml"])
def test_each_format_loads_with_diacritics(fmt: str, tmp_path: Path, mt_engine: Engine) -> None:
    source = markets_frame()
    path, options = _write(fmt, source, tmp_path)
    report = load_file(mt_engine, MARKETS, path, progress=None, **options)
    assert report.written == 3 and not report.unchanged
    back = read_layer(mt_engine, MARKETS).set_index("market_id")
    assert back.loc["m-3", "name"] == "Chợ Đạo Thạnh"
    assert back.loc["m-2", "name"] == "Siêu thị Co.opmart Mỹ Tho"
    assert back.loc["m-1", "type"] == "market"
    assert back.geometry.loc["m-1"].distance(source.geometry[0]) < 1e-9
    assert not back["synthetic"].any()
    if fmt != "kml":  # KML keeps only name/description reliably; the others keep numbers
        assert back.loc["m-1", "stalls"] == 420 and back["stalls"].isna().sum() == 1


def test_same_file_twice_is_a_no_op_and_options_count(tmp_path: Path, mt_engine: Engine) -> None:
    path, _ = _write("gpkg", markets_frame(), tmp_path)
    load_file(mt_engine, MARKETS, path)
    again = load_file(mt_engine, MARKETS, path)
    assert again.unchanged and again.written == 0
    renamed = markets_frame().rename(columns={"stalls": "so_sap"})
    path2, _ = _write("geojson", renamed, tmp_path)
    report = load_file(mt_engine, MARKETS, path2, renames={"so_sap": "stalls"})
    assert report.written == 3
    assert read_layer(mt_engine, MARKETS).set_index("market_id").loc["m-3", "stalls"] == 85


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_round_trips(fmt: str, tmp_path: Path, mt_engine: Engine) -> None:
    path, _ = _write("gpkg", markets_frame(), tmp_path)
    load_file(mt_engine, MARKETS, path)
    target = tmp_path / f"out.{fmt}"
    report = export_layer(mt_engine, MARKETS, target, fmt=fmt)
    assert report.features == 3
    options = {"crs": "EPSG:4326"} if fmt == "csv" else {}
    back = read_source(report.path, **options).frame
    assert len(back) == 3
    names = set(back["name"])
    assert "Chợ Đạo Thạnh" in names and "Siêu thị Co.opmart Mỹ Tho" in names


def test_tcvn3_shapefile_is_converted(tmp_path: Path, mt_engine: Engine) -> None:
    """A legacy TCVN3 (.VnTime) shapefile without .cpg: names come out in Unicode."""
    frame = markets_frame()
    tcvn3 = {"Chợ Mỹ Tho": "Chî Mü Tho", "Siêu thị Co.opmart Mỹ Tho": "Si\xaau thÞ Co.opmart Mü Tho",
             "Chợ Đạo Thạnh": "Chî §¹o Th¹nh"}  # fmt: skip
    frame["name"] = frame["name"].map(tcvn3)
    path = _zip_shapefile(frame, tmp_path, encoding="latin1", cpg=False)
    report = load_file(mt_engine, MARKETS, path)
    assert any("tcvn3" in note for note in report.notes)
    names = set(read_layer(mt_engine, MARKETS)["name"])
    assert names == {"Chợ Mỹ Tho", "Siêu thị Co.opmart Mỹ Tho", "Chợ Đạo Thạnh"}


def test_cli_load_export_and_errors(tmp_path: Path, mt_url: URL) -> None:
    """`dothi load <layer> <file>` (the generic path of the load group), `export`, exit codes."""
    from click.testing import CliRunner

    from api_config.cli import cli

    env = {"DOTHI_DATABASE_URL": mt_url.render_as_string(hide_password=False)}
    frame = markets_frame().rename(columns={"type": "loai"})
    table = frame.drop(columns="geometry").assign(lon=frame.geometry.x, lat=frame.geometry.y)
    table.to_csv(tmp_path / "cho.csv", index=False)
    runner = CliRunner()
    no_crs = runner.invoke(cli, ["load", "markets", str(tmp_path / "cho.csv"), "--map", "loai=type"], env=env)
    assert no_crs.exit_code == 5 and "has no coordinate reference system" in no_crs.output
    args = ["load", "markets", str(tmp_path / "cho.csv"), "--map", "loai=type", "--crs", "EPSG:4326"]
    ok = runner.invoke(cli, ["--json", *args], env=env)
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout)[0]["written"] == 3
    text = runner.invoke(cli, args, env=env)
    assert "unchanged" in text.stdout
    out = tmp_path / "cho.fgb"
    exported = runner.invoke(cli, ["export", "markets", str(out), "--format", "fgb"], env=env)
    assert exported.exit_code == 0 and "3 feature(s)" in exported.stdout
    assert set(read_source(out).frame["name"]) == set(markets_frame()["name"])
    unknown = runner.invoke(cli, ["load", "cafes", str(tmp_path / "cho.csv")], env=env)
    assert unknown.exit_code == 10 and "Unknown layer 'cafes'" in unknown.output


def test_content_checksum_sees_every_change(tmp_path: Path, mt_engine: Engine) -> None:
    """The unchanged-contents checks of the bad-input tests rely on this."""
    import sqlalchemy as sa

    from tests.layers.conftest import checksum

    path, _ = _write("gpkg", markets_frame(), tmp_path)
    load_file(mt_engine, MARKETS, path)
    seen = {checksum(mt_engine, MARKETS)}
    changes = [
        "UPDATE infrastructure.markets SET name = 'Chợ Mỹ Tho ' WHERE market_id = 'm-1'",
        "UPDATE infrastructure.markets SET stalls = 421 WHERE market_id = 'm-1'",
        "UPDATE infrastructure.markets SET geom = ST_Translate(geom, 1e-7, 0) WHERE market_id = 'm-2'",
        "DELETE FROM infrastructure.markets WHERE market_id = 'm-3'",
    ]
    for change in changes:
        with mt_engine.begin() as conn:
            conn.execute(sa.text(change))
        seen.add(checksum(mt_engine, MARKETS))
    assert len(seen) == len(changes) + 1
    assert checksum(mt_engine, MARKETS)[0] == 2
    assert load_file(mt_engine, MARKETS, path).written == 3  # not a no-op: the table changed
