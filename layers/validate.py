"""Validation of features against their layer declaration, before anything is written.

Checks: CRS present (and transformed to the storage CRS), required attributes, types, allowed values,
minimum values, empty geometries, invalid geometries (repaired with ``make_valid`` and reported),
geometry type (Polygon → MultiPolygon and the like), Z dropped, duplicate ids, and — when a study
area is given — an extent far outside it.  Every problem names the source, the feature (position
and id) and the field.

The checks are vectorised (shapely 2 and pandas over whole columns); Python code only runs for the
features that have a problem or need a repair, so a million clean features validate in seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis.crs import STORAGE_SRID
from gis.errors import CrsError
from layers.catalog import COMMON_COLUMNS, Attribute, LayerSpec
from layers.catalog.types import DEFAULT_AREA
from layers.errors import ValidationError

#: shapely type ids each declared type accepts before promotion (0 Point, 1 LineString, 3 Polygon,
#: 4 MultiPoint, 5 MultiLineString, 6 MultiPolygon).
_ACCEPTS = {"Point": {0}, "MultiPoint": {0, 4}, "MultiLineString": {1, 5}, "MultiPolygon": {3, 6}}
_COLLECTION = 7
_TRUE = {"true", "t", "1", "yes", "y", "có", "1.0"}
_FALSE = {"false", "f", "0", "no", "n", "không", "0.0"}
_MAX_PROBLEMS = 10_000


@dataclass
class ValidationReport:
    """What validation did: counts and messages."""

    read: int = 0
    repaired: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class StudyArea:
    """The area loads must fall near: ``(minx, miny, maxx, maxy)`` in EPSG:4326, already buffered."""

    bounds: tuple[float, float, float, float]
    name: str = "the study area"

    def contains(self, bounds: tuple[float, float, float, float]) -> bool:
        minx, miny, maxx, maxy = self.bounds
        return bounds[0] >= minx and bounds[1] >= miny and bounds[2] <= maxx and bounds[3] <= maxy


class _Where:
    """Builds "source: feature #n (id 'x')" for the rows that have a problem."""

    def __init__(self, source: str, ids: pd.Series | None) -> None:
        self.source, self.ids = source, ids

    def __call__(self, pos: int) -> str:
        fid = None if self.ids is None else self.ids.iloc[pos]
        ident = f" (id {fid!r})" if fid is not None and not _isnull(fid) else ""
        return f"{self.source}: feature #{pos + 1}{ident}"


def _isnull(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _raw_text(values: pd.Series) -> pd.Series:
    return values.astype(object).where(values.notna(), None)


def _convert_column(raw: pd.Series, attr: Attribute) -> tuple[pd.Series, np.ndarray, str]:
    """Convert a whole column; return (values, bad mask, what was expected)."""
    present = raw.notna().to_numpy()
    if attr.type == "text":
        values = raw.astype(object).where(raw.notna(), None)
        if raw.dtype != object and not pd.api.types.is_string_dtype(raw):
            values = values.map(lambda v: None if v is None else str(v))
        return values, np.zeros(len(raw), dtype=bool), "text"
    if attr.type in {"integer", "real"}:
        if raw.dtype == bool:
            raw = raw.astype(float)
        numbers = pd.to_numeric(raw, errors="coerce").astype(float)
        arr = numbers.to_numpy()
        bad = present & ~np.isfinite(arr)
        if attr.type == "integer":
            with np.errstate(invalid="ignore"):
                bad |= present & np.isfinite(arr) & (np.mod(arr, 1) != 0)
            keep = present & ~bad
            ints = pd.Series(np.where(keep, arr, 0).astype(np.int64), index=raw.index).astype(object)
            return ints.where(keep, None), bad, "a whole number"
        return numbers.where(present & ~bad, np.nan), bad, "a finite number"
    if attr.type == "boolean":
        if raw.dtype == bool:
            return raw.astype(object), np.zeros(len(raw), dtype=bool), "true/false"
        text = raw.astype(str).str.strip().str.lower()
        is_true, is_false = text.isin(_TRUE).to_numpy(), text.isin(_FALSE).to_numpy()
        values = pd.Series([None] * len(raw), index=raw.index, dtype=object)
        values[is_true & present] = True
        values[is_false & present] = False
        bad = present & values.isna().to_numpy()
        return values, bad, "true/false"
    dates = pd.to_datetime(raw, errors="coerce")
    bad = present & dates.isna().to_numpy()
    return dates.dt.date.where(dates.notna(), None).astype(object), bad, "a date"


def _check_attribute(
    gdf: gpd.GeoDataFrame, attr: Attribute, where: _Where, report: ValidationReport
) -> pd.Series:
    if attr.name not in gdf.columns:
        raw = pd.Series([None] * len(gdf), index=gdf.index, dtype=object)
    else:
        raw = gdf[attr.name]
    if attr.name == "synthetic":
        raw = raw.astype(object).where(raw.notna(), False)
    if attr.name == "area":  # the loader sets the area it loads into
        raw = raw.astype(object).where(raw.notna(), DEFAULT_AREA)
    values, bad, expected = _convert_column(raw, attr)
    raw_text = _raw_text(raw) if bad.any() else raw
    for pos in np.flatnonzero(bad)[:_MAX_PROBLEMS]:
        report.problems.append(
            f"{where(pos)}, field {attr.name!r}: {raw_text.iloc[pos]!r} is not {expected} "
            f"({attr.type} needed)."
        )
    missing = values.isna().to_numpy() & ~bad
    if attr.required:
        for pos in np.flatnonzero(missing)[:_MAX_PROBLEMS]:
            report.problems.append(f"{where(pos)}, field {attr.name!r}: required but empty.")
    if attr.minimum is not None and attr.type in {"integer", "real"}:
        numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
        with np.errstate(invalid="ignore"):
            below = ~missing & ~bad & (numbers < attr.minimum)
        for pos in np.flatnonzero(below)[:_MAX_PROBLEMS]:
            report.problems.append(
                f"{where(pos)}, field {attr.name!r}: {values.iloc[pos]!r} is below the minimum "
                f"{attr.minimum:g}."
            )
    if attr.allowed:
        outside = ~values.isin(attr.allowed).to_numpy() & ~missing & ~bad
        allowed = ", ".join(map(str, attr.allowed))
        for pos in np.flatnonzero(outside)[:_MAX_PROBLEMS]:
            report.problems.append(
                f"{where(pos)}, field {attr.name!r}: {values.iloc[pos]!r} is not one of {allowed}."
            )
    return values.reset_index(drop=True)


def _keep_parts(geom: shapely.Geometry, spec: LayerSpec) -> shapely.Geometry:
    """After make_valid: keep only the parts of the layer's family (drop stray lines/points)."""
    if shapely.get_type_id(geom) != _COLLECTION:
        return geom
    wanted = _ACCEPTS[spec.geometry]
    parts = [p for p in shapely.get_parts(geom) if shapely.get_type_id(p) in wanted]
    return shapely.union_all(parts) if parts else shapely.from_wkt("GEOMETRYCOLLECTION EMPTY")


