"""A tiny hand-built city for indicator tests (EPSG:32648, metres), two 1 km × 1 km wards.

::

    y=1000  +----------|----------+----------|----------+
            |          |          |          |          |
    y=500   +==========X==========+==========X==========+   X: 4-way intersections
            |          |   W1     |    W2    |          |      (500, 500) and (1600, 500)
    y=0     +----------|----------+----------|----------+
           x=0        500       1000        1600      2000

W1 has 1,000 people, W2 3,000 (2019 census); spread evenly over 100 m cells that is 10 and
30 people per cell centre (50, 150, …, 950).  Streets are 10 m wide.  Coordinates below are
offsets from (X0, Y0), a corner of the UTM 48N 100 m grid near Mỹ Tho.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
from shapely.geometry import LineString, Point, box

X0, Y0 = 680_000.0, 1_140_000.0
CRS = "EPSG:32648"


def at(x: float, y: float) -> tuple[float, float]:
    return (X0 + x, Y0 + y)


def rect(x1: float, y1: float, x2: float, y2: float) -> Any:
    return box(X0 + x1, Y0 + y1, X0 + x2, Y0 + y2)


def units() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "unit_id": ["2019-W1", "2019-W2"],
            "vintage": [2019, 2019],
            "code": ["W1", "W2"],
            "name_vi": ["Phường Một", "Phường Hai"],
            "name_en": ["Ward One", "Ward Two"],
            "level": ["ward", "ward"],
            "population": [1000, 3000],
        },
        geometry=[rect(0, 0, 1000, 1000), rect(1000, 0, 2000, 1000)],
        crs=CRS,
    )


def roads(*, extra: list[tuple[str, LineString, bool]] | None = None) -> gpd.GeoDataFrame:
    lines = [
        ("h", LineString([at(0, 500), at(2000, 500)]), True),
        ("v1", LineString([at(500, 0), at(500, 1000)]), True),
        ("v2", LineString([at(1600, 0), at(1600, 1000)]), True),
        *(extra or []),
    ]
    return gpd.GeoDataFrame(
        {
            "road_id": [r[0] for r in lines],
            "road_class": ["residential"] * len(lines),
            "walkable": [r[2] for r in lines],
            "width_m": [10.0] * len(lines),
        },
        geometry=[r[1] for r in lines],
        crs=CRS,
    )


def points(layer_id: str, rows: list[dict[str, Any]]) -> gpd.GeoDataFrame:
    """Point features; each row has ``xy`` (offsets) and attributes."""
    geoms = [Point(at(*r["xy"])) for r in rows]
    attrs = [{k: v for k, v in r.items() if k != "xy"} for r in rows]
    frame = gpd.GeoDataFrame(attrs, geometry=geoms, crs=CRS)
    frame.insert(0, layer_id, [f"{layer_id[:-3]}{i}" for i in range(len(rows))])
    return frame


def green(rows: list[tuple[Any, str, bool]]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "green_id": [f"g{i}" for i in range(len(rows))],
            "type": [r[1] for r in rows],
            "public": [r[2] for r in rows],
        },
        geometry=[r[0] for r in rows],
        crs=CRS,
    )


def manhattan_share(threshold: float) -> float:
    """Share (%) of W1 cell centres within ``threshold`` of (500, 500) along the cross streets."""
    c = np.arange(50, 1000, 100)
    xx, yy = np.meshgrid(c, c)
    return float(((np.abs(xx - 500) + np.abs(yy - 500)) <= threshold).mean() * 100)
