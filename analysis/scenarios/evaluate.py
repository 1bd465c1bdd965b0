"""Evaluate edits: which indicators they touch, recomputed incrementally or in full, and what changes.

An indicator is touched when an edited layer is one of its inputs.  Indicators whose edited layers
are listed in :data:`~analysis.indicators.incremental_recipes.INCREMENTAL` (destinations of the
accessibility indicators and 2SFCA, walkability's daily-living destinations, the polygons of the
open-space overlay and of the land-use mix) are answered incrementally from a baseline kept in
memory (:data:`BASELINES`, keyed by the study area, the input versions and parameters, so a
changed baseline or another area's is never used); every other touched indicator is recomputed
in full on the edited layers.  Nothing is written: :mod:`analysis.scenarios.store` saves what a
saved scenario's evaluation returns.  Every function reads the layers of one study area
(``area``, default ``mytho``): a scenario's own.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import mapping
from sqlalchemy.engine import Engine

from analysis.errors import IndicatorError, MissingInputError
from analysis.indicators.incremental_recipes import (
    INCREMENTAL,
    Edits,
    IncrementalBaseline,
    edited_frame,
    evaluate,
    prepare,
)
from analysis.inputs import qualified
from analysis.registry import INDICATORS, IndicatorSpec
from analysis.runner import _plan, _read_inputs
from analysis.scenarios.edits import Edit
from analysis.scenarios.published import json_value, published_digits, round_published
from gis.crs import STORAGE_SRID
from layers.catalog import LAYERS, RASTERS, get_layer
from layers.catalog.types import DEFAULT_AREA

#: Baselines kept in memory (indicator baselines of the current data versions).
BASELINE_CACHE_SIZE = 16
#: Two values closer than this are equal (float sums in a different order).
TOLERANCE = 1e-6


@dataclass
class _Cached:
    key: str
    inputs: dict[str, Any]
    epsg: int
    rows: gpd.GeoDataFrame
    synthetic: bool
    incremental: IncrementalBaseline | None = None


BASELINES: OrderedDict[str, _Cached] = OrderedDict()


def id_fields() -> dict[str, str]:
    return {name: spec.id_field for name, spec in LAYERS.items()}


def touched(edited: Iterable[str]) -> list[IndicatorSpec]:
    """Indicators with an edited layer among their inputs."""
    layers = set(edited)
    return [s for s in INDICATORS.values() if layers & {*s.inputs, *s.optional_inputs}]


def baseline(
    engine: Engine,
    spec: IndicatorSpec,
    *,
    data_dir: Any = None,
    incremental: bool = False,
    area: str = DEFAULT_AREA,
) -> _Cached:
    """The indicator's baseline in study area ``area`` for the current input versions (computed
    once, then cached per area)."""
    plan = _plan(engine, spec, None, area)
    key = f"{area}/{plan.fingerprint}"
    cached = BASELINES.get(key)
    if cached is None:
        inputs, epsg, synthetic = _read_inputs(engine, spec, plan.found, data_dir, {}, area=area)
        rows = spec.recipe(inputs, plan.parameters)
        cached = _Cached(key, inputs, epsg, rows, bool(synthetic))
        BASELINES[key] = cached
        while len(BASELINES) > BASELINE_CACHE_SIZE:
            BASELINES.popitem(last=False)
    BASELINES.move_to_end(key)
    if incremental and cached.incremental is None:
        keywords = getattr(spec.recipe, "keywords", {})
        cached.incremental = prepare(
            spec.id,
            lambda _i, _p: cached.rows,
            cached.inputs,
            plan.parameters,
            id_fields(),
            open_codes=tuple(keywords.get("open_codes", ())),
            groups=keywords.get("groups"),
        )
    return cached


def edits_in_crs(edits: Iterable[Edit], epsg: int) -> Edits:
    """Removed keys (changes and removals) and added features per layer, in the analysis CRS."""
    removed, added = set(), {}
    by_layer: dict[str, list[Edit]] = {}
    for e in edits:
        if e.op != "add":
            removed.add(e.key)
        if e.op != "remove":
            by_layer.setdefault(e.layer, []).append(e)
    for layer, items in by_layer.items():
        id_field = get_layer(layer).id_field
        frame = gpd.GeoDataFrame(
            [{**e.attributes, id_field: e.feature_id, "synthetic": False} for e in items],
            geometry=[e.geometry for e in items],
            crs=STORAGE_SRID,
        )
        added[layer] = frame.to_crs(epsg=epsg)
    return Edits(frozenset(removed), added)


@dataclass
class IndicatorChange:
    """One indicator's answer: the rows that change (before, after) and how it was computed."""

    indicator_id: str
    value_column: str
    method: str
    seconds: float
    synthetic: bool
    rows: gpd.GeoDataFrame  # changed rows, EPSG:4326: level, unit_id, …, before, after, change, values
    searched: dict[str, Any] = field(default_factory=dict)


