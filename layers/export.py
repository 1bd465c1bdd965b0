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
#: File suffixes and the format they mean (``dothi export`` takes the format from the suffix).
SUFFIXES: dict[str, ExportFormat] = {
    ".gpkg": "gpkg",
    ".geojson": "geojson",
    ".json": "geojson",
    ".parquet": "parquet",
    ".geoparquet": "parquet",
    ".fgb": "fgb",
    ".csv": "csv",
    ".zip": "shp",
    ".shp": "shp",
}


def format_from_suffix(path: str | Path) -> ExportFormat:
    """The export format a file name asks for (``wards.gpkg`` → ``gpkg``); LayerError otherwise."""
    suffix = Path(path).suffix.lower()
    try:
        return SUFFIXES[suffix]
    except KeyError:
        raise LayerError(
            f"Cannot tell the export format of {Path(path).name!r} from its suffix {suffix or '(none)'}.",
            hint=f"Use one of {', '.join(SUFFIXES)} or give --format ({', '.join(FORMATS)}).",
        ) from None


@dataclass
class ExportReport:
    """What an export wrote."""

    layer: str
    path: str
    format: str
    features: int
    notes: list[str] = field(default_factory=list)


def read_layer(engine: Engine, spec: LayerSpec, *, area: str | None = None) -> gpd.GeoDataFrame:
    """All rows of a layer (of study area ``area`` when given) as a GeoDataFrame in EPSG:4326,
    ordered by id."""
    query = sql.SQL(
        "SELECT * FROM {} WHERE (CAST(:area AS text) IS NULL OR area = :area) ORDER BY {}"
    ).format(sql.Identifier(spec.schema, spec.table), sql.Identifier(spec.id_field))
    with engine.connect() as conn:
        text = query.as_string(conn.connection.driver_connection)
        return gpd.read_postgis(sa.text(text), conn, geom_col="geom", params={"area": area})


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


def target(path: str | Path, fmt: str | None) -> tuple[Path, ExportFormat]:
    """The file to write and its format (``fmt``, else from the suffix); checks both."""
    path = Path(path)
    chosen = format_from_suffix(path) if fmt is None else fmt
    if chosen not in FORMATS:
        raise LayerError(f"Unknown export format {chosen!r}.", hint=f"Use one of {', '.join(FORMATS)}.")
    if chosen == "shp" and path.suffix.lower() != ".zip":
        path = path.with_suffix(".zip")
    if not path.parent.exists():
        raise LayerError(f"Cannot write {path}: folder {path.parent} does not exist.")
    return path, chosen


def export_layer(
    engine: Engine, spec: LayerSpec, path: str | Path, *, fmt: str | None = None, area: str | None = None
) -> ExportReport:
    """Write a layer (its rows of study area ``area`` when given) to ``path`` in ``fmt`` (one of
    :data:`FORMATS`; by default from the file's suffix); replaces an existing file."""
    path, fmt = target(path, fmt)
    frame = read_layer(engine, spec, area=area)
    notes = write_frame(frame, path, fmt, name=spec.name)
    return ExportReport(spec.qualified_name, str(path), fmt, len(frame), notes)


def write_frame(frame: gpd.GeoDataFrame, path: Path, fmt: ExportFormat, *, name: str) -> list[str]:
    """Write ``frame`` (geometry column ``geom``) to ``path`` in ``fmt``; the notes of the write."""
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
        pyogrio.write_dataframe(frame, path, driver=_DRIVERS[fmt], layer=name)
    return notes
