"""Export a layer to a file for other tools: GeoPackage, GeoJSON, GeoParquet, FlatGeobuf, CSV, Shapefile.

CSV carries the geometry as a WKT column ``wkt``; Shapefile is written as a ``.zip`` holding the
``.shp/.shx/.dbf/.prj/.cpg`` set (UTF-8), with field names cut to 10 characters by the format
(the report lists the renames).
"""

from __future__ import annotations

import tempfile
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import geopandas as gpd
import pyogrio
import sqlalchemy as sa
from psycopg2 import sql
from sqlalchemy.engine import Engine

from layers.catalog import LayerSpec
from layers.errors import LayerError

ExportFormat = Literal["gpkg", "geojson", "parquet", "fgb", "csv", "shp"]
FORMATS: tuple[ExportFormat, ...] = ("gpkg", "geojson", "parquet", "fgb", "csv", "shp")
_DRIVERS = {"gpkg": "GPKG", "geojson": "GeoJSON", "fgb": "FlatGeobuf"}


@dataclass
class ExportReport:
    """What an export wrote."""

    layer: str
    path: str
    format: str
    features: int
    notes: list[str] = field(default_factory=list)


def read_layer(engine: Engine, spec: LayerSpec) -> gpd.GeoDataFrame:
    """All rows of a layer as a GeoDataFrame in EPSG:4326 (ordered by id)."""
    query = sql.SQL("SELECT * FROM {} ORDER BY {}").format(
        sql.Identifier(spec.schema, spec.table), sql.Identifier(spec.id_field)
    )
    with engine.connect() as conn:
        text = query.as_string(conn.connection.driver_connection)
        return gpd.read_postgis(sa.text(text), conn, geom_col="geom")


def _write_shapefile(frame: gpd.GeoDataFrame, path: Path, notes: list[str]) -> None:
    long_names = [c for c in frame.columns if c != "geom" and len(c) > 10]
    if long_names:
        notes.append(f"Shapefile cuts field names to 10 characters: {', '.join(long_names)}")
    with tempfile.TemporaryDirectory() as tmp:
        shp = Path(tmp) / f"{path.stem}.shp"
        with warnings.catch_warnings():  # the laundered names are reported in ``notes``
            warnings.filterwarnings("ignore", message="Normalized/laundered field name")
            pyogrio.write_dataframe(frame, shp, driver="ESRI Shapefile", encoding="UTF-8")
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for part in sorted(Path(tmp).iterdir()):
                zf.write(part, part.name)


def export_layer(engine: Engine, spec: LayerSpec, path: str | Path, *, fmt: str) -> ExportReport:
    """Write a layer to ``path`` in ``fmt`` (one of :data:`FORMATS`); replaces an existing file."""
    if fmt not in FORMATS:
        raise LayerError(f"Unknown export format {fmt!r}.", hint=f"Use one of {', '.join(FORMATS)}.")
    path = Path(path)
    if fmt == "shp" and path.suffix.lower() != ".zip":
        path = path.with_suffix(".zip")
    if not path.parent.exists():
        raise LayerError(f"Cannot write {path}: folder {path.parent} does not exist.")
    frame = read_layer(engine, spec)
    notes: list[str] = []
    path.unlink(missing_ok=True)
    if fmt == "parquet":
        frame.to_parquet(path)
    elif fmt == "csv":
        table = frame.drop(columns="geom")
        table["wkt"] = frame.geometry.to_wkt()
        table.to_csv(path, index=False, encoding="utf-8")
    elif fmt == "shp":
        _write_shapefile(frame, path, notes)
    else:
        pyogrio.write_dataframe(frame, path, driver=_DRIVERS[fmt], layer=spec.name)
    return ExportReport(spec.qualified_name, str(path), fmt, len(frame), notes)
