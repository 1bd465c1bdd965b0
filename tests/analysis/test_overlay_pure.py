"""Tiled overlay areas: hand-computed values, and the same answer whatever the tile size."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import Point, box

from analysis.indicators.overlay import GRID_M, Overlay, areas_by_unit, pair_areas, tile_boxes

CRS = "EPSG:32648"


def test_hand_computed_union_intersection_and_difference() -> None:
    units = gpd.GeoDataFrame(geometry=[box(0, 0, 1500, 1000), box(1500, 0, 3000, 1000)], crs=CRS)
    built = np.array([box(0, 0, 3000, 500)])  # the southern half
    parks = np.array([box(1000, 0, 2000, 1000), box(1200, 0, 1800, 1000)])  # overlap counted once
    water = np.array([box(1900, 0, 2000, 1000)])
    out = areas_by_unit(
        units,
        {"built": built, "parks": parks, "water": water},
        {
            "built": Overlay(("built",)),
            "built_parks": Overlay(("built", "parks")),
            "built_parks_dry": Overlay(("built", "parks"), minus=("water",)),
            "built_or_parks": Overlay((("built", "parks"),)),
        },
        tile=700.0,
    )
    assert out["built"].tolist() == pytest.approx([750_000, 750_000])
    assert out["built_parks"].tolist() == pytest.approx([250_000, 250_000])
    assert out["built_parks_dry"].tolist() == pytest.approx([250_000, 200_000])
    # built 750,000 + parks' northern half 500 m × 500 m in each unit
    assert out["built_or_parks"].tolist() == pytest.approx([1_000_000, 1_000_000])


def test_spiked_polygons_count_their_area_and_never_fail() -> None:
    """``make_valid`` turns a polygon with a spike (common in digitised land use) into a polygon
    plus a line; the overlay used to fail on it ("mixed-dimension", open_space_share at province
    scale). The spike has no area: the polygon counts, in a spiked unit as well."""
    spiked_park = shapely.from_wkt("POLYGON((0 0, 1000 0, 1000 1000, 0 1000, 0 0, -500 -500, 0 0))")
    spiked_unit = shapely.from_wkt(
        "POLYGON((-1000 -1000, 3000 -1000, 3000 2000, -1000 2000, -1000 -1000, -1500 -1500, -1000 -1000))"
    )
    units = gpd.GeoDataFrame(geometry=[spiked_unit], crs=CRS)
    parks = np.array([spiked_park, box(2000, 0, 2500, 500)])
    out = areas_by_unit(units, {"parks": parks}, {"parks": Overlay(("parks",))}, tile=700.0)
    assert out["parks"].tolist() == pytest.approx([1_000_000 + 250_000])


def test_tiles_cover_the_bounds() -> None:
    tiles = tile_boxes((10.0, 20.0, 2500.0, 900.0), size=1000.0)
    assert shapely.union_all(tiles).contains(box(10.0, 20.0, 2500.0, 900.0))
    assert len(tiles) == 3


@pytest.mark.parametrize("tile", [150.0, 400.0, 1000.0, 10_000.0])
def test_same_areas_as_one_whole_city_union(tile: float) -> None:
    rng = np.random.default_rng(7)
    units = gpd.GeoDataFrame(
        geometry=[Point(800, 800).buffer(700), box(1200, 0, 2600, 1500)], crs=CRS
    )  # the two units overlap (as boundary vintages do)
    xy = rng.uniform(0, 2500, size=(80, 2))
    blobs = shapely.buffer(shapely.points(xy), rng.uniform(20, 160, size=80))
    lines = shapely.buffer(
        shapely.linestrings([[(x, y), (x + 600, y + 300)] for x, y in rng.uniform(0, 2000, size=(30, 2))]), 6
    )
    out = areas_by_unit(
        units,
        {"blobs": blobs, "lines": lines},
        {"either": Overlay((("blobs", "lines"),)), "both": Overlay(("blobs", "lines"))},
        tile=tile,
    )
    either = shapely.union_all(np.concatenate([blobs, lines]), grid_size=GRID_M)
    both = shapely.intersection(
        shapely.union_all(blobs, grid_size=GRID_M),
        shapely.union_all(lines, grid_size=GRID_M),
        grid_size=GRID_M,
    )
    expected_either = shapely.area(shapely.intersection(units.geometry.to_numpy(), either))
    expected_both = shapely.area(shapely.intersection(units.geometry.to_numpy(), both))
    assert out["either"].to_numpy() == pytest.approx(
        expected_either, rel=2e-4
    )  # operations snap to the 1 cm grid in a different order
    assert out["both"].to_numpy() == pytest.approx(
        expected_both, rel=2e-4
    )  # operations snap to the 1 cm grid in a different order


def test_pair_areas_equal_direct_intersections() -> None:
    rng = np.random.default_rng(3)
    zones = shapely.buffer(shapely.points(rng.uniform(0, 1000, size=(60, 2))), rng.uniform(50, 400, size=60))
    polys = shapely.buffer(shapely.points(rng.uniform(0, 1000, size=(60, 2))), rng.uniform(5, 500, size=60))
    zone_idx, poly_idx = shapely.STRtree(polys).query(zones, predicate="intersects")

    expected = shapely.area(shapely.intersection(zones[zone_idx], polys[poly_idx]))
    got = pair_areas(zones[zone_idx], polys[poly_idx])
    assert got == pytest.approx(expected, rel=1e-9, abs=1e-6)
    # the three cases all occur in this sample
    inside = shapely.contains_properly(zones[zone_idx], polys[poly_idx])
    covers = shapely.contains_properly(polys[poly_idx], zones[zone_idx])
    assert inside.any() and covers.any() and (~inside & ~covers).any()
