"""A connected, routable street network, noded at every intersection.

Urban wards get a near-orthogonal grid (blocks ~110 × 180 m), communes sparse, wobbly rural roads
(~320 × 650 m); ward boundaries become tertiary streets and a few city-wide arterials (primary,
secondary) cross everything, bridging canals and the branch to the islets.  Lines are clipped to
the city, cut by water (arterials and tertiary roads bridge canals; only the arterials bridge the
branch to the islets), noded with snap rounding, and only the largest connected component is kept.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from layers.synthetic.context import METRIC_SRID, City, wobble_line

#: class rank (lower wins where lines overlap), width (m), lanes, surface.
CLASSES: dict[str, tuple[int, float, int, str]] = {
    "primary": (0, 16.0, 4, "asphalt"),
    "secondary": (1, 12.0, 2, "asphalt"),
    "tertiary": (2, 8.0, 2, "asphalt"),
    "residential": (3, 5.0, 1, "concrete"),
    "unclassified": (4, 4.0, 1, "concrete"),
    "track": (5, 3.0, 1, "unpaved"),
}
GRID_PRECISION = 0.01  # m: snap-rounding grid of the noding


@dataclass(frozen=True)
class GridParams:
    spacing: tuple[float, float]
    wobble: float
    step: float


URBAN_GRID = GridParams(spacing=(110.0, 180.0), wobble=3.0, step=60.0)
RURAL_GRID = GridParams(spacing=(320.0, 650.0), wobble=45.0, step=120.0)

#: Arterials: name, class, start and end as fractions of the city's bounding box; the two marked
#: True bridge the branch of the river to the islets (Tân Long, Thới Sơn).
ARTERIALS: tuple[tuple[str, str, tuple[float, float], tuple[float, float], bool], ...] = (
    ("Trục Đông–Tây 1", "primary", (-0.02, 0.52), (1.02, 0.50), False),
    ("Trục Đông–Tây 2", "secondary", (0.10, 0.78), (1.02, 0.80), False),
    ("Trục Bắc–Nam 1", "primary", (0.45, 1.02), (0.47, 0.05), True),
    ("Trục Bắc–Nam 2", "secondary", (0.66, 1.02), (0.70, 0.12), True),
    ("Trục Bắc–Nam 3", "secondary", (0.24, 1.02), (0.22, 0.12), True),
    ("Trục ven sông", "secondary", (0.30, 0.44), (0.98, 0.40), False),
)


def _densified(params: GridParams, households_per_km2: float) -> GridParams:
    """Smaller blocks where households are dense (alleys in the old centre), larger where sparse."""
    reference = 3000.0 if params is URBAN_GRID else 800.0
    factor = float(np.clip((reference / max(households_per_km2, 1.0)) ** 0.75, 0.5, 1.25))
    return GridParams((params.spacing[0] * factor, params.spacing[1] * factor), params.wobble, params.step)


def _grid_lines(
    ward: BaseGeometry, rng: np.random.Generator, params: GridParams, angle: float
) -> list[np.ndarray]:
    """Two families of parallel wobbly lines covering the ward's bounding circle."""
    centre = np.array(ward.centroid.coords[0])
    minx, miny, maxx, maxy = ward.bounds
    reach = 0.5 * float(np.hypot(maxx - minx, maxy - miny)) + 10.0
    lines = []
    for family, spacing in enumerate(params.spacing):
        theta = angle + family * np.pi / 2
        along = np.array([np.cos(theta), np.sin(theta)])
        across = np.array([-along[1], along[0]])
        offset = rng.uniform(0, spacing)
        for k in np.arange(-reach - offset, reach, spacing):
            shift = k + rng.normal(0, spacing * 0.08)
            a = centre + across * shift - along * reach
            b = centre + across * shift + along * reach
            lines.append(wobble_line(a, b, rng, step=params.step, amplitude=params.wobble))
    return lines