def _promote(geoms: np.ndarray, spec: LayerSpec) -> np.ndarray:
    """Polygon → MultiPolygon, LineString → MultiLineString, Point → MultiPoint (vectorised)."""
    if not spec.geometry.startswith("Multi"):
        return geoms
    single = {"MultiPolygon": 3, "MultiLineString": 1, "MultiPoint": 0}[spec.geometry]
    make = {3: shapely.multipolygons, 1: shapely.multilinestrings, 0: shapely.multipoints}[single]
    idx = np.flatnonzero(shapely.get_type_id(geoms) == single)
    if len(idx):
        geoms = geoms.copy()
        geoms[idx] = make(geoms[idx], indices=np.arange(len(idx)))
    return geoms


def _check_geometry(
    gdf: gpd.GeoDataFrame, spec: LayerSpec, where: _Where, report: ValidationReport
) -> np.ndarray:
    geoms = np.asarray(gdf.geometry.array, dtype=object)
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    for pos in np.flatnonzero(empty)[:_MAX_PROBLEMS]:
        report.problems.append(f"{where(pos)}: empty geometry.")
    if shapely.has_z(geoms).any():
        geoms = shapely.force_2d(geoms)
    types = shapely.get_type_id(geoms)
    wrong = ~empty & ~np.isin(types, [*_ACCEPTS[spec.geometry], _COLLECTION])
    for pos in np.flatnonzero(wrong)[:_MAX_PROBLEMS]:
        report.problems.append(
            f"{where(pos)}: geometry is a {geoms[pos].geom_type}, layer {spec.qualified_name} "
            f"needs {spec.geometry}."
        )
    ok = ~empty & ~wrong
    invalid = ok & ~shapely.is_valid(geoms)
    if invalid.any():
        idx = np.flatnonzero(invalid)
        reasons = shapely.is_valid_reason(geoms[idx])
        fixed = shapely.make_valid(geoms[idx])
        for pos, reason, repaired in zip(idx.tolist(), reasons, fixed, strict=True):
            geom = _keep_parts(repaired, spec)
            report.repaired.append(f"{where(pos)}: invalid geometry repaired ({reason}).")
            if geom.is_empty:
                report.problems.append(f"{where(pos)}: geometry is empty after repair.")
            geoms[pos] = geom
    geoms = _promote(geoms, spec)
    bad_type = ok & ~shapely.is_empty(geoms) & (shapely.get_type_id(geoms) != _target_id(spec))
    for pos in np.flatnonzero(bad_type)[:_MAX_PROBLEMS]:
        report.problems.append(
            f"{where(pos)}: geometry type {geoms[pos].geom_type} cannot become {spec.geometry}."
        )
    return geoms


