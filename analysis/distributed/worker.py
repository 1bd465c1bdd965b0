"""What a Dask worker runs: one partition of one indicator, read from PostGIS by the worker itself.

A worker reads only the features of its partition's study area (``area`` column: areas may overlap
on the ground) and, for a tile, of its extent (its strip, the whole units it owns and the overlap),
computes the indicator's pure recipe and returns the rows it owns, in the analysis CRS.  The client
stitches and publishes them.

Errors never escape as bare tracebacks: the result carries the error's kind and message, and the
client raises it naming the indicator and the partition.
"""

from __future__ import annotations

import math
import os
import re
import resource
import socket
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio
import shapely
import shapely.errors
import sqlalchemy as sa
from psycopg2 import sql
from pyproj import CRS, Transformer
from rasterio.windows import Window, from_bounds
from sqlalchemy.engine import Engine

from analysis.distributed.partitions import Partition, study_areas
from analysis.errors import IndicatorError, MissingInputError
from analysis.indicators.rasters import Raster
from analysis.inputs import InputSet, qualified
from analysis.registry import get_indicator
from analysis.runner import _read_inputs, _valid
from gis.crs import STORAGE_SRID
from gis.engine import create_engine, database_url
from gis.errors import DothiError
from gis.settings import DatabaseSettings
from gis.sqlfiles import load_sql
from layers.catalog import RASTERS, get_layer, get_raster

Box = tuple[float, float, float, float]
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@dataclass(frozen=True)
class PartitionTask:
    """Everything a worker needs, picklable: no engine, no password unless the client is local."""

    partition: Partition
    parameters: dict[str, Any]
    found: InputSet
    data_dir: str | None
    database_url: str | None = None
    """Only for a local cluster (same machine, same user); remote workers use their own
    ``DOTHI_DATABASE_URL`` (or embedded-cluster settings)."""


@dataclass
class PartitionResult:
    partition: Partition
    rows: gpd.GeoDataFrame | None = None
    seconds: float = 0.0
    peak_rss_mb: float = 0.0
    features_read: int = 0
    error_kind: str | None = None
    error: str | None = None
    details: str = field(default="", repr=False)
    worker: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")
    """The worker process that computed it (host:pid); its peak RSS is the largest it reported."""


_ENGINES: dict[str, Engine] = {}


def _engine(url: str | None) -> Engine:
    key = url or ""
    if key not in _ENGINES:
        _ENGINES[key] = create_engine(url or database_url(DatabaseSettings()), application_name="dothi-dask")
    return _ENGINES[key]


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def compute_partition(task: PartitionTask) -> PartitionResult:
    """Compute one partition; never raises (errors are returned, see the module docstring)."""
    part, t0 = task.partition, time.perf_counter()
    try:
        rows, read = _compute(task)
    except DothiError as exc:
        return _failed(part, type(exc).__name__, str(exc))
    except (ValueError, KeyError) as exc:
        return _failed(part, "IndicatorError", f"cannot be computed: {exc}")
    except shapely.errors.GEOSException as exc:
        return _failed(part, "IndicatorError", f"a geometry operation failed ({exc}).")
    except Exception as exc:
        return _failed(part, "error", f"{type(exc).__name__}: {exc}", traceback.format_exc())
    return PartitionResult(part, rows, time.perf_counter() - t0, _peak_rss_mb(), read)


def _failed(part: Partition, kind: str, message: str, details: str = "") -> PartitionResult:
    return PartitionResult(part, error_kind=kind, error=message, details=details, peak_rss_mb=_peak_rss_mb())


def _compute(task: PartitionTask) -> tuple[gpd.GeoDataFrame, int]:
    part = task.partition
    spec = get_indicator(part.indicator_id)
    engine = _engine(task.database_url)
    data_dir = Path(task.data_dir) if task.data_dir else None
    if part.whole:
        inputs, epsg, _ = _read_inputs(engine, spec, task.found, data_dir, {}, area=part.area)
        if epsg != part.epsg:
            raise IndicatorError(f"analysis CRS EPSG:{epsg} differs from the planned EPSG:{part.epsg}")
        return spec.recipe(inputs, task.parameters), _count(inputs)
    inputs = _read_tile(engine, part, spec, task.found, data_dir)
    rows = spec.recipe(inputs, task.parameters)
    return _owned(rows, part), _count(inputs)


def _count(inputs: dict[str, Any]) -> int:
    return sum(len(v) for v in inputs.values() if isinstance(v, gpd.GeoDataFrame))


def _owned(rows: gpd.GeoDataFrame, part: Partition) -> gpd.GeoDataFrame:
    """The rows this tile owns: wards by representative point, grid cells by centre; no city rows
    (the client recomputes them from every tile's sums)."""
    geoms = rows.geometry.to_numpy()
    x = np.full(len(rows), np.nan)
    ward = (rows["level"] == "ward").to_numpy()
    grid = (rows["level"] == "grid").to_numpy()
    x[ward] = shapely.get_x(shapely.point_on_surface(geoms[ward]))
    x[grid] = shapely.get_x(shapely.centroid(geoms[grid]))
    return rows[(ward | grid) & part.owns(x)]