def _numeric_columns(spec: IndicatorSpec, rows: pd.DataFrame) -> list[str]:
    names = [c.name for c in spec.result_columns if c.name in rows.columns]
    return [c for c in names if pd.api.types.is_numeric_dtype(rows[c])]


def diff_rows(
    spec: IndicatorSpec, before: gpd.GeoDataFrame, after: gpd.GeoDataFrame, *, published: bool = True
) -> gpd.GeoDataFrame:
    """The rows that change, with before/after/change of the value column and the row's values.

    ``published`` (the default, what every answer and stored result uses): a row changes when a
    numeric result column changes at its published precision, and the values are the published,
    rounded ones (:mod:`analysis.scenarios.published`).  ``published=False``: full-precision values,
    a row changes when a column moves by more than :data:`TOLERANCE` (NaN equals NaN) — what the
    property tests compare between the incremental and the full recomputation."""
    cols = _numeric_columns(spec, before)
    digits = published_digits(spec, cols) if published else dict.fromkeys(cols)
    b = before.set_index(["level", "unit_id"])
    aligned = (
        len(after) == len(before) and (after["unit_id"].to_numpy() == before["unit_id"].to_numpy()).all()
    )  # incremental answers keep the baseline's row order
    a = after.set_axis(b.index) if aligned else after.set_index(["level", "unit_id"]).reindex(b.index)
    changed = np.zeros(len(b), dtype=bool)
    xs: dict[str, np.ndarray] = {}
    ys: dict[str, np.ndarray] = {}
    for c in cols:
        x, y = b[c].astype(float).to_numpy(), a[c].astype(float).to_numpy()
        d = digits[c]
        if d is None:
            same = np.abs(x - y) <= (TOLERANCE if not published else 0.0)
        else:
            x, y = round_published(x, d), round_published(y, d)
            same = x == y
        changed |= ~(same | (np.isnan(x) & np.isnan(y)))
        xs[c], ys[c] = x, y
        if d is None and pd.api.types.is_integer_dtype(a[c].dtype):
            ys[c] = a[c].to_numpy()  # counts stay integers in the values
    value = spec.value_column
    bv, av = xs[value][changed], ys[value][changed].astype(float)
    change = av - bv
    value_digits = digits.get(value)
    if published and value_digits is not None:
        change = round_published(change, value_digits)  # 0.30000000000000004 → 0.3
    kept = b[changed]
    out = pd.DataFrame(
        {
            "level": kept.index.get_level_values(0),
            "unit_id": kept.index.get_level_values(1),
            "vintage": kept["vintage"].to_numpy(),
            "name_vi": kept["name_vi"].to_numpy(),
            "name_en": kept["name_en"].to_numpy(),
            "value_column": value,
            "before": bv,
            "after": av,
            "values": _records({c: ys[c][changed] for c in cols}, published=published),
            "change": change,
        }
    )
    frame = gpd.GeoDataFrame(out, geometry=kept.geometry.to_numpy(), crs=before.crs)
    return frame.to_crs(epsg=STORAGE_SRID)


def _records(columns: dict[str, np.ndarray], *, published: bool) -> list[dict[str, Any]]:
    """Rows of the columns as dicts of Python numbers (published: non-finite values as ``None``)."""
    names = list(columns)
    rows = zip(*(columns[c].tolist() for c in names), strict=True)
    if published:
        return [{n: json_value(v) for n, v in zip(names, r, strict=True)} for r in rows]
    return [dict(zip(names, r, strict=True)) for r in rows]


def _full(spec: IndicatorSpec, cached: _Cached, edits: Edits) -> gpd.GeoDataFrame:
    inputs = dict(cached.inputs)
    for layer in {k.split(":", 1)[0] for k in edits.removed} | set(edits.added):
        if layer in {*spec.inputs, *spec.optional_inputs}:
            frame = edited_frame(inputs.get(layer), layer, edits, get_layer(layer).id_field)
            if frame is not None:
                inputs[layer] = frame
    try:
        return spec.recipe(inputs, _plan_params(spec))
    except (ValueError, KeyError) as exc:
        raise IndicatorError(f"Indicator {spec.id} cannot be computed on the scenario: {exc}") from exc


def _plan_params(spec: IndicatorSpec) -> dict[str, Any]:
    return spec.resolve_params(None)


def evaluate_indicator(
    engine: Engine,
    spec: IndicatorSpec,
    edits: list[Edit],
    *,
    data_dir: Any = None,
    force_full: bool = False,
    published: bool = True,
    area: str = DEFAULT_AREA,
) -> IndicatorChange:
    """One touched indicator after the edits: the rows that change (:func:`diff_rows`; with
    ``published=False`` at full precision, as the property tests compare them)."""
    edited = {e.layer for e in edits} & {*spec.inputs, *spec.optional_inputs}
    incremental = not force_full and spec.id in INCREMENTAL and edited <= set(INCREMENTAL[spec.id])
    cached = baseline(engine, spec, data_dir=data_dir, incremental=incremental, area=area)
    t0 = time.perf_counter()
    batch = edits_in_crs([e for e in edits if e.layer in edited], cached.epsg)
    if incremental and cached.incremental is not None:
        after, method = evaluate(cached.incremental, batch, id_fields()), "incremental"
    else:
        after, method = _full(spec, cached, batch), "full"
    rows = diff_rows(spec, cached.rows, after, published=published)
    return IndicatorChange(
        spec.id, spec.value_column, method, time.perf_counter() - t0, cached.synthetic, rows
    )


