"""Scenario edits: add, change or remove one feature of a layer; parsed and validated like loads.

Validation uses the loader's own checks (:func:`layers.validate.validate`): the layer must exist,
attributes must have the declared types and allowed values, the geometry the declared type, and
the features must lie in the scenario's study area (its outline's envelope, else its admin units',
+ 1 km).  A change or removal must
name a feature of the baseline; an addition a new id.  Every problem is listed; nothing is stored
or evaluated when there is one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
from psycopg2 import sql
from shapely.geometry import mapping, shape
from sqlalchemy.engine import Engine

from analysis.scenarios.errors import ScenarioError
from layers.catalog import LAYERS, LayerSpec, get_layer
from layers.catalog.types import DEFAULT_AREA
from layers.errors import LayerError, ValidationError
from layers.load import study_area
from layers.readers import read_source
from layers.validate import validate

OPS = ("add", "change", "remove")
#: Buffer of the study area's envelope an edit may reach (km).
CITY_BUFFER_KM = 1.0


@dataclass(frozen=True)
class Edit:
    """One edit. ``geometry`` is in EPSG:4326 (None for a removal)."""

    layer: str
    op: str
    feature_id: str
    geometry: Any = None
    attributes: Mapping[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.layer}:{self.feature_id}"

    def to_json(self) -> dict[str, Any]:
        return {
            "layer": self.layer,
            "op": self.op,
            "feature_id": self.feature_id,
            "attributes": dict(self.attributes),
            "geometry": None if self.geometry is None else mapping(self.geometry),
        }


def _bad(message_vi: str, message_en: str, hint: str | None = None) -> ScenarioError:
    return ScenarioError(f"{message_vi} / {message_en}", hint=hint)


def _layer(name: Any, where: str) -> LayerSpec:
    try:
        return get_layer(str(name))
    except LayerError:
        raise _bad(
            f"{where}: lớp {name!r} không tồn tại",
            f"{where}: unknown layer {name!r}",
            hint=f"Layers: {', '.join(sorted(LAYERS))}.",
        ) from None


def edit_from_json(item: Mapping[str, Any], *, where: str) -> Edit:
    """An edit from ``{"layer", "op", "id"?, "feature"?: GeoJSON Feature}`` (the process input)."""
    if not isinstance(item, Mapping):
        raise _bad(f"{where}: phải là một đối tượng JSON", f"{where}: must be a JSON object")
    spec = _layer(item.get("layer"), where)
    op = item.get("op", "add")
    if op not in OPS:
        raise _bad(f"{where}: op {op!r} không hợp lệ", f"{where}: op {op!r} is not one of {', '.join(OPS)}")
    feature = item.get("feature") or {}
    props = dict(feature.get("properties") or {}) if isinstance(feature, Mapping) else {}
    fid = item.get("id") or props.get(spec.id_field)
    geometry = None
    if op != "remove":
        try:
            geometry = shape(feature["geometry"])
        except (KeyError, TypeError, ValueError, AttributeError, shapely.errors.GEOSException) as exc:
            raise _bad(
                f"{where}: thiếu hoặc sai hình học GeoJSON",
                f"{where}: missing or invalid GeoJSON geometry ({exc})",
            ) from None
    if not fid:
        if op != "add":
            raise _bad(
                f"{where}: thiếu mã đối tượng", f"{where}: {op} needs the feature id ({spec.id_field})"
            )
        fid = f"scenario-{abs(hash((spec.name, geometry.wkb if geometry is not None else b''))) % 10**8}"
    props.pop(spec.id_field, None)
    return Edit(spec.name, op, str(fid), geometry, props)


def edits_from_file(layer: str, path: Path, op: str) -> list[Edit]:
    """Additions or changes read from a vector file (GeoPackage, GeoJSON, Shapefile…)."""
    spec = _layer(layer, str(path))
    frame = read_source(path).frame
    if frame.crs is None:
        raise _bad(
            f"{path}: tệp không có hệ toạ độ", f"{path}: the file has no CRS", hint="Save it with a CRS."
        )
    frame = frame.to_crs(4326)
    if spec.id_field not in frame.columns:
        raise _bad(f"{path}: thiếu cột {spec.id_field}", f"{path}: column {spec.id_field!r} is missing")
    out = []
    for _, row in frame.iterrows():
        props = {k: _plain(v) for k, v in row.items() if k not in (frame.geometry.name, spec.id_field)}
        out.append(Edit(spec.name, op, str(row[spec.id_field]), row.geometry, props))
    return out


def _plain(value: Any) -> Any:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return value


def _existing(engine: Engine, spec: LayerSpec, ids: Iterable[str], area: str) -> set[str]:
    """The ids among ``ids`` of features of ``spec`` in study area ``area``."""
    query = sql.SQL(
        "SELECT {id}::text FROM {table} WHERE {id}::text = ANY(%(ids)s) AND area = %(area)s"
    ).format(id=sql.Identifier(spec.id_field), table=sql.Identifier(spec.schema, spec.table))
    with engine.connect() as conn:
        cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        cur.execute(query, {"ids": list(ids), "area": area})
        return {row[0] for row in cur.fetchall()}


def missing_features(engine: Engine, edits: Iterable[Edit], *, area: str = DEFAULT_AREA) -> list[Edit]:
    """Changes and removals whose feature is not (or no longer) in the baseline layer of ``area``."""
    out: list[Edit] = []
    by_layer: dict[str, list[Edit]] = {}
    for e in edits:
        if e.op != "add":
            by_layer.setdefault(e.layer, []).append(e)
    for layer, items in by_layer.items():
        found = _existing(engine, get_layer(layer), (e.feature_id for e in items), area)
        out.extend(e for e in items if e.feature_id not in found)
    return out


def _validated_layer(spec: LayerSpec, items: list[Edit], area: Any) -> list[Edit]:
    frame = gpd.GeoDataFrame(
        [
            {**e.attributes, spec.id_field: e.feature_id, "synthetic": False, "source": "scenario"}
            for e in items
        ],
        geometry=[e.geometry for e in items],
        crs=4326,
    )
    clean, _ = validate(spec, frame, source=f"scenario edits of layer {spec.name}", study_area=area)
    out = []
    for e, (_, row) in zip(items, clean.iterrows(), strict=True):
        attrs = {a.name: _plain(row[a.name]) for a in spec.attributes if a.name != spec.id_field}
        out.append(Edit(e.layer, e.op, e.feature_id, row["geom"], json.loads(json.dumps(attrs, default=str))))
    return out


def validate_edits(
    engine: Engine, edits: list[Edit], *, check_existing: bool = True, area: str = DEFAULT_AREA
) -> list[Edit]:
    """Validated, normalised edits (attribute types, geometry type, in study area ``area``, ids of
    that area's baseline), or a :class:`ScenarioError` listing every problem."""
    if not edits:
        raise _bad("không có chỉnh sửa nào", "no edits given")
    for n, e in enumerate(edits, start=1):
        where = f"edit #{n} ({e.layer}:{e.feature_id})"
        _layer(e.layer, where)
        if e.op not in OPS:
            raise _bad(
                f"{where}: op {e.op!r} không hợp lệ", f"{where}: op {e.op!r} is not one of {', '.join(OPS)}"
            )
        if (e.op == "remove") != (e.geometry is None):
            raise _bad(
                f"{where}: hình học không phù hợp với op", f"{where}: {e.op} needs a geometry iff not remove"
            )
    keys = [e.key for e in edits]
    dup = sorted({k for k in keys if keys.count(k) > 1})
    if dup:
        raise _bad(f"đối tượng bị sửa nhiều lần: {dup}", f"the same feature is edited twice: {dup}")
    extent = study_area(engine, buffer_km=CITY_BUFFER_KM, area=area)
    problems: list[str] = []
    result = {id(e): e for e in edits}
    for layer in sorted({e.layer for e in edits if e.op != "remove"}):
        items = [e for e in edits if e.layer == layer and e.op != "remove"]
        outside = _outside(items, extent)  # named by edit, and the others still checked
        problems.extend(
            f"{e.layer} {e.feature_id!r}: nằm ngoài vùng nghiên cứu {area} / lies outside "
            f"{extent.name if extent else area}"
            for e in outside
        )
        gone = {id(e) for e in outside}
        items = [e for e in items if id(e) not in gone]
        if not items:
            continue
        try:
            for e in _validated_layer(get_layer(layer), items, extent):
                result[id(items[[x.feature_id for x in items].index(e.feature_id)])] = e
        except ValidationError as exc:
            problems.extend(exc.problems or [exc.message])
    if check_existing:
        problems.extend(_id_problems(engine, edits, area))
    if problems:
        raise ScenarioError(
            f"{len(problems)} lỗi trong các chỉnh sửa; không có gì được áp dụng / "
            f"{len(problems)} problem(s) in the edits; nothing was applied: " + "; ".join(problems[:20]),
            hint="Fix the edits and try again.",
        )
    return [result[id(e)] for e in edits]


def _outside(items: list[Edit], area: Any) -> list[Edit]:
    """Edits whose geometry does not reach the area's envelope (+ buffer); none without an extent."""
    if area is None:
        return []
    envelope = shapely.box(*area.bounds)
    return [e for e in items if e.geometry is not None and not e.geometry.intersects(envelope)]


def _id_problems(engine: Engine, edits: list[Edit], area: str) -> list[str]:
    problems = [
        f"{e.layer} {e.feature_id!r}: không có trong lớp nền của vùng {area} / "
        f"not in the baseline layer of study area {area} ({e.op})"
        for e in missing_features(engine, edits, area=area)
    ]
    for layer in {e.layer for e in edits if e.op == "add"}:
        ids = [e.feature_id for e in edits if e.layer == layer and e.op == "add"]
        problems.extend(
            f"{layer} {fid!r}: đã có trong lớp nền, hãy dùng change / "
            "already in the baseline layer, use change"
            for fid in sorted(_existing(engine, get_layer(layer), ids, area))
        )
    return problems
