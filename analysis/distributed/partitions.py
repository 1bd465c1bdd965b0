"""How the work of ``dothi indicators run`` is cut into partitions (Dask tasks).

Work is partitioned by study area first (``catalog.study_areas``, :func:`study_areas`): every
partition reads, computes and publishes the rows of one area only (areas may overlap on the
ground: Mỹ Tho lies inside the former Tiền Giang province, so reads filter by area, never by
extent alone).  A partition is one indicator on one study area, or on one tile of it: a vertical strip of the
area in the analysis CRS that owns the ward units whose representative point and the grid cells
whose centre lie in it (half-open intervals: every unit is owned by exactly one tile).  Only the
indicators with a :data:`~analysis.distributed.tiling.TILE_RULES` entry are tiled; the others are
one partition per area.

:func:`study_areas` is the one place that says which study areas a run covers
(:func:`layers.areas.list_areas`, with each area's extent).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from psycopg2 import sql
from pyproj import Transformer
from sqlalchemy.engine import Engine

from analysis.distributed.tiling import TILE_RULES
from analysis.spec import IndicatorSpec
from gis.sqlfiles import load_sql
from layers.areas import DEFAULT_AREA, list_areas
from layers.catalog import ADMIN_UNITS

#: Default tile size (km²): an area larger than this is split into ⌈area / size⌉ strips.
#: Mỹ Tho (≈ 82 km²) stays one partition per indicator, as fast as the serial run.
DEFAULT_TILE_KM2 = 400.0


@dataclass(frozen=True)
class Area:
    """A study area: its code and its extent in EPSG:4326 (minx, miny, maxx, maxy)."""

    code: str
    bbox: tuple[float, float, float, float]


@dataclass(frozen=True)
class Partition:
    """One Dask task: an indicator on an area or on one strip ``[xmin, xmax)`` of it (analysis CRS)."""

    indicator_id: str
    area: str
    index: int
    count: int
    epsg: int
    xmin: float = -math.inf
    xmax: float = math.inf
    overlap_m: float = 0.0

    @property
    def whole(self) -> bool:
        return self.count == 1

    @property
    def label(self) -> str:
        """Names the partition in progress lines and errors."""
        if self.whole:
            return f"area {self.area} (whole)"
        return (
            f"area {self.area}, tile {self.index + 1}/{self.count} "
            f"(x ∈ [{self.xmin:.0f}, {self.xmax:.0f}) m in EPSG:{self.epsg}, overlap {self.overlap_m:.0f} m)"
        )

    def owns(self, x: Any) -> Any:
        """Whether x (scalar or array, analysis CRS) lies in this partition's core strip."""
        return (x >= self.xmin) & (x < self.xmax)


def _cursor(conn: Any) -> Any:
    return conn.connection.driver_connection.cursor()


def layer_bbox(
    engine: Engine, schema: str, table: str, area: str = DEFAULT_AREA
) -> tuple[float, float, float, float] | None:
    """Extent (EPSG:4326) of one layer's rows in study area ``area``, None when it has none."""
    query = sql.SQL(load_sql("analysis", "layer_extent")).format(table=sql.Identifier(schema, table))
    with engine.connect() as conn:
        cur = _cursor(conn)
        cur.execute(query, {"area": area})
        row = cur.fetchone()
    if row is None or row[0] is None:
        return None
    return (float(row[0]), float(row[1]), float(row[2]), float(row[3]))


def study_areas(engine: Engine, codes: list[str] | None = None) -> list[Area]:
    """The study areas to partition by, in ``codes`` order (every area of the database when None),
    each with its extent: its outline's, else its administrative units'.  Areas with neither
    loaded are left out (nothing to compute there)."""
    known = {a.code: a for a in list_areas(engine)}
    wanted = list(codes) if codes is not None else list(known) or [DEFAULT_AREA]
    out = []
    for code in wanted:
        listed = known.get(code)
        bbox = listed.bbox if listed is not None and listed.bbox else None
        bbox = bbox or layer_bbox(engine, ADMIN_UNITS.schema, ADMIN_UNITS.table, code)
        if bbox:
            out.append(Area(code, bbox))
    return out


def _strips(area: Area, epsg: int, tiles: int) -> list[tuple[float, float]]:
    """``tiles`` strips of equal width over the area's extent in the analysis CRS; the outer ones
    are open-ended."""
    to_metric = Transformer.from_crs(4326, epsg, always_xy=True)
    minx, _, maxx, _ = to_metric.transform_bounds(*area.bbox)
    width = (maxx - minx) / tiles
    edges = [minx + i * width for i in range(1, tiles)]
    lows = [-math.inf, *edges]
    highs = [*edges, math.inf]
    return list(zip(lows, highs, strict=True))


def extent_km2(area: Area, epsg: int) -> float:
    """The size (km²) of the area's extent in the metric CRS ``epsg``."""
    to_metric = Transformer.from_crs(4326, epsg, always_xy=True)
    minx, miny, maxx, maxy = to_metric.transform_bounds(*area.bbox)
    return float((maxx - minx) * (maxy - miny) / 1e6)


def tile_count(area: Area, epsg: int, *, tile_km2: float = DEFAULT_TILE_KM2) -> int:
    """How many strips an area of this size is cut into by default."""
    return max(1, math.ceil(extent_km2(area, epsg) / tile_km2))


def plan_partitions(
    spec: IndicatorSpec,
    params: dict[str, Any],
    areas: list[Area],
    epsg: int,
    *,
    tiles: int | None = None,
) -> list[Partition]:
    """The partitions of one indicator: per area, one, or (tiled indicators) ``tiles`` strips
    (default: by the area's size, :func:`tile_count`)."""
    rule = TILE_RULES.get(spec.id)
    out: list[Partition] = []
    for area in areas:
        count = 1 if rule is None else (tiles or tile_count(area, epsg))
        if count == 1:
            out.append(Partition(spec.id, area.code, 0, 1, epsg))
            continue
        overlap = rule.overlap_m(params) if rule else 0.0
        for i, (lo, hi) in enumerate(_strips(area, epsg, count)):
            out.append(Partition(spec.id, area.code, i, count, epsg, lo, hi, overlap))
    return out
