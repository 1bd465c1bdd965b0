"""Validation of features against their layer declaration, before anything is written.

Checks: CRS present (and transformed to the storage CRS), required attributes, types, allowed values,
empty geometries, invalid geometries (repaired with ``make_valid`` and reported), geometry type
(Polygon → MultiPolygon and the like), duplicate ids.  Every problem names the source, the feature
(position and id) and the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from gis.crs import STORAGE_SRID
from gis.errors import CrsError
from layers.catalog import COMMON_COLUMNS, Attribute, LayerSpec
from layers.errors import ValidationError

#: Which shapely geometry types each declared type accepts (after promotion to multi-part).
_FAMILY = {
    "Point": {"Point"},
    "MultiPoint": {"Point", "MultiPoint"},
    "MultiLineString": {"LineString", "MultiLineString"},
    "MultiPolygon": {"Polygon", "MultiPolygon"},
}
_MULTI = {"Point": shapely.MultiPoint, "LineString": shapely.MultiLineString, "Polygon": shapely.MultiPolygon}
_PART_TYPE = {"MultiPolygon": 3, "MultiLineString": 1, "MultiPoint": 0, "Point": 0}


@dataclass
class ValidationReport:
    """What validation did: counts and messages."""

    read: int = 0
    repaired: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


def _where(source: str, pos: int, fid: Any) -> str:
    ident = f" (id {fid!r})" if fid is not None and not _isnull(fid) else ""
    return f"{source}: feature #{pos + 1}{ident}"


def _isnull(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _convert(value: Any, attr: Attribute) -> Any:
    """Convert one value to the attribute's type; raise ValueError with the reason."""
    if _isnull(value):
        return None
    if attr.type == "text":
        return str(value)
    if attr.type == "integer":
        number = float(value)
        if not number.is_integer():
            raise ValueError(f"{value!r} is not a whole number")
        return int(number)
    if attr.type == "real":
        number = float(value)
        if not np.isfinite(number):
            raise ValueError(f"{value!r} is not a finite number")
        return number
    if attr.type == "boolean":
        if isinstance(value, bool | np.bool_):
            return bool(value)
        text = str(value).strip().lower()
        if text in {"true", "t", "1", "yes", "y", "có"}:
            return True
        if text in {"false", "f", "0", "no", "n", "không"}:
            return False
        raise ValueError(f"{value!r} is not true/false")
    if attr.type == "date":
        return pd.Timestamp(value).date()
    raise ValueError(f"unsupported type {attr.type}")


def _fix_geometry(
    geom: BaseGeometry | None, spec: LayerSpec, where: str, report: ValidationReport
) -> BaseGeometry | None:
    if geom is None or geom.is_empty:
        report.problems.append(f"{where}: empty geometry.")
        return None
    if geom.geom_type not in _FAMILY[spec.geometry] and geom.geom_type != "GeometryCollection":
        report.problems.append(
            f"{where}: geometry is a {geom.geom_type}, layer {spec.qualified_name} needs {spec.geometry}."
        )
        return None
    if not geom.is_valid:
        reason = shapely.is_valid_reason(geom)
        geom = shapely.make_valid(geom)
        if spec.geometry in _PART_TYPE and geom.geom_type == "GeometryCollection":
            parts = shapely.get_parts(geom)
            geom = shapely.union_all([p for p in parts if shapely.get_type_id(p) in _type_ids(spec.geometry)])
        report.repaired.append(f"{where}: invalid geometry repaired ({reason}).")
        if geom.is_empty:
            report.problems.append(f"{where}: geometry is empty after repair.")
            return None
    if geom.geom_type in _MULTI and spec.geometry.startswith("Multi"):
        geom = _MULTI[geom.geom_type]([geom])
    if geom.geom_type not in _FAMILY[spec.geometry] or (
        spec.geometry.startswith("Multi") and not geom.geom_type.startswith("Multi")
    ):
        report.problems.append(f"{where}: geometry type {geom.geom_type} cannot become {spec.geometry}.")
        return None
    return geom


def _type_ids(geometry: str) -> set[int]:
    return {"MultiPolygon": {3, 6}, "MultiLineString": {1, 5}, "MultiPoint": {0, 4}, "Point": {0}}[geometry]


def _to_storage_crs(gdf: gpd.GeoDataFrame, source: str) -> gpd.GeoDataFrame:
    if gdf.crs is None:
        raise CrsError(
            f"{source} has no coordinate reference system.",
            hint="Give it with --crs (e.g. --crs EPSG:3405 for VN-2000 / UTM 48N).",
        )
    if gdf.crs.to_epsg() != STORAGE_SRID:
        gdf = gdf.to_crs(epsg=STORAGE_SRID)
    return gdf


def validate(
    spec: LayerSpec, gdf: gpd.GeoDataFrame, *, source: str
) -> tuple[gpd.GeoDataFrame, ValidationReport]:
    """Validate and normalise features for ``spec``.

    Returns a GeoDataFrame with exactly the layer's columns (declared attributes, common columns,
    ``geom``) in the storage CRS, and the report.  Raises :class:`ValidationError` listing every
    problem when any feature cannot be loaded; nothing is written in that case.
    """
    report = ValidationReport(read=len(gdf))
    if len(gdf) == 0:
        raise ValidationError(
            f"{source} has no features.",
            problems=[f"{source}: empty"],
            hint="Check the file and --source-layer.",
        )
    gdf = _to_storage_crs(gdf, source)
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
    ids = gdf[spec.id_field] if spec.id_field in gdf.columns else pd.Series([None] * len(gdf))
    out: dict[str, list[Any]] = {a.name: [] for a in declared}
    geoms: list[BaseGeometry | None] = []
    for pos, (_, row) in enumerate(gdf.iterrows()):
        where = _where(source, pos, ids.iloc[pos])
        for attr in declared:
            raw = row[attr.name] if attr.name in gdf.columns else None
            if attr.name == "synthetic" and _isnull(raw):
                raw = False
            try:
                value = _convert(raw, attr)
            except (ValueError, TypeError) as exc:
                report.problems.append(f"{where}, field {attr.name!r}: {exc} ({attr.type} needed).")
                value = None
            else:
                if value is None and attr.required:
                    report.problems.append(f"{where}, field {attr.name!r}: required but empty.")
                elif value is not None and attr.allowed and value not in attr.allowed:
                    report.problems.append(
                        f"{where}, field {attr.name!r}: {value!r} is not one of "
                        f"{', '.join(map(str, attr.allowed))}."
                    )
            out[attr.name].append(value)
        geoms.append(_fix_geometry(row[gdf.geometry.name], spec, where, report))
    dup = pd.Series(out[spec.id_field])
    for value in dup[dup.duplicated() & dup.notna()].unique():
        positions = [i + 1 for i, v in enumerate(out[spec.id_field]) if v == value]
        report.problems.append(f"{source}: duplicate id {value!r} at features #{positions}.")
    if report.problems:
        raise ValidationError(
            f"{len(report.problems)} problem(s) in {source} for layer {spec.qualified_name}; "
            "nothing was written.",
            problems=report.problems,
        )
    frame = pd.DataFrame(out)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs=STORAGE_SRID)).rename_geometry(
        "geom"
    ), report
