"""Evaluate edits: which indicators they touch, recomputed incrementally or in full, and what changes.

An indicator is touched when an edited layer is one of its inputs.  Indicators whose edited layers
are listed in :data:`~analysis.indicators.incremental_recipes.INCREMENTAL` (destinations of the
accessibility indicators and 2SFCA, walkability's daily-living destinations, the polygons of the
open-space overlay and of the land-use mix) are answered incrementally from a baseline kept in
memory (:data:`BASELINES`, keyed by the input versions and parameters, so a changed baseline is
never used); every other touched indicator is recomputed in full on the edited layers.  Nothing is
written: :mod:`analysis.scenarios.store` saves what a saved scenario's evaluation returns.
"""

from __future__ import annotations

import json
import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
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
from gis.crs import STORAGE_SRID
from layers.catalog import LAYERS, RASTERS, get_layer

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
    engine: Engine, spec: IndicatorSpec, *, data_dir: Any = None, incremental: bool = False
) -> _Cached:
    """The indicator's baseline for the current input versions (computed once, then cached)."""
    plan = _plan(engine, spec, None)
    key = plan.fingerprint
    cached = BASELINES.get(key)
    if cached is None:
        inputs, epsg, synthetic = _read_inputs(engine, spec, plan.found, data_dir, {})
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


def diff_rows(spec: IndicatorSpec, before: gpd.GeoDataFrame, after: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The rows whose numeric result columns differ (NaN equals NaN), with before/after/change."""
    cols = _numeric_columns(spec, before)
    b = before.set_index(["level", "unit_id"])
    aligned = (
        len(after) == len(before) and (after["unit_id"].to_numpy() == before["unit_id"].to_numpy()).all()
    )  # incremental answers keep the baseline's row order
    a = after.set_axis(b.index) if aligned else after.set_index(["level", "unit_id"]).reindex(b.index)
    changed = np.zeros(len(b), dtype=bool)
    for c in cols:
        x, y = b[c].astype(float).to_numpy(), a[c].astype(float).to_numpy()
        same = (np.abs(x - y) <= TOLERANCE) | (np.isnan(x) & np.isnan(y))
        changed |= ~same
    value = spec.value_column
    b, a = b[changed], a[changed]
    out = pd.DataFrame(
        {
            "level": b.index.get_level_values(0),
            "unit_id": b.index.get_level_values(1),
            "vintage": b["vintage"].to_numpy(),
            "name_vi": b["name_vi"].to_numpy(),
            "name_en": b["name_en"].to_numpy(),
            "value_column": value,
            "before": b[value].astype(float).to_numpy(),
            "after": a[value].astype(float).to_numpy(),
            "values": _plain_records(a[cols]),
        }
    )
    out["change"] = out["after"] - out["before"]
    frame = gpd.GeoDataFrame(out, geometry=b.geometry.to_numpy(), crs=before.crs)
    return frame.to_crs(epsg=STORAGE_SRID)


def _plain_records(frame: pd.DataFrame) -> list[dict[Any, Any]]:
    """Rows as JSON-ready dicts: plain numpy columns convert directly (``to_dict`` gives Python
    numbers, NaN stays NaN as through JSON), others go through JSON (``str`` for the rest)."""
    if all(isinstance(t, np.dtype) and t.kind in "fiub" for t in frame.dtypes):
        return frame.to_dict("records")
    return [json.loads(json.dumps(r, default=str)) for r in frame.to_dict("records")]


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
    engine: Engine, spec: IndicatorSpec, edits: list[Edit], *, data_dir: Any = None, force_full: bool = False
) -> IndicatorChange:
    """One touched indicator after the edits."""
    edited = {e.layer for e in edits} & {*spec.inputs, *spec.optional_inputs}
    incremental = not force_full and spec.id in INCREMENTAL and edited <= set(INCREMENTAL[spec.id])
    cached = baseline(engine, spec, data_dir=data_dir, incremental=incremental)
    t0 = time.perf_counter()
    batch = edits_in_crs([e for e in edits if e.layer in edited], cached.epsg)
    if incremental and cached.incremental is not None:
        after, method = evaluate(cached.incremental, batch, id_fields()), "incremental"
    else:
        after, method = _full(spec, cached, batch), "full"
    rows = diff_rows(spec, cached.rows, after)
    return IndicatorChange(
        spec.id, spec.value_column, method, time.perf_counter() - t0, cached.synthetic, rows
    )


def evaluate_edits(
    engine: Engine, edits: list[Edit], *, only: Iterable[str] | None = None, data_dir: Any = None
) -> list[IndicatorChange]:
    """Every touched indicator whose inputs are loaded (the others are left out)."""
    wanted = set(only) if only else None
    out = []
    for spec in touched(e.layer for e in edits):
        if wanted is not None and spec.id not in wanted:
            continue
        if any(n in RASTERS for n in spec.inputs) and data_dir is None:
            continue
        try:
            out.append(evaluate_indicator(engine, spec, edits, data_dir=data_dir))
        except MissingInputError:
            continue
    return out


def summary(changes: list[IndicatorChange]) -> dict[str, Any]:
    """JSON answer: per indicator the city and ward rows that change, and the changed grid cells."""
    out: dict[str, Any] = {}
    for ch in changes:
        rows = ch.rows
        units = rows[rows["level"] != "grid"].drop(columns="geometry")
        cells = rows[rows["level"] == "grid"]
        out[ch.indicator_id] = {
            "method": ch.method,
            "seconds": round(ch.seconds, 4),
            "value_column": ch.value_column,
            "synthetic": ch.synthetic,
            "units": json.loads(units.to_json(orient="records")),
            "grid_cells": json.loads(cells[["unit_id", "before", "after", "change", "geometry"]].to_json()),
        }
    return out


def layer_of(name: str) -> str:
    return qualified(name)
