"""The whole catalogue through the runner on the tiny city, loaded into a real PostGIS database.

Vector layers go in with the atomic loader (synthetic = true); the population grid and the
elevation model are tiny COGs written here and listed in ``catalog.rasters``, as the raster loader
does.  Expected values are those hand-computed in the pure tests (tests/analysis/city.py).
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import rasterio.shutil
import sqlalchemy as sa
from click.testing import CliRunner
from rasterio.io import MemoryFile
from rasterio.transform import from_origin
from sqlalchemy.engine import URL, Engine

from analysis.errors import MissingInputError
from analysis.registry import FLOOD_EXPOSURE, INDICATORS, TRANSIT_ACCESS
from analysis.runner import run_all, run_indicator
from api_config.cli import cli
from gis import migrate
from gis.engine import create_engine, database_url, drop_database, ensure_database
from gis.settings import DatabaseSettings
from layers import catalog
from layers.load import SourceInfo, load_frame
from tests.analysis import city
from tests.analysis.test_landconsumption_pure import census
from tests.conftest import VERSION_DIRS

SOURCE = SourceInfo(path="tests/analysis/city.py", checksum="tiny-city-v1", synthetic=True)


def _cog(path: Path, array: np.ndarray, *, cell: float) -> None:
    profile = {
        "driver": "GTiff",
        "dtype": "float32",
        "width": array.shape[1],
        "height": array.shape[0],
        "count": 1,
        "crs": "EPSG:32648",
        "transform": from_origin(city.X0, city.Y0 + 1000, cell, cell),
        "nodata": -1.0,
    }
    with MemoryFile() as mem:
        with mem.open(**profile) as dst:
            dst.write(array.astype("float32"), 1)
        with mem.open() as src:
            rasterio.shutil.copy(src, path, driver="COG")


def _register_raster(engine: Engine, layer: str, path: str, shape: tuple[int, int], year: int = 2020) -> None:
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO catalog.rasters (layer, year, path, crs, resolution_m, width, height, bbox, "
                "checksum, synthetic, source, load_id) VALUES (:layer, :year, :path, 'EPSG:32648', 100, "
                ":w, :h, ARRAY[0,0,0,0]::float8[], :checksum, true, 'tests', 1)"
            ),
            {
                "layer": layer,
                "year": year,
                "path": path,
                "w": shape[1],
                "h": shape[0],
                "checksum": f"{path}-v1",
            },
        )


def _load_vectors(engine: Engine) -> None:
    stops = city.points("stop_id", [{"xy": (500, 500), "mode": "bus", "capacity": "low"}])
    health = city.points("facility_id", [{"xy": (500, 500), "type": "hospital", "beds": 60}])
    schools = city.points("school_id", [{"xy": (500, 500), "level": "primary", "capacity": 40}])
    green = city.green([(city.rect(600, 600, 900, 900), "park", True)])
    canal = gpd.GeoDataFrame(
        {"water_id": ["c"], "type": ["canal"]}, geometry=[city.rect(0, 0, 100, 1000)], crs=city.CRS
    )
    buildings = city.points("building_id", [{"xy": (250, 250), "use": "residential"}])
    buildings = buildings.set_geometry(buildings.buffer(5, cap_style="square"))
    frames = {
        catalog.ADMIN_UNITS: city.units(),
        catalog.ROADS: city.roads(),
        catalog.TRANSIT_STOPS: stops,
        catalog.HEALTH_FACILITIES: health,
        catalog.SCHOOLS: schools,
        catalog.GREEN_SPACES: green,
        catalog.WATER_BODIES: canal,
        catalog.BUILDINGS: buildings,
        catalog.MARKETS: city.points("market_id", [{"xy": (10, 10), "type": "market"}]),
        catalog.POPULATION_CENSUS: census({2009: (500, 1500), 2019: (1000, 3000)}),
        catalog.LAND_USE: gpd.GeoDataFrame(
            {"zone_id": ["z1", "z2"], "code": ["ODT", "TMD"], "status": "current"},
            geometry=[city.rect(0, 0, 500, 1000), city.rect(500, 0, 1000, 1000)],
            crs=city.CRS,
        ),
    }
    for spec, frame in frames.items():
        load_frame(engine, spec, frame.assign(synthetic=True), source=SOURCE)


@pytest.fixture(scope="module")
def city_db(
    db_settings: DatabaseSettings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Engine, URL, Path]]:
    base = database_url(db_settings)  # db_settings: the cluster is up
    url = base.set(database=f"{base.database}_indicators_{os.getpid()}")
    drop_database(url)
    ensure_database(url)
    engine = create_engine(url)
    migrate.upgrade(engine, extra_version_dirs=VERSION_DIRS)
    _load_vectors(engine)
    data_dir = tmp_path_factory.mktemp("data")
    (data_dir / "rasters").mkdir()
    pop = np.hstack([np.full((10, 10), 10.0), np.full((10, 10), 30.0)])  # = the census, per cell
    elev = np.full((10, 20), 1.0)
    elev[:, 9] = 3.0  # a ridge west of the ward boundary
    _cog(data_dir / "rasters" / "pop.tif", pop, cell=100)
    _cog(data_dir / "rasters" / "elev.tif", elev, cell=100)
    _register_raster(engine, "environment.population_grid", "rasters/pop.tif", pop.shape)
    _register_raster(engine, "environment.elevation", "rasters/elev.tif", elev.shape)
    for year, share in ((2010, 0.25), (2020, 0.5)):  # W1 and W2 built-up doubles in ten years
        _cog(data_dir / "rasters" / f"built{year}.tif", np.full((10, 20), share), cell=100)
        _register_raster(engine, "environment.built_up", f"rasters/built{year}.tif", (10, 20), year)
    yield engine, url, data_dir
    engine.dispose()
    drop_database(url)


def _values(engine: Engine, table: str, column: str) -> dict[str, float]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(f"SELECT unit_id, {column} FROM analysis.{table} WHERE level <> 'grid'")  # noqa: S608
        ).all()
    return {r[0]: r[1] for r in rows}


def test_whole_catalogue_runs_and_matches_hand_values(city_db) -> None:
    engine, _, data_dir = city_db
    params = {"health_beds_2sfca": {"catchment_m": "500"}}
    reports = run_all(engine, data_dir=data_dir, params=params)
    assert [r.indicator_id for r in reports] == list(INDICATORS)
    assert all(r.rows > 0 and not r.unchanged for r in reports)
    transit = _values(engine, "transit_access", "share_pct")
    assert transit["2019-W1"] == pytest.approx(60.0)
    assert transit["2019-city"] == pytest.approx(15.0)
    assert _values(engine, "health_beds_2sfca", "beds_per_1000")["2019-W1"] == pytest.approx(60.0)
    assert _values(engine, "education_access", "primary_seats_per_child")["2019-W1"] == pytest.approx(0.5)
    assert _values(engine, "green_area", "public_green_m2_per_person")["2019-W1"] == pytest.approx(
        90.0, rel=1e-6
    )
    assert _values(engine, "street_network", "gamma")["2019-W2"] == pytest.approx(2 / 3)
    assert _values(engine, "flood_exposure", "population_h1")["2019-W1"] == pytest.approx(900.0)
    assert _values(engine, "flood_exposure", "population_h1")["2019-W2"] == 0.0
    # built-up ×2 from 2010 to 2020, census ×2 from 2009 to 2019 (land.population_census)
    assert _values(engine, "sdg_11_3_1", "lcrpgr")["2019-city"] == pytest.approx(1.0)
    assert _values(engine, "sdg_11_3_1", "lcrpgr")["2019-W2"] == pytest.approx(1.0)
    assert "2010→2020 ↔ census 2009→2019" in _values(engine, "sdg_11_3_1", "pairing")["2019-W1"]
    assert _values(engine, "land_use_mix", "entropy")["2019-W1"] == pytest.approx(np.log(2) / np.log(5))
    assert _values(engine, "building_form", "footprint_m2")["2019-W1"] == pytest.approx(100.0, rel=1e-6)
    sources = _values(engine, "transit_access", "population_source")
    assert set(sources.values()) == {"population_grid 2020 (cell centres)"}


def test_grid_rows_and_provenance_of_rasters(city_db) -> None:
    engine, _, data_dir = city_db
    run_indicator(engine, TRANSIT_ACCESS, data_dir=data_dir)
    with engine.connect() as conn:
        grid = conn.execute(
            sa.text(
                "SELECT count(*), count(vintage), sum((share_pct = 100)::int), "
                "min(ST_Area(geom::geography)), max(ST_Area(geom::geography)) "
                "FROM analysis.transit_access WHERE level = 'grid'"
            )
        ).one()
        run = conn.execute(
            sa.text("SELECT inputs FROM analysis.indicator_runs WHERE indicator_id = 'flood_exposure'")
        ).scalar_one()
    assert grid[0] == 200 and grid[1] == 0 and grid[2] == 60
    assert grid[3] == pytest.approx(10_000, rel=2e-3) and grid[4] == pytest.approx(10_000, rel=2e-3)
    assert run["environment.elevation"][0]["checksum"] == "rasters/elev.tif-v1"
    assert "infrastructure.roads" in run and "land.buildings" in run


def test_rerun_is_a_no_op_and_a_new_parameter_is_not(city_db) -> None:
    engine, _, data_dir = city_db
    run_indicator(engine, FLOOD_EXPOSURE, data_dir=data_dir)
    assert run_indicator(engine, FLOOD_EXPOSURE, data_dir=data_dir).unchanged
    report = run_indicator(engine, FLOOD_EXPOSURE, data_dir=data_dir, params={"level_1_m": "3.5"})
    assert not report.unchanged
    assert _values(engine, "flood_exposure", "population_h1")["2019-W2"] == pytest.approx(3000.0)


def test_missing_and_empty_inputs_are_named(city_db, tmp_path: Path) -> None:
    engine, _, data_dir = city_db
    needs_parcels = dataclasses.replace(TRANSIT_ACCESS, inputs=(*TRANSIT_ACCESS.inputs, "parcels"))
    with pytest.raises(MissingInputError, match=r"land\.parcels, which have never been loaded"):
        run_indicator(engine, needs_parcels, data_dir=data_dir)
    with pytest.raises(MissingInputError, match=r"environment\.elevation .*does not exist"):
        run_indicator(engine, FLOOD_EXPOSURE, data_dir=tmp_path, force=True)
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM infrastructure.markets"))
    needs_markets = dataclasses.replace(TRANSIT_ACCESS, inputs=(*TRANSIT_ACCESS.inputs, "markets"))
    with pytest.raises(MissingInputError, match=r"infrastructure\.markets is empty"):
        run_indicator(engine, needs_markets, data_dir=data_dir)


def test_cli_show_grid_json_and_text(city_db) -> None:
    engine, url, data_dir = city_db
    run_indicator(engine, TRANSIT_ACCESS, data_dir=data_dir)
    env = {"DOTHI_DATABASE_URL": url.render_as_string(hide_password=False)}
    runner = CliRunner()
    out = runner.invoke(cli, ["indicators", "show", "transit_access", "--level", "grid", "--json"], env=env)
    assert out.exit_code == 0, out.output
    cells = json.loads(out.stdout)
    assert len(cells) == 200 and {c["level"] for c in cells} == {"grid"}
    assert sum(c["value"] == 100 for c in cells) == 60
    text = runner.invoke(cli, ["indicators", "show", "transit_access"], env=env).stdout
    assert "grid  200 cells: min 0.0, median 0.0, max 100.0" in text  # precision 1
    assert "Phường Một" in text
    bad = runner.invoke(cli, ["indicators", "show", "green_area", "--level", "grid"], env=env)
    assert bad.exit_code == 2 and "green_area reports at city, ward, not grid" in bad.output