def _target_id(spec: LayerSpec) -> int:
    return {"Point": 0, "MultiPoint": 4, "MultiLineString": 5, "MultiPolygon": 6}[spec.geometry]


def _to_storage_crs(gdf: gpd.GeoDataFrame, source: str) -> gpd.GeoDataFrame:
    if gdf.crs is None:
        raise CrsError(
            f"{source} has no coordinate reference system.",
            hint="Give it with --crs (e.g. --crs EPSG:3405 for VN-2000 / UTM 48N).",
        )
    if gdf.crs.to_epsg() != STORAGE_SRID:
        gdf = gdf.to_crs(epsg=STORAGE_SRID)
    return gdf


def check_extent(gdf: gpd.GeoDataFrame, area: StudyArea | None, *, source: str) -> None:
    """Refuse features whose extent reaches far outside ``area`` (a wrong CRS, a wrong file).

    Raises :class:`ValidationError` naming the extent, the study area, and how to force it.
    """
    if area is None or len(gdf) == 0:
        return
    valid = gdf.geometry[~(gdf.geometry.isna() | gdf.geometry.is_empty)]
    if len(valid) == 0:
        return
    bounds = tuple(float(v) for v in valid.total_bounds)
    if all(np.isfinite(bounds)) and area.contains(bounds):  # type: ignore[arg-type]
        return
    outside = ~valid.intersects(shapely.box(*area.bounds))
    first = [f"feature #{int(np.flatnonzero(valid.index == i)[0]) + 1}" for i in valid.index[outside][:5]]
    fmt = ", ".join(f"{v:.4f}" for v in bounds)
    box = ", ".join(f"{v:.4f}" for v in area.bounds)
    raise ValidationError(
        f"{source}: the features' extent ({fmt}) reaches far outside {area.name} ({box}); "
        "nothing was written.",
        problems=[f"{source}: {f} lies outside {area.name}" for f in first]
        or [f"{source}: extent ({fmt}) is not inside ({box})"],
        hint="Check the CRS (--crs, e.g. VN2000-TM3-TIENGIANG for Tiền Giang offices) and the file; "
        "use --force if the data really lies outside the study area.",
    )


def validate(
    spec: LayerSpec, gdf: gpd.GeoDataFrame, *, source: str, study_area: StudyArea | None = None
) -> tuple[gpd.GeoDataFrame, ValidationReport]:
    """Validate and normalise features for ``spec``.

    Returns a GeoDataFrame with exactly the layer's columns (declared attributes, common columns,
    ``geom``) in the storage CRS, and the report.  Raises :class:`ValidationError` listing every
    problem when any feature cannot be loaded; nothing is written in that case.

    Parameters
    ----------
    spec:
        The layer declaration.
    gdf:
        Features with the layer's attribute names and a CRS.
    source:
        Names the source in messages.
    study_area:
        When given, an extent reaching outside it is refused (:func:`check_extent`).
    """
    report = ValidationReport(read=len(gdf))
    if len(gdf) == 0:
        raise ValidationError(
            f"{source} has no features.",
            problems=[f"{source}: empty"],
            hint="Check the file and --source-layer.",
        )
    gdf = _to_storage_crs(gdf, source)
    check_extent(gdf, study_area, source=source)
    declared = (*spec.attributes, *COMMON_COLUMNS)
    names = {a.name for a in declared}
    report.ignored_columns = [c for c in gdf.columns if c not in names and c != gdf.geometry.name]
    missing = [a.name for a in spec.attributes if a.required and a.name not in gdf.columns]
    if missing:
        raise ValidationError(
            f"{source} lacks required attribute(s) of {spec.qualified_name}: {', '.join(missing)}.",
            problems=[f"{source}: column {m!r} missing" for m in missing],
            hint="Rename columns with --map source_name=layer_name.",
        )
    ids = gdf[spec.id_field] if spec.id_field in gdf.columns else None
    where = _Where(source, ids)
    out = {a.name: _check_attribute(gdf, a, where, report) for a in declared}
    geoms = _check_geometry(gdf, spec, where, report)
    _check_duplicates(out[spec.id_field], source, report)
    if report.problems:
        raise ValidationError(
            f"{len(report.problems)} problem(s) in {source} for layer {spec.qualified_name}; "
            "nothing was written.",
            problems=report.problems,
        )
    frame = pd.DataFrame(out)
    result = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs=STORAGE_SRID))
    return result.rename_geometry("geom"), report


def _check_duplicates(ids: pd.Series, source: str, report: ValidationReport) -> None:
    dup = ids.duplicated(keep=False) & ids.notna()
    if not dup.any():
        return
    positions = pd.Series(np.flatnonzero(dup.to_numpy()) + 1, index=ids[dup].to_numpy())
    for value, group in list(positions.groupby(level=0))[:_MAX_PROBLEMS]:
        report.problems.append(f"{source}: duplicate id {value!r} at features #{group.tolist()}.")
