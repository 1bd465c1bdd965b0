"""On the demo's data (real Mỹ Tho units and censuses + synthetic layers): a run with the defaults
computes all 14 indicators, SDG 11.3.1 has a finite value for each 2019 ward and the city, and no
output (table, CLI, API JSON) carries ∞ or NaN; ``dothi indicators run`` exit codes."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
import requests
import sqlalchemy as sa
from click.testing import CliRunner
from psycopg2 import sql
from sqlalchemy.engine import URL, Engine

from analysis.registry import INDICATORS
from analysis.runner import run_all
from api_config.cli import cli
from gis.engine import create_engine


def _strict_json(text: str) -> Any:
    """JSON as the standard has it: NaN and Infinity are not numbers there."""

    def refuse(constant: str) -> None:
        raise AssertionError(f"non-standard JSON constant {constant}")

    return json.loads(text, parse_constant=refuse)


@pytest.fixture(scope="module")
def demo(demo_url: URL) -> Engine:
    engine = create_engine(demo_url)
    yield engine
    engine.dispose()


def test_the_demo_defaults_compute_every_indicator(demo: Engine, demo_data_dir: Path) -> None:
    reports = run_all(demo, data_dir=demo_data_dir)  # what `dothi indicators run` does after the demo
    assert [r.indicator_id for r in reports] == list(INDICATORS) and len(reports) == 14
    assert [r.summary() for r in reports if r.skipped] == []
    with demo.connect() as conn:
        cur = conn.connection.driver_connection.cursor()
        for spec in INDICATORS.values():
            cur.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier("analysis", spec.table)))
            assert cur.fetchone()[0] > 0, spec.id
        used = (
            conn.execute(sa.text("SELECT DISTINCT land_use_status FROM analysis.land_use_mix"))
            .scalars()
            .all()
        )
    assert used == ["planned"]  # the demo's land use is a plan: auto took it


def test_sdg_11_3_1_is_finite_for_every_2019_ward_and_the_city(demo: Engine) -> None:
    with demo.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT s.level, s.unit_id, s.lcrpgr, s.lcr_pct, s.pgr_pct, s.population_t1, s.population, "
                "s.pairing, s.population_source, s.reason_en FROM analysis.sdg_11_3_1 s WHERE s.vintage = 2019"
            )
        ).all()
        wards_2019 = set(
            conn.execute(sa.text("SELECT unit_id FROM land.admin_units WHERE vintage = 2019")).scalars()
        )
        nonfinite = conn.execute(
            sa.text(
                "SELECT count(*) FROM analysis.sdg_11_3_1 WHERE "
                "lcrpgr IN ('NaN', 'Infinity', '-Infinity') OR lcr_pct IN ('NaN', 'Infinity', '-Infinity') "
                "OR pgr_pct IN ('NaN', 'Infinity', '-Infinity') "
                "OR built_up_per_capita_m2 IN ('NaN', 'Infinity', '-Infinity')"
            )
        ).scalar_one()
    wards = {r.unit_id: r for r in rows if r.level == "ward"}
    assert set(wards) == wards_2019 and len(wards) == 17
    (city,) = [r for r in rows if r.level == "city"]
    for row in (*wards.values(), city):
        assert row.lcrpgr is not None and math.isfinite(row.lcrpgr), row.unit_id
        assert row.reason_en is None
        assert "built-up 2009→2019 ↔ census 2009→2019 (same years)" in row.pairing
    assert nonfinite == 0
    # the city's PGR from the shipped censuses: 188,881 (2009) → 228,109 (2019)
    assert (city.population_t1, city.population) == (188_881, 228_109)
    assert city.pgr_pct == pytest.approx(math.log(228_109 / 188_881) / 10 * 100)
    assert city.lcrpgr == pytest.approx(city.lcr_pct / city.pgr_pct)
    assert "by unit code" in wards["2019-8070101"].population_source
    # central wards lost people: a negative PGR is a value (built-up grew while population fell)
    assert wards["2019-8070109"].pgr_pct == pytest.approx(math.log(4363 / 7231) / 10 * 100)
    assert wards["2019-8070109"].lcrpgr < 0


def test_sdg_11_3_1_through_the_cli_and_the_api_has_no_nan_or_infinity(
    demo_url: URL, demo_data_dir: Path, demo_api_server: str
) -> None:
    env = {
        "DOTHI_DATABASE_URL": demo_url.render_as_string(hide_password=False),
        "DOTHI_DATA_DIR": str(demo_data_dir),
    }
    runner = CliRunner()
    shown = runner.invoke(cli, ["indicators", "show", "sdg_11_3_1", "--json"], env=env)
    assert shown.exit_code == 0, shown.output
    values = [r["value"] for r in _strict_json(shown.stdout)]
    assert len(values) >= 17 + 5 + 2 and all(v is None or math.isfinite(v) for v in values)
    text = runner.invoke(cli, ["indicators", "show", "sdg_11_3_1"], env=env).stdout
    assert "inf" not in text.lower() and "nan" not in text.lower()
    items = requests.get(f"{demo_api_server}/collections/sdg_11_3_1/items?f=json&limit=100", timeout=60)
    assert items.status_code == 200
    features = _strict_json(items.text)["features"]
    assert len(features) >= 17 + 2
    for f in features:
        for key in ("lcrpgr", "lcr_pct", "pgr_pct"):
            value = f["properties"].get(key)
            assert value is None or math.isfinite(value), (f["id"], key)


def test_indicators_run_exit_codes(loaded: Engine, test_url: URL) -> None:
    """On a database with only the admin units every indicator but one is skipped."""
    env = {"DOTHI_DATABASE_URL": test_url.render_as_string(hide_password=False)}
    runner = CliRunner()
    full = runner.invoke(cli, ["indicators", "run"], env=env)
    assert full.exit_code == 23, full.output
    assert "sdg_11_3_1: skipped" in full.output and "indicator(s) skipped" in full.output
    assert "--allow-skip" in full.output
    allowed = runner.invoke(cli, ["indicators", "run", "--allow-skip"], env=env)
    assert allowed.exit_code == 0, allowed.output
    assert "sdg_11_3_1: skipped" in allowed.output
    as_json = runner.invoke(cli, ["--json", "indicators", "run"], env=env)
    assert as_json.exit_code == 23
    reports = _strict_json(as_json.stdout)
    assert {r["indicator_id"] for r in reports if not r["skipped"]} == {"population_density"}
    assert runner.invoke(cli, ["indicators", "run", "--only", "population_density"], env=env).exit_code == 0
    missing = runner.invoke(cli, ["indicators", "run", "--only", "sdg_11_3_1"], env=env)
    assert missing.exit_code == 22 and "environment.built_up" in missing.output
    bad = runner.invoke(cli, ["indicators", "run", "--param", "sdg_11_3_1.population_start=1"], env=env)
    assert bad.exit_code == 21 and "no parameter(s) population_start" in bad.output
    helped = runner.invoke(cli, ["indicators", "run", "--help"])
    assert "--allow-skip" in helped.output and "23" in helped.output
