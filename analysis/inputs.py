"""Reading an indicator's inputs: vector layers from PostGIS, rasters from the COGs listed in
``catalog.rasters``, and their versions (the provenance that makes re-runs a no-op)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio
import shapely
import sqlalchemy as sa
from psycopg2 import sql
from pyproj import CRS
from sqlalchemy.engine import Engine

from analysis.errors import MissingInputError
from analysis.indicators.rasters import Raster
from analysis.spec import IndicatorSpec
from gis.crs import STORAGE_SRID
from gis.errors import CrsError
from gis.sqlfiles import load_sql
from layers.catalog import RASTERS, get_layer, get_raster
from layers.catalog.types import DEFAULT_AREA


def _cursor(conn: Any) -> Any:
    return conn.connection.driver_connection.cursor()


def qualified(name: str) -> str:
    return get_raster(name).qualified_name if name in RASTERS else get_layer(name).qualified_name


@dataclass
class InputSet:
    """What an indicator will read: versions of every present input, raster file rows."""

    versions: dict[str, Any] = field(default_factory=dict)
    raster_files: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def present(self, name: str) -> bool:
        return qualified(name) in self.versions


def _vector_versions(engine: Engine, names: list[str], area: str) -> dict[str, Any]:
    with engine.connect() as conn:
        cur = _cursor(conn)
        cur.execute(
            load_sql("analysis", "latest_loads"), {"layers": [qualified(n) for n in names], "area": area}
        )
        return {row[0]: {"load_id": row[1], "layer_version": row[2]} for row in cur.fetchall()}


def _raster_rows(engine: Engine, names: list[str], area: str) -> dict[str, list[dict[str, Any]]]:
    with engine.connect() as conn:
        cur = _cursor(conn)
        cur.execute(
            load_sql("analysis", "raster_files"), {"layers": [qualified(n) for n in names], "area": area}
        )
        keys = [d[0] for d in cur.description]
        found: dict[str, list[dict[str, Any]]] = {}
        for row in cur.fetchall():
            record = dict(zip(keys, row, strict=True))
            found.setdefault(record["layer"], []).append(record)
    return found


def input_set(engine: Engine, spec: IndicatorSpec, *, area: str = DEFAULT_AREA) -> InputSet:
    """Versions of the required and optional inputs in study area ``area``; refuses missing
    required ones by name."""
    names = [*spec.inputs, *spec.optional_inputs]
    vectors = [n for n in names if n not in RASTERS]
    rasters = [n for n in names if n in RASTERS]
    result = InputSet(versions=_vector_versions(engine, vectors, area) if vectors else {})
    if rasters:
        result.raster_files = _raster_rows(engine, rasters, area)
        for layer, rows in result.raster_files.items():
            result.versions[layer] = [
                {"year": r["year"], "checksum": r["checksum"], "load_id": r["load_id"]} for r in rows
            ]
    missing = [qualified(n) for n in spec.inputs if not result.present(n)]
    if missing:
        raise MissingInputError(
            f"Indicator {spec.id} needs layer(s) {', '.join(missing)}, which have never been loaded"
            + ("." if area == DEFAULT_AREA else f" in study area {area}."),
            hint="Load them first (e.g. `dothi load …` or `dothi demo`).",
        )
    return result


def read_vector(
    engine: Engine, name: str, *, required: bool = True, area: str = DEFAULT_AREA
) -> gpd.GeoDataFrame | None:
    """A vector layer's rows of study area ``area`` in the storage CRS; an empty required layer is
    an error naming it."""
    layer = get_layer(name)
    query = sql.SQL("SELECT * FROM {} WHERE area = :area").format(sql.Identifier(layer.schema, layer.table))
    with engine.connect() as conn:
        text = query.as_string(conn.connection.driver_connection)
        table = pd.read_sql(sa.text(text), conn, params={"area": area})
    # one vectorised WKB decode (geopandas.read_postgis decodes row by row)
    geoms = shapely.from_wkb(table.pop("geom").to_numpy()) if len(table) else []
    frame = gpd.GeoDataFrame(
        table.assign(geom=gpd.GeoSeries(geoms, index=table.index)), geometry="geom", crs=STORAGE_SRID
    )
    if frame.empty:
        if not required:
            return None
        raise MissingInputError(
            f"Input layer {layer.qualified_name} is empty (study area {area}).",
            hint="Load it before running indicators.",
        )
    return frame


def read_raster(data_dir: Path, row: dict[str, Any]) -> Raster:
    """One COG as a :class:`Raster` (band 1, nodata → NaN)."""
    path = data_dir / row["path"]
    layer = row["layer"]
    if not path.is_file():
        raise MissingInputError(
            f"Raster layer {layer} ({row['year'] or 'no year'}): file {path} listed in catalog.rasters "
            "does not exist.",
            hint="Reload the raster layer, or set DOTHI_DATA_DIR to the data folder holding it.",
        )
    with rasterio.open(path) as src:
        if src.crs is None:
            raise CrsError(f"Raster layer {layer}: {path} has no CRS.", hint="Reload it with a CRS.")
        array = src.read(1, masked=True).astype("float64").filled(np.nan)
        return Raster(layer, array, src.transform, CRS.from_user_input(src.crs.to_wkt()), row["year"])


def read_rasters(data_dir: Path | None, name: str, rows: list[dict[str, Any]]) -> Raster | list[Raster]:
    """A by-year raster layer as a list (oldest first); any other as its latest file."""
    spec = get_raster(name)
    if data_dir is None:
        raise MissingInputError(
            f"Raster layer {spec.qualified_name} is loaded but no data folder was given to read it from.",
            hint="Pass data_dir (the CLI uses DOTHI_DATA_DIR).",
        )
    rasters = [read_raster(data_dir, r) for r in rows]
    return rasters if spec.by_year else rasters[-1]
