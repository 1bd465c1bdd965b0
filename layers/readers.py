"""Reading vector sources into GeoDataFrames: GeoPackage, GeoJSON, (zipped) Shapefile, GeoParquet,
FlatGeobuf, CSV (lon/lat or WKT columns) and KML.

Everything goes through pyogrio/GDAL (GeoParquet through pyarrow).  A source that cannot be read —
missing, empty, corrupt, truncated, an unknown layer — raises :class:`SourceError` naming the file.
A source without a CRS is refused unless one is given (``--crs``, parsed by
:func:`gis.crs.parse_crs`, so VN-2000 names such as ``VN2000-TM3-TIENGIANG`` work).  A given CRS
also overrides a file's own (wrong) CRS; the override is noted in the load report.
"""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS

from gis.crs import parse_crs
from gis.errors import CrsError
from layers.encoding import decode_column
from layers.errors import SourceError

FORMATS = {
    ".gpkg": "GeoPackage",
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".shp": "Shapefile",
    ".zip": "zipped Shapefile",
    ".parquet": "GeoParquet",
    ".geoparquet": "GeoParquet",
    ".fgb": "FlatGeobuf",
    ".csv": "CSV",
    ".kml": "KML",
    ".kmz": "KML",
}
_LON = ("lon", "lng", "long", "longitude", "x", "kinh_do")
_LAT = ("lat", "latitude", "y", "vi_do")
_WKT = ("wkt", "geometry", "geom", "the_geom")


@dataclass
class ReadResult:
    """A source read into memory."""

    frame: gpd.GeoDataFrame
    path: Path
    format: str
    crs: str | None
    notes: list[str] = field(default_factory=list)


def source_format(path: Path) -> str:
    """The format of a source from its name; raises :class:`SourceError` for unknown suffixes."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise SourceError(
            f"{path}: unknown source format {suffix or '(no suffix)'!r}.",
            hint=f"Supported: {', '.join(sorted(set(FORMATS)))}.",
        )
    return FORMATS[suffix]


def _check_file(path: Path) -> None:
    if not path.exists():
        raise SourceError(f"{path}: no such file.", hint="Check the path.")
    if path.is_file() and path.stat().st_size == 0:
        raise SourceError(f"{path}: the file is empty (0 bytes).", hint="Export the data again.")


def _zip_shapefile(path: Path) -> tuple[str, Path | None]:
    """The GDAL path of the shapefile inside a zip, and its .cpg member name if any."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            bad = zf.testzip()
    except (zipfile.BadZipFile, OSError) as exc:
        raise SourceError(f"{path}: not a readable zip archive ({exc}).", hint="Zip the file again.") from exc
    if bad is not None:
        raise SourceError(f"{path}: member {bad!r} of the zip archive is corrupt.")
    shps = [n for n in names if n.lower().endswith(".shp")]
    if len(shps) != 1:
        raise SourceError(
            f"{path}: expected exactly one .shp in the zip archive, found {len(shps)}.",
            hint="Zip one shapefile (.shp, .shx, .dbf, .prj, .cpg) per archive.",
        )
    return f"/vsizip/{path}/{shps[0]}", None


def _cpg(path: Path, gdal_path: str) -> str | None:
    """The code page named by the shapefile's .cpg, if any."""
    if path.suffix.lower() == ".zip":
        inner = gdal_path.split(f"{path}/", 1)[1]
        with zipfile.ZipFile(path) as zf:
            for name in zf.namelist():
                if name.lower() == str(Path(inner).with_suffix(".cpg")).lower():
                    return zf.read(name).decode("ascii", "replace").strip() or None
        return None
    cpg = path.with_suffix(".cpg")
    return cpg.read_text(encoding="ascii", errors="replace").strip() or None if cpg.exists() else None