def _read_box(engine: Engine, name: str, box: Box, epsg: int, area: str) -> gpd.GeoDataFrame:
    """The features of ``name`` in study area ``area`` meeting ``box`` (analysis CRS), in storage
    order, in the storage CRS."""
    layer = get_layer(name)
    query = sql.SQL(load_sql("analysis", "partition_rows")).format(
        table=sql.Identifier(layer.schema, layer.table)
    )
    with engine.connect() as conn:
        text = query.as_string(conn.connection.driver_connection)
        minx, miny, maxx, maxy = box
        params: dict[str, float | str] = {
            **{"minx": minx, "miny": miny, "maxx": maxx, "maxy": maxy, "srid": epsg},
            "area": area,
        }
        # the same reader as the serial run (analysis.inputs.read_vector), so columns get the same dtypes
        table = pd.read_sql(sa.text(_PLACEHOLDER.sub(r":\1", text)), conn, params=params)
    geoms = shapely.from_wkb(table.pop("geom").to_numpy()) if len(table) else []
    return gpd.GeoDataFrame(
        table.assign(geom=gpd.GeoSeries(geoms, index=table.index)), geometry="geom", crs=STORAGE_SRID
    )


def _bounds(frame: gpd.GeoDataFrame) -> Box:
    minx, miny, maxx, maxy = frame.total_bounds
    return (float(minx), float(miny), float(maxx), float(maxy))


def _union(a: Box, b: Box) -> Box:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def tile_extent(engine: Engine, part: Partition, area_box: Box) -> Box:
    """The extent a tile reads (analysis CRS): its strip within the area, the whole units it owns
    and every unit meeting them, grown by the overlap."""
    strip = (max(part.xmin, area_box[0]), area_box[1], min(part.xmax, area_box[2]), area_box[3])
    units = _read_box(engine, "admin_units", strip, part.epsg, part.area).to_crs(epsg=part.epsg)
    xs = shapely.get_x(shapely.point_on_surface(units.geometry.to_numpy()))
    core = units[part.owns(xs)]
    box = _union(strip, _bounds(core)) if len(core) else strip
    near = _read_box(engine, "admin_units", box, part.epsg, part.area).to_crs(epsg=part.epsg)
    box = _union(box, _bounds(near)) if len(near) else box
    d = part.overlap_m
    return (box[0] - d, box[1] - d, box[2] + d, box[3] + d)


def _area_box(engine: Engine, part: Partition) -> Box:
    areas = study_areas(engine, [part.area])
    if not areas:
        raise MissingInputError(
            f"Study area {part.area} has no extent (no outline, no administrative units)."
        )
    return Transformer.from_crs(4326, part.epsg, always_xy=True).transform_bounds(*areas[0].bbox)


def _read_tile(
    engine: Engine, part: Partition, spec: Any, found: InputSet, data_dir: Path | None
) -> dict[str, Any]:
    box = tile_extent(engine, part, _area_box(engine, part))
    inputs: dict[str, Any] = {}
    for name in (*spec.inputs, *spec.optional_inputs):
        if not found.present(name):
            continue
        if name in RASTERS:
            inputs[name] = _read_raster_tile(
                data_dir, name, found.raster_files[qualified(name)], box, part.epsg
            )
            continue
        frame = _read_box(engine, name, box, part.epsg, part.area)
        if frame.empty and name not in spec.inputs and not _has_rows(engine, name, part.area):
            continue  # an optional layer empty everywhere: as the serial run, not given
        inputs[name] = _valid(frame.to_crs(epsg=part.epsg))
    return inputs


def _has_rows(engine: Engine, name: str, area: str) -> bool:
    layer = get_layer(name)
    with engine.connect() as conn:
        query = sql.SQL(load_sql("analysis", "layer_has_rows")).format(
            table=sql.Identifier(layer.schema, layer.table)
        )
        cur = _cursor(conn)
        cur.execute(query, {"area": area})
        return bool(cur.fetchone()[0])


def _cursor(conn: Any) -> Any:
    return conn.connection.driver_connection.cursor()


def _read_raster_tile(
    data_dir: Path | None, name: str, rows: list[dict[str, Any]], box: Box, epsg: int
) -> Raster | list[Raster]:
    if data_dir is None:
        raise MissingInputError(
            f"Raster layer {qualified(name)} is loaded but the worker has no data folder to read it from.",
            hint="Set DOTHI_DATA_DIR on the workers to the (shared) data folder.",
        )
    rasters = [_window(data_dir, r, box, epsg) for r in rows]
    return rasters if get_raster(name).by_year else rasters[-1]


def _window(data_dir: Path, row: dict[str, Any], box: Box, epsg: int) -> Raster:
    """The part of one COG covering ``box`` (one cell of margin), aligned on the file's grid."""
    path = data_dir / row["path"]
    if not path.is_file():
        raise MissingInputError(
            f"Raster layer {row['layer']}: file {path} listed in catalog.rasters does not exist "
            "on this worker.",
            hint="Mount the data folder at the same path on every worker (DOTHI_DATA_DIR).",
        )
    with rasterio.open(path) as src:
        crs = CRS.from_user_input(src.crs.to_wkt())
        b = Transformer.from_crs(epsg, crs, always_xy=True).transform_bounds(*box)
        w = from_bounds(*b, transform=src.transform)
        c0, r0 = max(0, math.floor(w.col_off) - 1), max(0, math.floor(w.row_off) - 1)
        c1 = min(src.width, math.ceil(w.col_off + w.width) + 1)
        r1 = min(src.height, math.ceil(w.row_off + w.height) + 1)
        win = Window(c0, r0, max(0, c1 - c0), max(0, r1 - r0))
        array = src.read(1, window=win, masked=True).astype("float64").filled(np.nan)
        return Raster(row["layer"], array, src.window_transform(win), crs, row["year"])
