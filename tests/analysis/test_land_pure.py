"""Open public space share, green area, street network and flood exposure on the tiny city."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from affine import Affine
from pyproj import CRS
from shapely.geometry import LineString

from analysis.indicators.flood import connected_flood
from analysis.indicators.rasters import Raster
from analysis.registry import (
    BUILDING_FORM,
    FLOOD_EXPOSURE,
    GREEN_AREA,
    LAND_USE_MIX,
    OPEN_SPACE_SHARE,
    STREET_NETWORK,
)
from tests.analysis import city


def _run(spec: Any, inputs: dict[str, Any], **params: Any) -> gpd.GeoDataFrame:
    return spec.recipe(
        {"admin_units": city.units(), "roads": city.roads(), **inputs}, spec.resolve_params(params)
    )


def _row(rows: gpd.GeoDataFrame, unit: str) -> Any:
    return rows[rows["unit_id"] == unit].iloc[0]


def _green() -> gpd.GeoDataFrame:
    return city.green(
        [
            (city.rect(600, 600, 900, 900), "park", True),  # 9 ha public, W1
            (city.rect(1100, 100, 1200, 200), "garden", False),  # 1 ha private, W2
        ]
    )


def test_open_space_share_streets_included() -> None:
    rows = _run(OPEN_SPACE_SHARE, {"green_spaces": _green()})
    w1, w2, c = (_row(rows, u) for u in ("2019-W1", "2019-W2", "2019-city"))
    # W1 streets: 1000 × 10 + 1000 × 10 − 10 × 10 crossing = 19,900 m²; park 90,000 m²
    assert w1["streets_km2"] == pytest.approx(0.0199)
    assert w1["open_space_share_pct"] == pytest.approx((19_900 + 90_000) / 1e6 * 100)
    assert w2["open_space_share_pct"] == pytest.approx(19_900 / 1e6 * 100)  # the garden is private
    assert c["open_space_share_pct"] == pytest.approx((2 * 19_900 + 90_000) / 2e6 * 100)
    assert w1["built_up_source"].startswith("admin area")


def test_open_space_share_with_a_built_up_raster() -> None:
    # built-up = the southern half of W1 only (one 1000 × 500 m cell)
    built = Raster(
        "environment.built_up",
        np.array([[0.1, 0.1], [0.9, 0.2]]),
        Affine(1000, 0, city.X0, 0, -500, city.Y0 + 1000),
        CRS.from_epsg(32648),
        2020,
    )
    rows = _run(OPEN_SPACE_SHARE, {"green_spaces": _green(), "built_up": [built]})
    w1 = _row(rows, "2019-W1")
    assert w1["built_up_km2"] == pytest.approx(0.5)
    # streets in y ∈ [0, 500]: x=500 street 500 × 10, plus the half of y=500 street below 500 (5 m)
    assert w1["streets_km2"] == pytest.approx((500 * 10 + 1000 * 5 - 5 * 10) / 1e6)
    assert np.isnan(_row(rows, "2019-W2")["open_space_share_pct"])
    assert w1["built_up_source"] == "built_up 2020 (share ≥ 0.5)"


def test_green_area_iso_37120_and_public_per_person() -> None:
    rows = _run(GREEN_AREA, {"green_spaces": _green()})
    w1, w2, c = (_row(rows, u) for u in ("2019-W1", "2019-W2", "2019-city"))
    assert w1["green_ha"] == pytest.approx(9.0)
    assert w1["green_ha_per_100k"] == pytest.approx(9.0 / 1000 * 100_000)
    assert w1["public_green_m2_per_person"] == pytest.approx(90.0)
    assert w2["green_ha_per_100k"] == pytest.approx(1.0 / 3000 * 100_000)
    assert w2["public_green_m2_per_person"] == 0.0
    assert c["green_ha_per_100k"] == pytest.approx(250.0)
    assert c["public_green_m2_per_person"] == pytest.approx(22.5)
    excluded = _run(GREEN_AREA, {"green_spaces": _green()}, exclude_types="garden")
    assert _row(excluded, "2019-W2")["green_ha"] == 0.0


def test_street_network_hand_counted() -> None:
    rows = _run(STREET_NETWORK, {})
    w1, w2, c = (_row(rows, u) for u in ("2019-W1", "2019-W2", "2019-city"))
    # W1: dead ends (0,500) (500,0) (500,1000) + crossing (500,500); 3 edges (the 500→1600 edge's
    # midpoint is at x=1050, in W2)
    assert (w1["nodes"], w1["edges"], w1["intersections"]) == (4, 3, 1)
    assert (w2["nodes"], w2["edges"], w2["intersections"]) == (4, 4, 1)
    assert w1["meshedness"] == pytest.approx(0.0) and w1["gamma"] == pytest.approx(0.5)
    assert w2["meshedness"] == pytest.approx(1 / 3) and w2["gamma"] == pytest.approx(2 / 3)
    assert c["gamma"] == pytest.approx(7 / 18)
    assert w1["intersection_density_per_km2"] == pytest.approx(1.0)
    assert w1["street_density_km_per_km2"] == pytest.approx(2.0)
    assert w1["street_land_share_pct"] == pytest.approx(1.99)
    assert c["street_km"] == pytest.approx(4.0)


def test_connected_flood_skips_land_behind_a_ridge() -> None:
    elev = np.array([[0.0, 1.0, 1.0], [5.0, 5.0, 1.0], [1.0, 5.0, 1.0]])
    water = np.zeros_like(elev, dtype=bool)
    water[0, 0] = True
    wet = connected_flood(elev, water, 1.5)
    assert wet.tolist() == [[True, True, True], [False, False, True], [False, False, True]]
    assert not connected_flood(elev, water, 1.5)[2, 0]  # low, but enclosed
    assert connected_flood(elev, water, 6.0).all()


def test_flood_exposure_by_level() -> None:
    # 100 m cells over both wards; all land at 1.0 m except a 3.0 m ridge at x ∈ [900, 1000]
    elev = np.full((10, 20), 1.0)
    elev[:, 9] = 3.0
    raster = Raster(
        "environment.elevation", elev, Affine(100, 0, city.X0, 0, -100, city.Y0 + 1000), CRS.from_epsg(32648)
    )
    canal = gpd.GeoDataFrame(
        {"water_id": ["c"], "type": ["canal"]}, geometry=[city.rect(0, 0, 100, 1000)], crs=city.CRS
    )
    buildings = city.points("building_id", [{"xy": (250, 250)}, {"xy": (950, 250)}, {"xy": (1250, 250)}])
    rows = _run(
        FLOOD_EXPOSURE,
        {"elevation": raster, "water_bodies": canal, "buildings": buildings},
        level_3_m=3.5,
    )
    w1, w2 = _row(rows, "2019-W1"), _row(rows, "2019-W2")
    assert w1["population_h1"] == pytest.approx(900.0)  # 90 of 100 cells, the ridge column dry
    assert w1["population_h1_pct"] == pytest.approx(90.0)
    assert w2["population_h1"] == 0.0  # low but cut off by the ridge
    assert w2["population_h3"] == pytest.approx(3000.0)
    assert (w1["buildings_h1"], w1["buildings"], w2["buildings_h3"]) == (1, 2, 1)
    # W1 roads: y=500 street 0.9 km west of the ridge + the x=500 street 1 km
    assert w1["road_km_h1"] == pytest.approx(1.9)
    assert w1["level_h2_m"] == 1.8


def _land_use(rows: list[tuple[Any, str]]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"zone_id": [f"z{i}" for i in range(len(rows))], "code": [r[1] for r in rows], "status": "current"},
        geometry=[r[0] for r in rows],
        crs=city.CRS,
    )


def test_land_use_mix_entropy() -> None:
    land = _land_use(
        [
            (city.rect(0, 0, 500, 1000), "ODT"),  # residential
            (city.rect(500, 0, 1000, 1000), "TMD"),  # commercial
            (city.rect(1000, 0, 2000, 1000), "ODT"),
        ]
    )
    rows = _run(LAND_USE_MIX, {"land_use": land}, categories="residential,commercial")
    assert _row(rows, "2019-W1")["entropy"] == pytest.approx(1.0)
    assert _row(rows, "2019-W2")["entropy"] == pytest.approx(0.0)
    # city: p = (0.75, 0.25) → −(0.75 ln 0.75 + 0.25 ln 0.25) / ln 2
    assert _row(rows, "2019-city")["entropy"] == pytest.approx(0.8112781244591328)
    grid = rows[rows["level"] == "grid"]
    assert len(grid) == 200 and (grid["entropy"] == 0).all()  # each 100 m cell holds one use
    three = _run(LAND_USE_MIX, {"land_use": land}, categories="residential,commercial,green")
    assert _row(three, "2019-W1")["entropy"] == pytest.approx(np.log(2) / np.log(3))
    assert set(rows["land_use_status"]) == {"current"}


def test_land_use_mix_auto_takes_the_plan_when_there_is_no_current_land_use() -> None:
    plan = _land_use([(city.rect(0, 0, 500, 1000), "ODT"), (city.rect(500, 0, 1000, 1000), "TMD")])
    plan["status"] = "planned"
    rows = _run(LAND_USE_MIX, {"land_use": plan}, categories="residential,commercial")  # default auto
    assert set(rows["land_use_status"]) == {"planned"}
    assert _row(rows, "2019-W1")["entropy"] == pytest.approx(1.0)
    both = pd.concat([plan, _land_use([(city.rect(0, 0, 1000, 1000), "ODT")])], ignore_index=True)
    current = _run(LAND_USE_MIX, {"land_use": both}, categories="residential,commercial")
    assert set(current["land_use_status"]) == {"current"}
    assert _row(current, "2019-W1")["entropy"] == pytest.approx(0.0)
    with pytest.raises(ValueError, match="no zone with status = 'current'"):
        _run(LAND_USE_MIX, {"land_use": plan}, status="current")
    with pytest.raises(ValueError, match="use auto, current or planned"):
        _run(LAND_USE_MIX, {"land_use": plan}, status="future")


def test_building_coverage_and_far_per_block_and_ward() -> None:
    buildings = gpd.GeoDataFrame(
        {"building_id": ["a", "b", "c"], "floors": [2, None, None], "height_m": [None, 9.9, None]},
        geometry=[
            city.rect(100, 100, 200, 200),
            city.rect(600, 100, 650, 200),
            city.rect(1100, 600, 1200, 700),
        ],
        crs=city.CRS,
    )
    rows = _run(BUILDING_FORM, {"buildings": buildings})
    w1 = _row(rows, "2019-W1")
    assert w1["footprint_m2"] == pytest.approx(15_000.0)
    assert w1["coverage_pct"] == pytest.approx(1.5)
    assert w1["far"] == pytest.approx((10_000 * 2 + 5_000 * 3) / 1e6)  # 9.9 m / 3.3 m = 3 floors
    blocks = rows[rows["level"] == "block"]
    # the cross streets x=500, x=1600, y=500 and the study-area edge enclose nothing but the inner
    # faces: no closed block without streets on all sides
    assert len(blocks) == 0
    boxed = city.roads(
        extra=[
            ("s", LineString([city.at(0, 0), city.at(2000, 0)]), True),
            ("w", LineString([city.at(0, 0), city.at(0, 1000)]), True),
        ]
    )
    rows = BUILDING_FORM.recipe(
        {"admin_units": city.units(), "roads": boxed, "buildings": buildings}, BUILDING_FORM.resolve_params()
    )
    blocks = rows[rows["level"] == "block"]
    sw = blocks[blocks.geometry.area.round() == 250_000]  # (0,0)–(500,500)
    assert len(sw) == 1
    assert sw.iloc[0]["coverage_pct"] == pytest.approx(4.0) and sw.iloc[0]["far"] == pytest.approx(0.08)