def _read_ogr(path: Path, gdal_path: str, *, layer: str | None, **kwargs: Any) -> gpd.GeoDataFrame:
    try:
        with warnings.catch_warnings():  # GDAL's warnings on broken files; the error says it all
            warnings.simplefilter("ignore", RuntimeWarning)
            layers = [name for name, _ in pyogrio.list_layers(gdal_path)]
    except Exception as exc:
        raise SourceError(
            f"{path}: cannot be opened — corrupt, truncated or not a {source_format(path)} file ({exc}).",
            hint="Check the file (ogrinfo) or export it again.",
        ) from exc
    if layer is not None and layer not in layers:
        raise SourceError(
            f"{path}: no layer {layer!r}.", hint=f"Layers in the file: {', '.join(layers) or 'none'}."
        )
    if layer is None and len(layers) > 1:
        raise SourceError(
            f"{path} holds {len(layers)} layers; say which one.",
            hint=f"Use --source-layer with one of: {', '.join(layers)}.",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return pyogrio.read_dataframe(gdal_path, layer=layer, **kwargs)
    except Exception as exc:
        raise SourceError(
            f"{path}{f' (layer {layer})' if layer else ''}: cannot be read — corrupt or truncated ({exc}).",
            hint="Check the file (ogrinfo) or export it again.",
        ) from exc


def _read_shapefile(
    path: Path, gdal_path: str, *, layer: str | None, encoding: str | None, notes: list[str]
) -> gpd.GeoDataFrame:
    frame = _read_ogr(path, gdal_path, layer=layer, encoding="latin1")
    cpg = _cpg(path, gdal_path)
    chosen = encoding or (cpg if cpg and cpg.lower().replace("-", "") not in {"utf8", "65001"} else None)
    if chosen and chosen.isdigit():
        chosen = f"cp{chosen}"
    for column in frame.columns:
        values = frame[column]
        if column != frame.geometry.name and (values.dtype == object or pd.api.types.is_string_dtype(values)):
            frame[column], used = decode_column(
                frame[column], column=column, source=str(path), encoding=chosen
            )
            if used not in {"utf-8"}:
                notes.append(f"column {column!r} decoded from {used}")
    return frame


def _read_csv(path: Path, *, notes: list[str]) -> gpd.GeoDataFrame:
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise SourceError(
            f"{path}: cannot be read as UTF-8 CSV ({exc}).", hint="Save it as UTF-8 CSV."
        ) from exc
    lower = {c.lower(): c for c in table.columns}
    wkt = next((lower[n] for n in _WKT if n in lower), None)
    lon = next((lower[n] for n in _LON if n in lower), None)
    lat = next((lower[n] for n in _LAT if n in lower), None)
    if wkt is not None:
        try:
            geoms = shapely.from_wkt(table[wkt].to_numpy(), on_invalid="raise")
        except shapely.errors.GEOSException as exc:
            raise SourceError(f"{path}: column {wkt!r} holds text that is not WKT ({exc}).") from exc
        notes.append(f"geometry from WKT column {wkt!r}")
        return gpd.GeoDataFrame(table.drop(columns=[wkt]), geometry=geoms)
    if lon is None or lat is None:
        raise SourceError(
            f"{path}: no geometry columns (looked for {'/'.join(_WKT)} or lon/lat, x/y).",
            hint="Name the columns lon and lat (or x and y), or wkt.",
        )
    coords = table[[lon, lat]].apply(pd.to_numeric, errors="coerce")
    bad = coords.isna().any(axis=1) & table[[lon, lat]].notna().all(axis=1)
    if bad.any():
        line = int(bad.to_numpy().nonzero()[0][0]) + 2
        raise SourceError(f"{path}, line {line}: coordinates {lon}/{lat} are not numbers.")
    notes.append(f"points from columns {lon!r}, {lat!r}")
    geoms = shapely.points(coords[lon].to_numpy(), coords[lat].to_numpy())
    return gpd.GeoDataFrame(table.drop(columns=[lon, lat]), geometry=geoms)


def _read_parquet(path: Path) -> gpd.GeoDataFrame:
    try:
        return gpd.read_parquet(path)
    except Exception as exc:
        raise SourceError(
            f"{path}: cannot be read as GeoParquet — corrupt, truncated or not GeoParquet ({exc}).",
            hint="Write it again with geopandas/GDAL (GeoParquet 1.x).",
        ) from exc


def _read_any(
    path: Path, fmt: str, *, layer: str | None, encoding: str | None, notes: list[str]
) -> gpd.GeoDataFrame:
    if fmt == "CSV":
        return _read_csv(path, notes=notes)
    if fmt == "GeoParquet":
        return _read_parquet(path)
    if fmt == "zipped Shapefile":
        gdal_path, _ = _zip_shapefile(path)
        return _read_shapefile(path, gdal_path, layer=layer, encoding=encoding, notes=notes)
    if fmt == "Shapefile":
        return _read_shapefile(path, str(path), layer=layer, encoding=encoding, notes=notes)
    frame = _read_ogr(path, str(path), layer=layer, use_arrow=fmt != "KML")
    if fmt == "KML":  # KML's <name>/<description> come back as Name/Description
        kml = {"Name": "name", "Description": "description"}
        frame = frame.rename(columns={k: v for k, v in kml.items() if v not in frame.columns})
    return frame


def _apply_crs(frame: gpd.GeoDataFrame, path: Path, crs: str | None, notes: list[str]) -> str | None:
    given: CRS | None = parse_crs(crs, where="--crs") if crs else None
    if frame.crs is None and given is None:
        raise CrsError(
            f"{path} has no coordinate reference system.",
            hint="Give it with --crs, e.g. --crs EPSG:4326, --crs VN2000-UTM48N or "
            "--crs VN2000-TM3-TIENGIANG (Tiền Giang's 3° zone).",
        )
    if given is not None:
        if frame.crs is not None and not CRS(frame.crs).equals(given):
            notes.append(f"file CRS {CRS(frame.crs).to_string()} overridden by --crs")
        frame.set_crs(given, allow_override=True, inplace=True)
    return CRS(frame.crs).to_string()


def apply_renames(frame: gpd.GeoDataFrame, renames: Mapping[str, str], *, path: Path) -> gpd.GeoDataFrame:
    """Rename source columns (``--map src=dst``); an unknown source column is an error."""
    unknown = [src for src in renames if src not in frame.columns]
    if unknown:
        raise SourceError(
            f"{path}: --map names column(s) not in the file: {', '.join(unknown)}.",
            hint=f"Columns in the file: {', '.join(c for c in frame.columns if c != frame.geometry.name)}.",
        )
    return frame.rename(columns=dict(renames))


def parse_renames(items: tuple[str, ...] | list[str]) -> dict[str, str]:
    """``["src=dst", …]`` → ``{"src": "dst"}``; a malformed item is an error naming it."""
    out: dict[str, str] = {}
    for item in items:
        src, sep, dst = item.partition("=")
        if not sep or not src.strip() or not dst.strip():
            raise SourceError(f"--map {item!r}: expected source_column=layer_column.")
        out[src.strip()] = dst.strip()
    return out


def read_source(
    path: str | Path,
    *,
    layer: str | None = None,
    crs: str | None = None,
    renames: Mapping[str, str] | None = None,
    encoding: str | None = None,
) -> ReadResult:
    """Read a vector source file.

    Parameters
    ----------
    path:
        The file (``.gpkg``, ``.geojson``, ``.shp``, ``.zip`` with one shapefile, ``.parquet``,
        ``.fgb``, ``.csv``, ``.kml``).
    layer:
        The layer inside a multi-layer source (``--source-layer``).
    crs:
        The CRS to assume (``--crs``); required when the file has none (CSV always).
    renames:
        Column renames ``{source: layer}`` (``--map``).
    encoding:
        Text encoding of a shapefile's attributes; guessed (UTF-8 or TCVN3) when None.
    """
    path = Path(path)
    fmt = source_format(path)
    _check_file(path)
    notes: list[str] = []
    frame = _read_any(path, fmt, layer=layer, encoding=encoding, notes=notes)
    if len(frame) == 0:
        raise SourceError(
            f"{path}{f' (layer {layer})' if layer else ''} has no features.",
            hint="Check the file and --source-layer.",
        )
    used_crs = _apply_crs(frame, path, crs, notes)
    if renames:
        frame = apply_renames(frame, renames, path=path)
    return ReadResult(frame=frame, path=path, format=fmt, crs=used_crs, notes=notes)
