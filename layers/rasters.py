"""Raster layers stored as Cloud-Optimized GeoTIFFs, one ``catalog.rasters`` row per file.

Files live at ``<data_dir>/rasters/<name>/<name>[_<year>].tif`` (the row stores the path relative
to ``data_dir``).  A store is atomic: the COG is written to a temporary file next to its final
place, then — inside one database transaction that records the provenance row and upserts the
catalog row — the previous file is moved aside, the new one renamed into place, and the
transaction committed.  Any failure restores the previous file and rolls the rows back.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import psycopg2
import rasterio
from affine import Affine
from rasterio.crs import CRS
from rasterio.errors import RasterioError
from rasterio.warp import transform_bounds
from sqlalchemy.engine import Engine

from gis.sqlfiles import dothi_version, load_sql
from layers.catalog import RasterSpec, get_raster
from layers.catalog.types import DEFAULT_AREA
from layers.errors import LayerError, LoadError, SourceError


@dataclass(frozen=True)
class RasterArray:
    """One raster in memory: a 2-D array on a north-up grid."""

    name: str
    array: np.ndarray
    transform: Affine
    crs: str
    year: int | None = None


@dataclass(frozen=True)
class StoreReport:
    """What a raster store did."""

    layer: str
    year: int | None
    path: str
    checksum: str
    load_id: int | None
    unchanged: bool = False

    def summary(self) -> str:
        label = f"{self.layer}{'' if self.year is None else f' {self.year}'}"
        if self.unchanged:
            return f"{label}: unchanged — {self.path} is already stored (load {self.load_id})."
        return f"{label}: stored {self.path} (load {self.load_id})."


def _sql(name: str) -> str:
    return load_sql("layers", name)


def relative_path(spec: RasterSpec, year: int | None, area: str = DEFAULT_AREA) -> Path:
    """``rasters/<name>/<name>[_<year>].tif`` (relative to the data folder); another study area's
    under ``rasters/areas/<area>/``."""
    stem = spec.name if year is None else f"{spec.name}_{year}"
    base = Path("rasters") if area == DEFAULT_AREA else Path("rasters") / "areas" / area
    return base / spec.name / f"{stem}.tif"


def _check_year(spec: RasterSpec, year: int | None) -> None:
    if spec.by_year and year is None:
        raise LayerError(
            f"Raster layer {spec.name} is a time series; a year is required.",
            hint="Give --year, e.g. --year 2025.",
        )
    if not spec.by_year and year is not None:
        raise LayerError(f"Raster layer {spec.name} has no years; got year {year}.", hint="Leave out --year.")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_cog(path: Path, raster: RasterArray, spec: RasterSpec) -> None:
    """Write ``raster`` as a DEFLATE-compressed COG (256-pixel tiles, overviews) in ``spec.dtype``."""
    array = np.asarray(raster.array)
    if array.ndim != 2:
        raise LayerError(f"Raster {spec.name}: expected one band (2-D array), got shape {array.shape}.")
    profile = {
        "driver": "COG",
        "width": array.shape[1],
        "height": array.shape[0],
        "count": 1,
        "dtype": spec.dtype,
        "crs": CRS.from_user_input(raster.crs),
        "transform": raster.transform,
        "nodata": spec.nodata,
        "compress": "DEFLATE",
        "blocksize": 256,
        "overview_resampling": "nearest" if spec.categories else "average",
    }
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(array.astype(spec.dtype), 1)


def read_source(path: Path, spec: RasterSpec, *, year: int | None = None) -> RasterArray:
    """Read band 1 of a raster file (any GDAL format) for ``spec``; nodata becomes the layer's nodata.

    Raises :class:`SourceError` naming the file when it cannot be read or has no CRS.
    """
    if not path.is_file():
        raise SourceError(f"Raster file not found: {path}", hint="Check the path.")
    try:
        with rasterio.open(path) as src:
            if src.crs is None:
                raise SourceError(
                    f"{path} has no coordinate reference system.",
                    hint="Assign one first, e.g. gdal_edit.py -a_srs EPSG:32648 FILE.",
                )
            if src.count < 1:
                raise SourceError(f"{path} has no raster bands.")
            band = src.read(1, masked=True)
            array = band.filled(spec.nodata) if np.ma.is_masked(band) else np.asarray(band)
            return RasterArray(spec.name, array, src.transform, src.crs.to_string(), year)
    except RasterioError as exc:
        raise SourceError(
            f"Cannot read raster {path}: {exc}", hint="Give a GeoTIFF or another GDAL raster."
        ) from exc


def _metadata(path: Path) -> dict[str, Any]:
    with rasterio.open(path) as src:
        bbox = transform_bounds(src.crs, "EPSG:4326", *src.bounds)
        return {
            "crs": src.crs.to_string(),
            "resolution_m": float(abs(src.transform.a)),
            "width": src.width,
            "height": src.height,
            "bbox": [float(v) for v in bbox],
        }


def store_raster(
    engine: Engine,
    data_dir: Path,
    raster: RasterArray,
    *,
    synthetic: bool,
    source: str,
    licence: str = "",
    attribution: str = "",
    progress: Callable[[str], None] | None = None,
    area: str = DEFAULT_AREA,
) -> StoreReport:
    """Store ``raster`` as the COG of its layer (and year) and register it, atomically.

    Parameters
    ----------
    engine:
        Engine on dothi's (migrated) database.
    data_dir:
        dothi's data folder; the file goes to ``data_dir / relative_path(...)``.
    raster:
        The array, its grid and CRS, the layer name and year.
    synthetic, source, licence, attribution:
        Provenance recorded in ``catalog.rasters`` and ``catalog.load_provenance``.
    """
    spec = get_raster(raster.name)
    _check_year(spec, raster.year)
    rel = relative_path(spec, raster.year, area)
    final = Path(data_dir) / rel
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.with_name(f".{final.stem}.{os.getpid()}.tmp.tif")
    say = progress or (lambda _m: None)
    try:
        say(f"writing {rel}")
        write_cog(tmp, raster, spec)
        return _commit(
            engine,
            spec,
            raster.year,
            tmp=tmp,
            final=final,
            rel=rel,
            synthetic=synthetic,
            source=source,
            licence=licence,
            attribution=attribution,
            area=area,
        )
    finally:
        tmp.unlink(missing_ok=True)


def load_raster_file(
    engine: Engine,
    data_dir: Path,
    name: str,
    path: Path,
    *,
    year: int | None = None,
    synthetic: bool = False,
    licence: str = "",
    attribution: str = "",
    progress: Callable[[str], None] | None = None,
) -> StoreReport:
    """``dothi load raster``: read any GDAL raster file and store it as the layer's COG."""
    spec = get_raster(name)
    _check_year(spec, year)
    raster = read_source(Path(path), spec, year=year)
    return store_raster(
        engine,
        data_dir,
        raster,
        synthetic=synthetic,
        source=str(path),
        licence=licence,
        attribution=attribution,
        progress=progress,
    )


