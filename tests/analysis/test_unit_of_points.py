"""A point in overlapping units (the 2019 wards overlap) counts in the first unit only, whichever
other points it is located with: the full recipes and the incremental scenario answers (which
locate a few added features alone) must put it in the same unit."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point, box

from analysis.indicators.incremental_recipes import membership
from analysis.indicators.reporting import unit_of_points


def _overlapping_units() -> gpd.GeoDataFrame:
    rng = np.random.default_rng(7)
    boxes = [box(x, y, x + w, y + w) for x, y, w in rng.uniform((0, 0, 300), (700, 700, 600), (40, 3))]
    return gpd.GeoDataFrame(
        {"unit_id": [f"u{i}" for i in range(40)], "vintage": 2019},
        geometry=boxes,
        index=rng.permutation(np.arange(100, 140)),
        crs=32648,
    )


def _points(xy: np.ndarray) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(geometry=[Point(x, y) for x, y in xy], crs=32648)


def test_a_point_in_overlapping_units_counts_in_the_first_one() -> None:
    units = _overlapping_units()
    xy = np.random.default_rng(3).uniform(-50, 1350, (500, 2))
    where = unit_of_points(_points(xy), units)
    for (x, y), label in zip(xy, where, strict=True):
        hits = [i for i, g in enumerate(units.geometry) if g.intersects(Point(x, y))]
        assert (pd.isna(label) and not hits) or label == units.index[hits[0]]
    assert where.notna().sum() > 100
    assert sum(len([g for g in units.geometry if g.intersects(Point(p))]) > 1 for p in xy) > 100


def test_few_points_are_located_like_many() -> None:
    units = _overlapping_units()
    xy = np.random.default_rng(5).uniform(0, 1300, (200, 2))
    rows = pd.DataFrame(
        {"level": ["city", *["ward"] * len(units)], "unit_id": ["2019-city", *units["unit_id"]]}
    )
    many = membership(rows, _points(xy), units, grid=False).toarray()
    for start in range(0, len(xy), 3):  # a few added features located on their own
        few = membership(rows, _points(xy[start : start + 3]), units, grid=False).toarray()
        np.testing.assert_array_equal(few, many[:, start : start + 3])
    assert many[1:].sum(axis=0).max() == 1  # never counted in two wards
