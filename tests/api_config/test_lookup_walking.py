"""The look-up's walking index agrees with the reference (``nearest_distances``, one Dijkstra per
query) on random points of a random street grid; pure, no database."""

from __future__ import annotations

import numpy as np
import pytest
from pyproj import Transformer
from shapely.geometry import LineString

from analysis.indicators.network import build_network, nearest_distances
from api_config.lookup.place import LookupInputError, parse_point
from api_config.lookup.search import fold, parse_query
from api_config.lookup.walking import WalkIndex
from gis.crs import DEFAULT_ANALYSIS_SRID, STORAGE_SRID

ORIGIN = (650_000.0, 1_145_000.0)  # Mỹ Tho in UTM 48N


def _grid(rng: np.random.Generator) -> list[LineString]:
    x0, y0 = ORIGIN
    lines = []
    for i in range(8):  # a street grid with some streets missing, and a few diagonals
        if rng.random() > 0.15:
            lines.append(LineString([(x0 + i * 120, y0), (x0 + i * 120, y0 + 840)]))
        if rng.random() > 0.15:
            lines.append(LineString([(x0, y0 + i * 120), (x0 + 840, y0 + i * 120)]))
    lines.append(LineString([(x0, y0), (x0 + 840, y0 + 840)]))
    lines.append(LineString([(x0, y0 + 840), (x0 + 400, y0 + 300)]))
    return lines


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_index_matches_one_dijkstra_per_query(seed: int) -> None:
    rng = np.random.default_rng(seed)
    lines = _grid(rng)
    x0, y0 = ORIGIN
    points = {
        kind: (
            [f"{kind} {i}" for i in range(n)],
            np.column_stack([x0 + rng.uniform(0, 840, n), y0 + rng.uniform(0, 840, n)]),
            np.zeros(n, dtype=bool),
        )
        for kind, n in (("school", 3), ("clinic", 1), ("park", 12))
    }
    index = WalkIndex.build(lines, points)
    origins = np.column_stack([x0 + rng.uniform(-50, 890, 40), y0 + rng.uniform(-50, 890, 40)])
    reference = nearest_distances(build_network(lines), origins, {k: v[1] for k, v in points.items()})
    to_lonlat = Transformer.from_crs(DEFAULT_ANALYSIS_SRID, STORAGE_SRID, always_xy=True)
    for i, (x, y) in enumerate(origins):
        lon, lat = to_lonlat.transform(x, y)
        got = index.nearest(lon, lat)
        for kind in points:
            found = got[kind]
            assert found is not None
            # the round trip through lon/lat moves the point by micrometres; distances are rounded to 0.1 m
            assert found.distance_m == pytest.approx(reference[kind][i], abs=0.2), (kind, i)
            named = int(found.name.split()[-1])
            straight = float(np.hypot(*(points[kind][1][named] - (x, y))))
            assert found.distance_m >= straight - 0.2


def test_no_destination_of_a_kind_is_none() -> None:
    x0, y0 = ORIGIN
    index = WalkIndex.build(
        [LineString([(x0, y0), (x0 + 500, y0)])],
        {"school": ([], np.zeros((0, 2)), np.zeros(0, dtype=bool))},
    )
    lon, lat = Transformer.from_crs(DEFAULT_ANALYSIS_SRID, STORAGE_SRID, always_xy=True).transform(
        x0 + 10, y0 + 5
    )
    assert index.nearest(lon, lat) == {"school": None}


def test_inputs_are_checked_and_named() -> None:
    assert parse_point("106.36", 10.35) == (106.36, 10.35)
    for lon, lat, name in (("", 10, "lon"), ("x", 10, "lon"), (106, "nan", "lat"), (106, None, "lat")):
        with pytest.raises(LookupInputError, match=f"'{name}'"):
            parse_point(lon, lat)
    assert fold("Trường Tiểu học Đạo Thạnh") == "truong tieu hoc dao thanh"
    assert parse_query("  Chợ  ", None) == (["cho"], 8)
    for q, limit, name in (
        ("", None, "q"),
        ("x" * 81, None, "q"),
        ("---", None, "q"),
        ("a", "0", "limit"),
        ("a", "21", "limit"),
    ):
        with pytest.raises(LookupInputError, match=f"'{name}'"):
            parse_query(q, limit)


def test_grid_cell_is_the_reporting_grids() -> None:
    import geopandas as gpd
    import shapely

    from analysis.indicators.grid import cell_ids
    from api_config.lookup.place import grid_cell

    rng = np.random.default_rng(7)
    to_metric = Transformer.from_crs(STORAGE_SRID, DEFAULT_ANALYSIS_SRID, always_xy=True)
    for lon, lat in zip(rng.uniform(106.28, 106.42, 50), rng.uniform(10.31, 10.41, 50), strict=True):
        x, y = to_metric.transform(lon, lat)
        expected = cell_ids(gpd.GeoSeries([shapely.Point(x, y)], crs=DEFAULT_ANALYSIS_SRID)).iloc[0]
        assert grid_cell(lon, lat) == expected