def recompute(
    engine: Engine,
    spec: IndicatorSpec,
    edits: list[Edit],
    *,
    data_dir: Any = None,
    area: str = DEFAULT_AREA,
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Every row of the indicator before (the baseline) and after the edits by full recomputation
    on the edited layers, at full precision (what answers are checked against)."""
    cached = baseline(engine, spec, data_dir=data_dir, area=area)
    edited = {e.layer for e in edits} & {*spec.inputs, *spec.optional_inputs}
    batch = edits_in_crs([e for e in edits if e.layer in edited], cached.epsg)
    return cached.rows, _full(spec, cached, batch)


def evaluate_edits(
    engine: Engine,
    edits: list[Edit],
    *,
    only: Iterable[str] | None = None,
    data_dir: Any = None,
    area: str = DEFAULT_AREA,
) -> list[IndicatorChange]:
    """Every touched indicator whose inputs are loaded in study area ``area`` (the others are
    left out), evaluated on that area's layers."""
    wanted = set(only) if only else None
    out = []
    for spec in touched(e.layer for e in edits):
        if wanted is not None and spec.id not in wanted:
            continue
        if any(n in RASTERS for n in spec.inputs) and data_dir is None:
            continue
        try:
            out.append(evaluate_indicator(engine, spec, edits, data_dir=data_dir, area=area))
        except MissingInputError:
            continue
    return out


def summary(
    changes: list[IndicatorChange], *, grid_geometry: bool = False, base_url: str = ""
) -> dict[str, Any]:
    """JSON answer: per indicator the city and ward rows that change, and the changed grid cells.

    Grid cells are GeoJSON features without geometry (``null``) by default — id, level and values
    — with a link to the indicator's grid collection (``<indicator>-grid``, feature ids
    ``grid:<unit_id>``) to join them to its cells; ``grid_geometry=True`` gives each its polygon."""
    out: dict[str, Any] = {}
    for ch in changes:
        rows = ch.rows
        is_grid = (rows["level"] == "grid").to_numpy()
        out[ch.indicator_id] = {
            "method": ch.method,
            "seconds": round(ch.seconds, 4),
            "value_column": ch.value_column,
            "synthetic": ch.synthetic,
            "units": [_unit(r) for r in rows[~is_grid].drop(columns="geometry").to_dict("records")],
            "grid_cells": _cells(ch.indicator_id, rows[is_grid], grid_geometry, base_url),
        }
    return out


_UNIT_FIELDS = ("level", "unit_id", "vintage", "name_vi", "name_en", "value_column", "before", "after")


def _unit(row: dict[str, Any]) -> dict[str, Any]:
    return {
        **{k: json_value(row[k]) for k in _UNIT_FIELDS},
        "change": json_value(row["change"]),
        "values": {k: json_value(v) for k, v in row["values"].items()},
    }


def _cells(indicator_id: str, cells: gpd.GeoDataFrame, geometry: bool, base_url: str) -> dict[str, Any]:
    collection = f"{indicator_id}-grid"
    href = f"{base_url}/collections/{collection}"
    shapes = [mapping(g) if g is not None else None for g in cells.geometry] if geometry else None
    features = [
        {
            "type": "Feature",
            "id": f"grid:{unit_id}",
            "properties": {
                "unit_id": unit_id,
                "level": "grid",
                "before": json_value(before),
                "after": json_value(after),
                "change": json_value(change),
                "values": {k: json_value(v) for k, v in values.items()},
            },
            "geometry": shapes[n] if shapes is not None else None,
        }
        for n, (unit_id, before, after, change, values) in enumerate(
            zip(
                cells["unit_id"].tolist(),
                cells["before"].tolist(),
                cells["after"].tolist(),
                cells["change"].tolist(),
                cells["values"].tolist(),
                strict=True,
            )
        )
    ]
    return {
        "type": "FeatureCollection",
        "collection": collection,
        "join": "unit_id",
        "grid_geometry": geometry,
        "links": [
            {
                "href": href,
                "rel": "related",
                "type": "application/json",
                "title": "Ô lưới của chỉ số (nối theo unit_id) / The indicator's grid (join on unit_id)",
            },
            {
                "href": f"{href}/items",
                "rel": "items",
                "type": "application/geo+json",
                "title": "Hình ô lưới / Grid cell polygons",
            },
        ],
        "features": features,
    }


def layer_of(name: str) -> str:
    return qualified(name)