def _commit(
    engine: Engine,
    spec: RasterSpec,
    year: int | None,
    *,
    tmp: Path,
    final: Path,
    rel: Path,
    synthetic: bool,
    source: str,
    licence: str,
    attribution: str,
    area: str = DEFAULT_AREA,
) -> StoreReport:
    """Provenance + catalog row + file swap in one transaction; restore the old file on failure."""
    checksum = sha256(tmp)
    meta = _metadata(tmp)
    previous = get_raster_row(engine, spec.name, year, area=area)
    if previous and previous["checksum"] == checksum and final.is_file() and sha256(final) == checksum:
        return StoreReport(spec.qualified_name, year, str(rel), checksum, previous["load_id"], unchanged=True)
    backup = final.with_name(f".{final.stem}.{os.getpid()}.bak.tif")
    moved = False
    try:
        with engine.begin() as conn:
            cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
            cur.execute(_sql("lock_layer"), {"layer": spec.qualified_name})
            cur.execute(
                _sql("insert_provenance"),
                _provenance(
                    spec,
                    year=year,
                    source=source,
                    checksum=checksum,
                    synthetic=synthetic,
                    licence=licence,
                    attribution=attribution,
                )
                | {"area": area},
            )
            load_id, _version = cur.fetchone()
            cur.execute(
                _sql("raster_upsert"),
                {
                    "layer": spec.qualified_name,
                    "year": year,
                    "path": rel.as_posix(),
                    **meta,
                    "checksum": checksum,
                    "synthetic": synthetic,
                    "source": source,
                    "load_id": load_id,
                    "area": area,
                },
            )
            cur.execute(
                _sql("finish_provenance"), {"written": 1, "content_checksum": checksum, "load_id": load_id}
            )
            if final.exists():
                final.replace(backup)
                moved = True
            tmp.replace(final)
    except BaseException as exc:
        if moved:
            backup.replace(final)
        elif final.exists() and not previous and sha256(final) == checksum:
            final.unlink()
        if isinstance(exc, psycopg2.Error):
            raise LoadError(
                f"Registering raster {spec.qualified_name} ({rel}) failed: {exc}. The previous file and "
                "catalog row are unchanged.",
                hint="Check the database (dothi db status) and load again.",
            ) from exc
        raise
    backup.unlink(missing_ok=True)
    return StoreReport(spec.qualified_name, year, rel.as_posix(), checksum, int(load_id))


def _provenance(
    spec: RasterSpec,
    *,
    year: int | None,
    source: str,
    checksum: str,
    synthetic: bool,
    licence: str,
    attribution: str,
) -> dict[str, Any]:
    return {
        "layer": spec.qualified_name,
        "source_path": source,
        "source_checksum": checksum,
        "source_crs": None,
        "mode": "replace",
        "scope": json.dumps({"year": year}),
        "features_read": 1,
        "features_repaired": 0,
        "features_rejected": 0,
        "licence": licence or spec.licence,
        "attribution": attribution or spec.attribution,
        "synthetic": synthetic,
        "details": json.dumps({"kind": "raster", "path": str(relative_path(spec, year))}),
        "dothi_version": dothi_version(),
    }


def _rows(engine: Engine, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        cur.execute(_sql(name), params)
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]


def list_rasters(engine: Engine) -> list[dict[str, Any]]:
    """Every row of ``catalog.rasters``."""
    return _rows(engine, "raster_list", {})


def get_raster_row(
    engine: Engine, name: str, year: int | None = None, *, area: str = DEFAULT_AREA
) -> dict[str, Any] | None:
    """The catalog row of one raster file (of study area ``area``), or None."""
    rows = _rows(engine, "raster_get", {"layer": get_raster(name).qualified_name, "year": year, "area": area})
    return rows[0] if rows else None


def raster_file(engine: Engine, data_dir: Path, name: str, year: int | None = None) -> Path:
    """Absolute path of a stored raster; raises :class:`LayerError` when it is not stored."""
    row = get_raster_row(engine, name, year)
    if row is None:
        raise LayerError(
            f"Raster {name}{'' if year is None else f' {year}'} is not stored.",
            hint=f"Load it: dothi load raster {name} FILE.tif" + (f" --year {year}" if year else ""),
        )
    return Path(data_dir) / row["path"]
