"""Accessibility indicators on the tiny city (tests/analysis/city.py), hand-computed."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from affine import Affine
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import CRS

from analysis.indicators.access import two_step_fca
from analysis.indicators.rasters import Raster
from analysis.registry import (
    EDUCATION_ACCESS,
    HEALTH_ACCESS,
    HEALTH_BEDS,
    OPEN_SPACE_ACCESS,
    TRANSIT_ACCESS,
    WALKABILITY,
)
from tests.analysis import city


def _run(spec: Any, inputs: dict[str, Any], **params: Any) -> gpd.GeoDataFrame:
    return spec.recipe(
        {"admin_units": city.units(), "roads": city.roads(), **inputs}, spec.resolve_params(params)
    )


def _by_unit(rows: gpd.GeoDataFrame, column: str) -> dict[str, float]:
    sel = rows[rows["level"] != "grid"]
    return dict(zip(sel["unit_id"], sel[column], strict=True))


def _stops(*rows: tuple[float, float, str]) -> gpd.GeoDataFrame:
    return city.points(
        "stop_id",
        [{"xy": (x, y), "mode": "bus", "capacity": c, "weekday_departures": 40} for x, y, c in rows],
    )


def test_hand_count_of_the_manhattan_diamond() -> None:
    # cells (a, b) = |x − 500|, |y − 500| ∈ {50, …, 450} with a + b ≤ 500: 5+4+3+2+1 = 15 pairs × 4
    assert city.manhattan_share(500) == 60.0


def test_transit_low_capacity_500_m() -> None:
    rows = _run(TRANSIT_ACCESS, {"transit_stops": _stops((500, 500, "low"))})
    share = _by_unit(rows, "share_pct")
    assert share["2019-W1"] == pytest.approx(60.0)
    assert share["2019-W2"] == pytest.approx(0.0)
    assert share["2019-city"] == pytest.approx(600 / 4000 * 100)
    within = _by_unit(rows, "population_within")
    assert within["2019-W1"] == pytest.approx(600.0)
    grid = rows[rows["level"] == "grid"]
    assert len(grid) == 200 and grid["unit_id"].is_unique
    assert (grid["share_pct"] == 100).sum() == 60
    assert grid["vintage"].isna().all()
    assert set(grid.geometry.area.round(6)) == {10_000.0}
    assert rows["population_source"].iloc[0].startswith("admin_units census 2019")


def test_transit_high_capacity_counts_within_1_km() -> None:
    rows = _run(TRANSIT_ACCESS, {"transit_stops": _stops((500, 500, "high"))})
    assert _by_unit(rows, "share_pct")["2019-W1"] == pytest.approx(100.0)  # every cell ≤ 900 m
    rows = _run(TRANSIT_ACCESS, {"transit_stops": _stops((500, 500, "high"))}, high_capacity_m=700)
    assert _by_unit(rows, "share_pct")["2019-W1"] == pytest.approx(city.manhattan_share(700))


def test_transit_frequency_filter_drops_rare_stops() -> None:
    stops = _stops((500, 500, "low"))
    stops["weekday_departures"] = 10
    rows = _run(TRANSIT_ACCESS, {"transit_stops": stops}, min_weekday_departures=20)
    assert _by_unit(rows, "share_pct")["2019-W1"] == 0.0


def test_population_grid_raster_is_used_when_present() -> None:
    # one 1 km cell per ward: W1 800 people at its centre (500, 500), W2 nobody
    grid = Raster(
        "environment.population_grid",
        np.array([[800.0, 0.0]]),
        Affine(1000, 0, city.X0, 0, -1000, city.Y0 + 1000),
        CRS.from_epsg(32648),
        2020,
    )
    rows = _run(TRANSIT_ACCESS, {"transit_stops": _stops((500, 500, "low")), "population_grid": grid})
    assert _by_unit(rows, "population")["2019-W1"] == 800.0
    assert _by_unit(rows, "share_pct")["2019-W1"] == 100.0
    assert rows["population_source"].iloc[0] == "population_grid 2020 (cell centres)"


def test_health_access_types_filter_and_bad_type() -> None:
    facilities = city.points(
        "facility_id",
        [{"xy": (500, 500), "type": "health_station", "beds": 0}, {"xy": (1600, 500), "type": "pharmacy"}],
    )
    rows = _run(HEALTH_ACCESS, {"health_facilities": facilities}, distance_m=500)
    share = _by_unit(rows, "share_pct")
    assert share["2019-W1"] == pytest.approx(60.0) and share["2019-W2"] == 0.0  # pharmacy not counted
    with pytest.raises(ValueError, match="health_access.facility_types"):
        _run(HEALTH_ACCESS, {"health_facilities": facilities}, facility_types="spa")


def test_two_step_fca_hand_computed_and_conserves_supply() -> None:
    d = np.array([[100.0, np.inf, 50.0], [200.0, 300.0, np.inf]])
    supply, demand = np.array([10.0, 30.0]), np.array([100.0, 200.0, 300.0])
    a = two_step_fca(d, supply, demand)
    # R1 = 10 / (100 + 300) = 0.025; R2 = 30 / (100 + 200) = 0.1
    assert a.tolist() == pytest.approx([0.125, 0.1, 0.025])
    assert float(demand @ a) == pytest.approx(40.0)


def test_health_beds_2sfca_per_1000() -> None:
    hospital = city.points("facility_id", [{"xy": (500, 500), "type": "hospital", "beds": 60}])
    rows = _run(HEALTH_BEDS, {"health_facilities": hospital}, catchment_m=500)
    beds = _by_unit(rows, "beds_per_1000")
    # 600 people within the catchment share 60 beds: 0.1 bed each; W1 mean = 600 × 0.1 / 1000
    assert beds["2019-W1"] == pytest.approx(60.0)
    assert beds["2019-W2"] == pytest.approx(0.0)
    assert beds["2019-city"] == pytest.approx(1000 * 60 / 4000)
    assert _by_unit(rows, "beds_in_unit")["2019-W1"] == 60.0


def test_education_share_and_seats_per_child() -> None:
    schools = city.points(
        "school_id",
        [
            {"xy": (500, 500), "level": "primary", "capacity": 40},
            {"xy": (1600, 500), "level": "lower_secondary", "capacity": 90},
        ],
    )
    rows = _run(EDUCATION_ACCESS, {"schools": schools})
    w1, w2 = (rows[rows["unit_id"] == u].iloc[0] for u in ("2019-W1", "2019-W2"))
    assert w1["children_primary"] == pytest.approx(80.0)  # 1000 × 0.08
    assert w1["primary_within_pct"] == pytest.approx(60.0)
    assert w1["primary_seats_per_child"] == pytest.approx(0.5)
    assert w2["children_lower_secondary"] == pytest.approx(174.0)  # 3000 × 0.058
    assert w2["lower_secondary_seats_per_child"] == pytest.approx(90 / 174)
    assert w2["lower_secondary_within_pct"] == pytest.approx(100.0)  # W2 cells ≤ 450 + 550 m


def _parks(boxes: list[tuple[float, float, float, float]]) -> gpd.GeoDataFrame:
    return city.green([(city.rect(*b), "park", True) for b in boxes])


@settings(max_examples=6, deadline=None)
@given(st.tuples(st.integers(0, 1900), st.integers(0, 900)))
def test_adding_a_park_never_lowers_park_access(corner: tuple[int, int]) -> None:
    base = [(100.0, 100.0, 200.0, 200.0)]
    x, y = corner
    before = _run(OPEN_SPACE_ACCESS, {"green_spaces": _parks(base)})
    after = _run(OPEN_SPACE_ACCESS, {"green_spaces": _parks([*base, (x, y, x + 80, y + 80)])})
    merged = before.merge(after, on=["level", "unit_id"], suffixes=("_b", "_a"), how="outer")
    assert (merged["population_within_a"].fillna(0) >= merged["population_within_b"].fillna(0) - 1e-9).all()


def test_private_parks_and_cemeteries_give_no_access() -> None:
    green = city.green(
        [(city.rect(450, 450, 550, 550), "park", False), (city.rect(1550, 450, 1650, 550), "cemetery", True)]
    )
    rows = _run(
        OPEN_SPACE_ACCESS, {"green_spaces": pd.concat([green, _parks([(0, 0, 1, 1)])], ignore_index=True)}
    )
    assert _by_unit(rows, "share_pct")["2019-W2"] == 0.0


def test_doubling_everyone_leaves_shares_unchanged() -> None:
    stops = _stops((500, 500, "low"), (1600, 900, "low"))
    units = city.units()
    base = TRANSIT_ACCESS.recipe(
        {"admin_units": units, "roads": city.roads(), "transit_stops": stops}, TRANSIT_ACCESS.resolve_params()
    )
    doubled = TRANSIT_ACCESS.recipe(
        {
            "admin_units": units.assign(population=units["population"] * 2),
            "roads": city.roads(),
            "transit_stops": stops,
        },
        TRANSIT_ACCESS.resolve_params(),
    )
    assert np.allclose(base["share_pct"], doubled["share_pct"], equal_nan=True)
    assert np.allclose(2 * base["population"], doubled["population"])


def test_walkability_daily_living_and_weighting() -> None:
    markets = city.points("market_id", [{"xy": (500, 500), "type": "market"}])
    rows = _run(WALKABILITY, {"markets": markets, "transit_stops": _stops((500, 500, "low"))})
    daily = _by_unit(rows, "daily_living")
    assert daily["2019-W1"] == pytest.approx(600 * 2 / 1000)  # food + transit for 60 of 100 cells
    assert daily["2019-W2"] == 0.0
    walk = _by_unit(rows, "walkability")
    assert walk["2019-city"] == pytest.approx((1000 * walk["2019-W1"] + 3000 * walk["2019-W2"]) / 4000)
    # the earlier straight-line version: every W1 cell centre is ≤ 636 m from the (500, 500)
    # intersection, so ≥ 1 per π km² circle
    circle = _run(
        WALKABILITY,
        {"markets": markets, "transit_stops": _stops((500, 500, "low"))},
        network_neighbourhood=False,
    )
    assert _by_unit(circle, "intersection_density_km2")["2019-W1"] >= 1 / np.pi
    # on the network the neighbourhood is ~2 km of street × 100 m: denser than the circle
    assert (
        _by_unit(rows, "intersection_density_km2")["2019-W1"]
        > _by_unit(circle, "intersection_density_km2")["2019-W1"]
    )


def test_walkability_z_scores_sum_to_zero_over_points() -> None:
    from analysis.indicators.walkability import zscore

    z = zscore(np.array([3.0, 5.0, 10.0, 2.0]))
    assert z.mean() == pytest.approx(0.0) and z.std() == pytest.approx(1.0)
    assert zscore(np.array([4.0, 4.0])).tolist() == [0.0, 0.0]
