"""One Dask run over several study areas: a real `dask scheduler` and two `dask worker` processes
compute Mỹ Tho and a second area that overlaps it on the ground (two of its communes are Mỹ Tho
wards, as the former province contains the city), partitioned by area then by tiles; every
published value of each area equals the serial run of that area alone, to the indicator's
precision, and each run row names its area and partitions.

Reads filtered only by extent would mix the two areas' features here: the test fails then.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from psycopg2 import sql
from sqlalchemy.engine import Engine

from analysis.distributed.choose import _needs_partitions, resolve_areas, run_indicators
from analysis.distributed.cluster import SCHEDULER_ENV
from analysis.registry import get_indicator
from gis.engine import create_engine, drop_database
from gis.settings import DatabaseSettings
from layers.areas import get_area
from layers.sources import mytho, tien_giang
from layers.synthetic.context import city_from_units
from layers.synthetic.generate import generate, generate_and_load, load_synthetic
from tests.analysis.test_dask_run import DASK, _same, _serving
from tests.conftest import free_port
from tests.layers.conftest import _migrated

pytestmark = pytest.mark.db

AREA = "tg_dask"
#: Phường 5 and Phường 4 of Mỹ Tho, loaded again as a second area (overlapping the first).
COMMUNES = ("8070101", "8070103")
MYTHO_WARDS = ("8070105", "8070107", "8070109")
SEED = 2019
#: Tiled (population_density, transit_access) and whole-area (green_area, street_network).
SUBSET = ("population_density", "transit_access", "green_area", "street_network")


@pytest.fixture(scope="module")
def two_areas(
    db_settings: DatabaseSettings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Engine, Path, str]]:
    """Mỹ Tho (real units and census, synthetic layers on three wards) and a second area."""
    url = _migrated(db_settings, "dask_areas")
    engine = create_engine(url)
    data_dir = tmp_path_factory.mktemp("dask-areas-data")
    mytho.load_bundles(engine)
    wards = mytho.admin_units_2019().frame
    city = city_from_units(wards[wards["code"].isin(MYTHO_WARDS)], seed=SEED, scale=0.1)
    load_synthetic(engine, data_dir, generate(seed=SEED, city=city), area="mytho")
    tien_giang.load(engine, area=AREA, communes=COMMUNES)
    generate_and_load(engine, data_dir, seed=SEED, scale=0.2, area=AREA)
    yield engine, data_dir, url.render_as_string(hide_password=False)
    engine.dispose()
    drop_database(url)


@pytest.fixture(scope="module")
def scheduler(two_areas: tuple[Engine, Path, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real scheduler and two single-thread workers reaching PostGIS with their own
    DOTHI_DATABASE_URL."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    logs = tmp_path_factory.mktemp("dask-areas")
    env = {**os.environ, "DOTHI_DATABASE_URL": two_areas[2]}
    env.pop(SCHEDULER_ENV, None)
    quiet = ["--no-dashboard"]
    commands = {
        "scheduler": [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port), *quiet],
        **{
            f"worker{i}": [str(DASK), "worker", address, "--nthreads", "1", "--host", "127.0.0.1", *quiet]
            for i in range(2)
        },
    }
    procs = []
    with ExitStack() as files:
        for name, command in commands.items():
            log = files.enter_context((logs / f"{name}.log").open("wb"))
            procs.append(subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log, env=env))
        yield from _serving(address, procs)


def _published(engine: Engine, indicator: str, area: str) -> dict[tuple[Any, ...], dict[str, Any]]:
    spec = get_indicator(indicator)
    names = [c.name for c in spec.result_columns]
    query = sql.SQL("SELECT result_id, vintage, {} FROM {} WHERE area = %(area)s").format(
        sql.SQL(", ").join(sql.Identifier(n) for n in names), sql.Identifier("analysis", spec.table)
    )
    with engine.connect() as conn:
        cur = conn.connection.driver_connection.cursor()
        cur.execute(query, {"area": area})
        return {tuple(r[:2]): dict(zip(names, r[2:], strict=True)) for r in cur.fetchall()}


def _runs(engine: Engine, indicator: str) -> dict[str, dict[str, Any]]:
    """The latest run of ``indicator`` in each area: its execution record and run id."""
    with engine.connect() as conn:
        cur = conn.connection.driver_connection.cursor()
        cur.execute(
            "SELECT DISTINCT ON (area) area, run_id, execution FROM analysis.indicator_runs "
            "WHERE indicator_id = %(i)s ORDER BY area, run_id DESC",
            {"i": indicator},
        )
        return {r[0]: {"run_id": r[1], "execution": r[2]} for r in cur.fetchall()}


def test_one_dask_run_over_two_areas_matches_each_serial_run(
    two_areas: tuple[Engine, Path, str], scheduler: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, data_dir, _ = two_areas
    assert resolve_areas(engine, "all") == ["mytho", AREA]
    assert resolve_areas(engine, None) == ["mytho"]
    # auto: two small areas (≈ 150 km² of extents in all) stay in one process unless tiles are asked for
    assert not _needs_partitions(engine, list(SUBSET), None, ["mytho", AREA])
    assert _needs_partitions(engine, list(SUBSET), 2, ["mytho", AREA])

    # serial: each area on its own
    serial_reports = run_indicators(
        engine, mode="serial", only=SUBSET, area=["mytho", AREA], force=True, data_dir=data_dir
    )
    assert [(r.indicator_id, r.area) for r in serial_reports] == [
        (i, a) for a in ("mytho", AREA) for i in SUBSET
    ]
    serial = {(i, a): _published(engine, i, a) for i in SUBSET for a in ("mytho", AREA)}
    serial_runs = {i: _runs(engine, i) for i in SUBSET}

    # Dask: both areas in one run, tiled indicators cut in two strips per area
    monkeypatch.setenv(SCHEDULER_ENV, scheduler)
    lines: list[str] = []
    reports = run_indicators(
        engine,
        mode="auto",
        only=SUBSET,
        area="all",
        force=True,
        data_dir=data_dir,
        tiles=2,
        progress=lines.append,
    )
    assert [(r.indicator_id, r.area) for r in reports] == [(i, a) for a in ("mytho", AREA) for i in SUBSET]
    assert all(r.run_id and r.rows for r in reports)
    assert any(f"transit_access area {AREA}, tile 2/2" in line for line in lines)

    for (i, area), rows in serial.items():
        spec = get_indicator(i)
        got = _published(engine, i, area)
        assert rows and set(got) == set(rows), f"{i} [{area}]: units differ"
        for key, row in rows.items():
            for column, value in row.items():
                assert _same(spec, column, value, got[key][column]), (
                    f"{i} [{area}] {key} {column}: serial {value!r}, dask {got[key][column]!r}"
                )
    # the tiles' total rows, recomputed on the client, are named after their area (Mỹ Tho: the city)
    with engine.connect() as conn:
        cur = conn.connection.driver_connection.cursor()
        cur.execute("SELECT area, vintage, name_en FROM analysis.population_density WHERE level = 'city'")
        totals = {(r[0], r[1]): r[2] for r in cur.fetchall()}
    name_en = get_area(engine, AREA).name_en
    assert {v for a, v in totals if a == AREA} == {2019}  # the subset's communes have 2019 boundaries
    assert totals == {
        **{("mytho", v): f"Whole city ({v} boundaries)" for v in (2019, 2025)},
        (AREA, 2019): f"Whole area: {name_en} (2019 boundaries)",
    }
    # the areas' own ids: no row of one area published under the other
    assert all(k[0].startswith(f"{AREA}:") for k in serial["population_density", AREA])
    assert not any(k[0].startswith(f"{AREA}:") for k in serial["population_density", "mytho"])

    for i in SUBSET:
        runs = _runs(engine, i)
        for area in ("mytho", AREA):
            assert runs[area]["run_id"] > serial_runs[i][area]["run_id"]
            execution = runs[area]["execution"]
            assert execution["scheduler"] == scheduler and execution["workers"] == 2
            assert execution["areas"] == [area]
            assert execution["run_areas"] == ["mytho", AREA]
            tiled = i in {"population_density", "transit_access"}
            assert execution["partitions"] == (2 if tiled else 1)
            assert all(label.startswith(f"area {area}") for label in execution["partition_labels"])


def test_cli_area_all_and_repeated(two_areas: tuple[Engine, Path, str], dothi_cli: list[str]) -> None:
    engine, _, url = two_areas
    env = {**os.environ, "DOTHI_DATABASE_URL": url}
    env.pop(SCHEDULER_ENV, None)

    def dothi(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*dothi_cli, *args], env=env, capture_output=True, text=True, timeout=300, check=False
        )

    runs = _runs(engine, "population_density")
    before = {a: runs[a]["run_id"] if a in runs else 0 for a in ("mytho", AREA)}
    ran = dothi(
        "indicators",
        "run",
        "--area",
        "all",
        "--only",
        "population_density",
        "--executor",
        "serial",
        "--force",
    )
    assert ran.returncode == 0, ran.stderr
    assert f"population_density [{AREA}]: " in ran.stdout
    after = _runs(engine, "population_density")
    assert all(after[a]["run_id"] > before[a] for a in before)
    assert after[AREA]["execution"] is None  # a serial run records no Dask execution
    bad = dothi("indicators", "run", "--area", "mytho", "--area", "atlantis", "--only", "population_density")
    assert bad.returncode != 0 and "atlantis" in bad.stderr and AREA in bad.stderr