def _candidates(city: City, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidate lines, their class and whether they may cross canals/the islet branch."""
    geoms: list[BaseGeometry] = []
    classes: list[str] = []
    minx, miny, maxx, maxy = city.polygon.bounds
    size, origin = np.array([maxx - minx, maxy - miny]), np.array([minx, miny])
    bridge: list[int] = []  # 0 none, 1 canals, 2 canals and the islet branch
    for _name, cls, start, end, islets in ARTERIALS:
        a, b = origin + size * np.array(start), origin + size * np.array(end)
        geoms.append(shapely.LineString(wobble_line(a, b, rng, step=200.0, amplitude=60.0)))
        classes.append(cls)
        bridge.append(2 if islets else 1)
    city_angle = rng.uniform(-0.2, 0.2)
    for ward, urban, households in zip(
        city.wards.geometry, city.urban, city.wards["households"], strict=True
    ):
        params = _densified(URBAN_GRID if urban else RURAL_GRID, households / ward.area * 1e6)
        angle = city_angle + rng.normal(0, 0.06 if urban else 0.25)
        clip = ward.buffer(0.5)
        lines = shapely.intersection(shapely.linestrings(_grid_lines(ward, rng, params, angle)), clip)
        for part in shapely.get_parts(lines):
            if part.geom_type == "LineString" and part.length > 1.0:
                geoms.append(part)
                classes.append(
                    "residential" if urban else str(rng.choice(["unclassified", "track"], p=[0.7, 0.3]))
                )
                bridge.append(0)
        geoms.append(ward.boundary)
        classes.append("tertiary")
        bridge.append(1)
    return np.array(geoms, dtype=object), np.array(classes), np.array(bridge)


def _cut(geoms: np.ndarray, bridge: np.ndarray, water: gpd.GeoDataFrame, city: City) -> np.ndarray:
    """Clip to the city; cut by the river, by canals unless bridged, by the islet branch unless bridged."""
    river = shapely.union_all(water.geometry[water["name"] == "Sông Tiền"].to_numpy())
    branch = shapely.union_all(water.geometry[water["name"] == "Sông Tiền (nhánh quanh cồn)"].to_numpy())
    canals = shapely.union_all(water.geometry[water["type"] == "canal"].to_numpy())
    land = shapely.difference(city.polygon, river)
    shapely.prepare(land)
    out = shapely.intersection(geoms, land)
    out = np.where(bridge < 2, shapely.difference(out, branch), out)
    return np.where(bridge < 1, shapely.difference(out, canals), out)


def _node(geoms: np.ndarray, classes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Node all lines (snap rounding) and give every segment the best class of the lines under it."""
    noded = shapely.union_all(geoms, grid_size=GRID_PRECISION)
    segments = shapely.get_parts(noded)
    segments = segments[shapely.get_type_id(segments) == 1]
    segments = segments[shapely.length(segments) > 0]
    tree = shapely.STRtree(geoms)
    mids = shapely.line_interpolate_point(segments, 0.5, normalized=True)
    seg_idx, line_idx = tree.query(mids, predicate="dwithin", distance=GRID_PRECISION * 2)
    ranks = np.array([CLASSES[c][0] for c in classes])
    best = np.full(len(segments), CLASSES["track"][0])
    np.minimum.at(best, seg_idx, ranks[line_idx])
    names = {v[0]: k for k, v in CLASSES.items()}
    return segments, np.array([names[r] for r in best])


def segment_components(geoms: np.ndarray, *, decimals: int = 3) -> np.ndarray:
    """Connected-component label of every line segment (segments meet where endpoints coincide).

    Examples
    --------
    >>> lines = shapely.linestrings([[(0, 0), (1, 0)], [(1, 0), (1, 1)], [(5, 5), (6, 5)]])
    >>> segment_components(lines).tolist()
    [0, 0, 2]
    """
    ends = np.vstack(
        [
            shapely.get_coordinates(shapely.get_point(geoms, 0)),
            shapely.get_coordinates(shapely.get_point(geoms, -1)),
        ]
    )
    _, node = np.unique(ends.round(decimals), axis=0, return_inverse=True)
    node = node.ravel()
    parent = np.arange(int(node.max()) + 1 if len(node) else 0)

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = int(parent[x])
        return x

    n = len(geoms)
    for a, b in zip(node[:n].tolist(), node[n:].tolist(), strict=True):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    first: dict[int, int] = {}  # label = index of the component's first segment
    return np.array([first.setdefault(find(int(a)), i) for i, a in enumerate(node[:n])], dtype=int)


def _dangles(segments: np.ndarray, *, min_dangle: float = 3.0) -> np.ndarray:
    """Mask of tiny dead ends left by clipping (shorter than ``min_dangle`` metres)."""
    ends = np.vstack(
        [
            shapely.get_coordinates(shapely.get_point(segments, 0)),
            shapely.get_coordinates(shapely.get_point(segments, -1)),
        ]
    ).round(3)
    _, node, degree = np.unique(ends, axis=0, return_inverse=True, return_counts=True)
    node = node.ravel()
    n = len(segments)
    dead = (degree[node[:n]] == 1) | (degree[node[n:]] == 1)
    return dead & (shapely.length(segments) < min_dangle)


def streets(city: City, water: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The street network (metric CRS): one feature per noded segment, largest component only."""
    rng = city.rng("streets")
    geoms, classes, bridge = _candidates(city, rng)
    geoms = _cut(geoms, bridge, water, city)
    segments, seg_class = _node(geoms, classes)
    keep = ~_dangles(segments)
    segments, seg_class = segments[keep], seg_class[keep]
    labels = segment_components(segments)
    lengths = shapely.length(segments)
    totals = np.bincount(labels, weights=lengths, minlength=len(segments))
    main = labels == int(np.argmax(totals))
    dropped = 1.0 - totals.max() / max(lengths.sum(), 1e-9)
    if dropped > 0.05:
        raise RuntimeError(
            f"street generator: {dropped:.1%} of the network is disconnected (seed {city.seed})"
        )
    segments, seg_class = segments[main], seg_class[main]
    return _frame(segments, seg_class, rng)


def _frame(segments: np.ndarray, seg_class: np.ndarray, rng: np.random.Generator) -> gpd.GeoDataFrame:
    names = {"primary": "Trục chính", "secondary": "Đường liên khu vực"}
    width = np.array([CLASSES[c][1] for c in seg_class]) * rng.uniform(0.9, 1.1, len(seg_class))
    return gpd.GeoDataFrame(
        {
            "road_id": [f"R{i:06d}" for i in range(1, len(segments) + 1)],
            "road_class": seg_class,
            "name": [names.get(c) for c in seg_class],
            "oneway": False,
            "walkable": True,
            "surface": [CLASSES[c][3] for c in seg_class],
            "width_m": width.round(1),
            "lanes": [CLASSES[c][2] for c in seg_class],
        },
        geometry=gpd.GeoSeries(segments, crs=METRIC_SRID),
    )
