"""Pure parts of the Dask partitioning: strips own every point exactly once, city rows come from sums."""

from __future__ import annotations

import math
from itertools import pairwise

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import box

from analysis.distributed.partitions import Area, plan_partitions, tile_count
from analysis.distributed.tiling import SNAP_MARGIN_M, TILE_RULES, city_rows
from analysis.registry import get_indicator

pytestmark = pytest.mark.pure

MYTHO = Area("mytho", (106.30, 10.30, 106.42, 10.40))


def test_strips_own_every_point_exactly_once() -> None:
    spec = get_indicator("transit_access")
    parts = plan_partitions(spec, spec.resolve_params(), [MYTHO], 32648, tiles=4)
    assert [p.index for p in parts] == [0, 1, 2, 3]
    assert parts[0].xmin == -math.inf and parts[-1].xmax == math.inf
    assert all(a.xmax == b.xmin for a, b in pairwise(parts))
    xs = np.random.default_rng(3).uniform(500_000, 800_000, 10_000)
    xs = np.concatenate([xs, [p.xmin for p in parts[1:]]])  # points on the edges too
    owners = np.sum([p.owns(xs) for p in parts], axis=0)
    assert (owners == 1).all()
    assert {p.overlap_m for p in parts} == {1000.0 + SNAP_MARGIN_M}


def test_untiled_indicators_are_one_partition_per_area() -> None:
    spec = get_indicator("health_beds_2sfca")
    assert "health_beds_2sfca" not in TILE_RULES
    parts = plan_partitions(spec, spec.resolve_params(), [MYTHO, Area("cai_be", MYTHO.bbox)], 32648, tiles=4)
    assert [(p.area, p.count) for p in parts] == [("mytho", 1), ("cai_be", 1)]
    assert parts[0].label == "area mytho (whole)"


def test_default_tiles_follow_the_area_size() -> None:
    assert tile_count(MYTHO, 32648) == 1  # ≈ 13 × 11 km
    province = Area("tien_giang", (105.8, 10.2, 106.8, 10.6))
    assert tile_count(province, 32648) > 4


def test_city_rows_are_recomputed_from_sums_not_averaged() -> None:
    wards = gpd.GeoDataFrame(
        {
            "level": "ward",
            "vintage": [2025, 2025],
            "population": [1000.0, 3000.0],
            "population_within": [1000.0, 0.0],
            "share_pct": [100.0, 0.0],
            "population_source": "grid",
        },
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)],
        crs=32648,
    )
    city = city_rows(TILE_RULES["transit_access"], wards)
    assert city["share_pct"].tolist() == [25.0]  # not the mean of 100 and 0
    assert city["unit_id"].tolist() == ["2025-city"]
    assert city.geometry.iloc[0].area == pytest.approx(2.0)
