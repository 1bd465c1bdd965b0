"""Water bodies: the Tiền river along the southern edge, its branch round the islets, main canals.

Calibration (real facts): Mỹ Tho lies on the north bank of the Tiền river; the 2019 units Tân Long
and Thới Sơn are islets (cồn) in it, so the river runs along the city's southern edge and a branch
separates the islets from the mainland wards.  Kênh Bảo Định crosses the city north–south and
reaches the river in the centre; Rạch Kỳ Hôn drains the east.  Alignments and widths are generated.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from layers.synthetic.context import METRIC_SRID, City, polygonal, wobble_line

ISLETS = ("Phường Tân Long", "Xã Thới Sơn")

#: name, type, width (m), start and end as fractions of the city's bounding box (x, y).
CANALS: tuple[tuple[str, float, tuple[float, float], tuple[float, float]], ...] = (
    ("Kênh Bảo Định", 40.0, (0.585, 0.36), (0.43, 1.02)),
    ("Rạch Kỳ Hôn", 30.0, (0.82, 0.33), (0.93, 1.02)),
    ("Kênh tổng hợp số 1", 15.0, (0.14, 0.68), (0.43, 0.72)),
    ("Kênh tổng hợp số 2", 15.0, (0.62, 0.62), (1.02, 0.58)),
)


def _southern_edge(city: BaseGeometry, *, step: float) -> np.ndarray:
    """(x, min y) of the city every ``step`` metres from west to east."""
    minx, miny, maxx, maxy = city.bounds
    xs = np.arange(minx + step / 2, maxx, step)
    verticals = shapely.linestrings(
        np.stack(
            [
                np.column_stack([xs, np.full_like(xs, miny - 1)]),
                np.column_stack([xs, np.full_like(xs, maxy + 1)]),
            ],
            axis=1,
        )
    )
    cuts = shapely.intersection(verticals, city)
    keep = ~shapely.is_empty(cuts)
    return np.column_stack([xs[keep], shapely.bounds(cuts[keep])[:, 1]])


def tien_river(city: City, rng: np.random.Generator) -> BaseGeometry:
    """A 100–300 m band of the Tiền river along the southern edge of the city."""
    edge = _southern_edge(city.polygon, step=60.0)
    smooth = np.convolve(rng.normal(0, 1, len(edge) + 20), np.ones(21) / 21, mode="valid")[: len(edge)]
    width = 200.0 + 100.0 * np.clip(smooth / max(np.abs(smooth).max(), 1e-9), -1, 1)
    lower = edge - [0.0, 50.0]
    upper = edge + np.column_stack([np.zeros(len(edge)), width])
    band = shapely.Polygon(np.vstack([lower, upper[::-1]])).buffer(0)
    return shapely.intersection(band, city.polygon)


def islet_branch(city: City, *, half_width: float = 60.0) -> BaseGeometry:
    """The branch of the river between the islets and the mainland (along their shared edge)."""
    islet = city.wards["name_vi"].isin(ISLETS).to_numpy()
    islets = shapely.union_all(city.wards.geometry.to_numpy()[islet])
    mainland = shapely.union_all(city.wards.geometry.to_numpy()[~islet])
    left = shapely.intersection(islets.buffer(half_width), mainland)
    right = shapely.intersection(mainland.buffer(half_width), islets)
    return shapely.intersection(shapely.union_all([left, right]), city.polygon)


def canal(
    city: City, rng: np.random.Generator, start: tuple[float, float], end: tuple[float, float]
) -> np.ndarray:
    """Vertices of a meandering canal between two points given as bounding-box fractions."""
    minx, miny, maxx, maxy = city.polygon.bounds
    size = np.array([maxx - minx, maxy - miny])
    a = np.array([minx, miny]) + size * np.array(start)
    b = np.array([minx, miny]) + size * np.array(end)
    return wobble_line(a, b, rng, step=150.0, amplitude=120.0)


def water_bodies(city: City) -> gpd.GeoDataFrame:
    """The water bodies (metric CRS) with ``water_id, type, name, width_m``."""
    rng = city.rng("water")
    river = tien_river(city, rng)
    branch = shapely.difference(islet_branch(city), river)
    rows: list[dict[str, object]] = [
        {"type": "river", "name": "Sông Tiền", "width_m": None, "geometry": river},
        {"type": "river", "name": "Sông Tiền (nhánh quanh cồn)", "width_m": 120.0, "geometry": branch},
    ]
    taken = shapely.union_all([river, branch])
    for name, width, start, end in CANALS:
        line = shapely.LineString(canal(city, rng, start, end))
        area = shapely.intersection(line.buffer(width / 2, cap_style="flat"), city.polygon)
        area = shapely.difference(area, taken)
        taken = shapely.union_all([taken, area])
        rows.append({"type": "canal", "name": name, "width_m": width, "geometry": area})
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=METRIC_SRID)
    frame = frame.set_geometry(polygonal(frame.geometry.to_numpy()), crs=METRIC_SRID)
    frame = frame[~frame.geometry.is_empty].reset_index(drop=True)
    frame.insert(0, "water_id", [f"W{i:03d}" for i in range(1, len(frame) + 1)])
    return frame
