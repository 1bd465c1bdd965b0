"""`dothi indicators run` on Dask distributed: a real `dask scheduler` and two `dask worker` processes
on loopback ports, started and torn down by the test, give the serial run's published results to
the precision each indicator reports, at every level (wards 2025 and 2019, city, grid)."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from psycopg2 import sql
from sqlalchemy.engine import URL, Engine

from analysis.distributed.choose import run_indicators
from analysis.distributed.cluster import SCHEDULER_ENV, TIMEOUT_ENV
from analysis.distributed.run import run_all_distributed
from analysis.errors import IndicatorError
from analysis.registry import get_indicator
from gis.engine import create_engine
from tests.conftest import free_port

pytestmark = pytest.mark.db

#: Tiled (population_density, transit and open-space access) and a whole-area indicator (green_area).
SUBSET = ("population_density", "transit_access", "open_space_access", "green_area")
DASK = Path(sys.executable).parent / "dask"


@pytest.fixture(scope="module")
def demo(demo_url: URL) -> Iterator[Engine]:
    engine = create_engine(demo_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def scheduler(demo_url: URL, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real scheduler and two single-thread workers; the workers reach PostGIS through their own
    DOTHI_DATABASE_URL, as on other machines."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    logs = tmp_path_factory.mktemp("dask")
    env = {**os.environ, "DOTHI_DATABASE_URL": demo_url.render_as_string(hide_password=False)}
    env.pop(SCHEDULER_ENV, None)
    common = ["--no-dashboard"]
    commands = {
        "scheduler": [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port), *common],
        **{
            f"worker{i}": [str(DASK), "worker", address, "--nthreads", "1", "--host", "127.0.0.1", *common]
            for i in range(2)
        },
    }
    procs = []
    with ExitStack() as files:
        for name, command in commands.items():
            log = files.enter_context((logs / f"{name}.log").open("wb"))
            procs.append(subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log, env=env))
        yield from _serving(address, procs)


def _serving(address: str, procs: list[subprocess.Popen[bytes]]) -> Iterator[str]:
    from distributed import Client

    try:
        with Client(address, timeout=60, set_as_default=False) as client:
            client.wait_for_workers(2, timeout=90)
        yield address
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _published(engine: Engine, indicator: str) -> dict[tuple[Any, ...], dict[str, Any]]:
    spec = get_indicator(indicator)
    names = [c.name for c in spec.result_columns]
    query = sql.SQL("SELECT level, unit_id, vintage, {} FROM {}").format(
        sql.SQL(", ").join(sql.Identifier(n) for n in names), sql.Identifier("analysis", spec.table)
    )
    with engine.connect() as conn:
        cur = conn.connection.driver_connection.cursor()
        cur.execute(query)
        return {tuple(r[:3]): dict(zip(names, r[3:], strict=True)) for r in cur.fetchall()}


def _same(spec: Any, column: str, a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None or (isinstance(a, float) and math.isnan(a)):
            return (a is None or math.isnan(a)) and (b is None or math.isnan(b))
        digits = spec.digits(column)
        # equal as published; a float-sum difference of 1e-9 may straddle a rounding boundary
        return round(a, digits) == round(b, digits) or abs(a - b) <= 1e-9 * max(1.0, abs(a))
    return a == b


def _assert_same(indicator: str, serial: dict[Any, Any], dask: dict[Any, Any]) -> None:
    spec = get_indicator(indicator)
    assert set(dask) == set(serial), f"{indicator}: units differ: {sorted(set(dask) ^ set(serial))[:5]}"
    levels = {k[0] for k in serial}
    assert {"ward", "city"} <= levels
    vintages = {k[2] for k in serial if k[0] == "ward"}
    assert {2019, 2025} <= vintages
    for key, row in serial.items():
        for column, value in row.items():
            assert _same(spec, column, value, dask[key][column]), (
                f"{indicator} {key} {column}: serial {value!r}, dask {dask[key][column]!r}"
            )


def _execution(engine: Engine, indicator: str) -> dict[str, Any]:
    with engine.connect() as conn:
        cur = conn.connection.driver_connection.cursor()
        cur.execute(
            "SELECT execution FROM analysis.indicator_runs WHERE indicator_id = %(i)s ORDER BY run_id DESC LIMIT 1",
            {"i": indicator},
        )
        return cur.fetchone()[0]


def test_scheduler_and_two_workers_match_the_serial_run(
    demo: Engine, demo_data_dir: Path, scheduler: str
) -> None:
    serial = {i: _published(demo, i) for i in SUBSET}  # the demo fixture published them serially
    lines: list[str] = []
    reports = run_all_distributed(
        demo,
        only=SUBSET,
        force=True,
        data_dir=demo_data_dir,
        scheduler=scheduler,
        tiles=3,
        progress=lines.append,
    )
    assert [r.indicator_id for r in reports] == list(SUBSET)
    assert all(r.run_id and r.rows for r in reports)
    for i in SUBSET:
        _assert_same(i, serial[i], _published(demo, i))
    assert any("transit_access area mytho, tile 2/3" in line for line in lines)
    tiled = _execution(demo, "transit_access")
    assert tiled["scheduler"] == scheduler
    assert tiled["workers"] == 2
    assert tiled["partitions"] == 3
    assert tiled["overlap_m"] == 2000.0  # 1 km to a high-capacity stop + the snapping margin
    whole = _execution(demo, "green_area")
    assert whole["partitions"] == 1


def test_a_failing_partition_is_named(demo: Engine, demo_data_dir: Path, scheduler: str) -> None:
    with pytest.raises(IndicatorError) as caught:
        run_all_distributed(
            demo,
            only=["population_density"],
            params={"population_density": {"census_vintage": 1999}},
            force=True,
            data_dir=demo_data_dir,
            scheduler=scheduler,
            tiles=2,
        )
    message = caught.value.message
    assert "Indicator population_density, partition area mytho, tile" in message
    assert "census_vintage=1999" in message


def test_local_cluster_matches_the_serial_run(demo: Engine, demo_data_dir: Path) -> None:
    serial = _published(demo, "health_access")
    reports = run_indicators(
        demo, mode="auto", only=["health_access"], force=True, data_dir=demo_data_dir, workers=2, tiles=2
    )
    assert reports[0].rows
    _assert_same("health_access", serial, _published(demo, "health_access"))
    execution = _execution(demo, "health_access")
    assert execution["scheduler"] == "local"
    assert execution["partitions"] == 2


def test_unreachable_scheduler_is_a_clear_error(demo_url: URL, dothi_cli: list[str]) -> None:
    address = f"tcp://127.0.0.1:{free_port()}"
    env = {
        **os.environ,
        "DOTHI_DATABASE_URL": demo_url.render_as_string(hide_password=False),
        SCHEDULER_ENV: address,
        TIMEOUT_ENV: "2",
    }
    t0 = time.monotonic()
    done = subprocess.run(
        [*dothi_cli, "indicators", "run", "--only", "population_density", "--force"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 24, done.stderr
    assert address in done.stderr
    assert "cannot reach the Dask scheduler" in done.stderr
    assert "DOTHI_DASK_SCHEDULER" in done.stderr
    assert time.monotonic() - t0 < 60
