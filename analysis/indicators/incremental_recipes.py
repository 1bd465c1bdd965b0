"""The accessibility indicators answered incrementally after edits to their destination layers.

Pure: no database.  :func:`prepare` computes an indicator's baseline once (its result rows by the
registry's recipe, the origin graph, every destination set with nearest identities, and which
result rows each origin counts in); :func:`evaluate` applies a batch of edits — features removed
(by key ``"layer:id"``) and features added (new features and the new versions of changed ones) —
and returns the indicator's rows after the edits.  Only the destination sets whose layers were
edited are searched, each from the edited destinations only (:mod:`analysis.indicators.incremental`).

Supported (:data:`INCREMENTAL`): ``transit_access`` (transit_stops), ``health_access``
(health_facilities), ``education_access`` (schools), ``open_space_access`` (green_spaces, land_use).
Other (indicator, layer) pairs are recomputed in full by the caller.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.sparse import csr_matrix

from analysis.indicators.access import numeric, point_xy, walk_network
from analysis.indicators.grid import cell_ids
from analysis.indicators.incremental import OriginGraph, SetState, baseline_set, origin_graph, update_set
from analysis.indicators.population import Origins, population_origins
from analysis.indicators.reporting import share, unit_of_points

Frames = Mapping[str, gpd.GeoDataFrame]
Select = Callable[[gpd.GeoDataFrame], np.ndarray]


@dataclass(frozen=True)
class SetRule:
    """A destination set: its name, distance threshold, and per layer which features belong."""

    name: str
    limit: float
    select: Mapping[str, Select]
    polygons: bool = False
    entry_spacing_m: float = 0.0


def _all(frame: gpd.GeoDataFrame) -> np.ndarray:
    return np.ones(len(frame), dtype=bool)


def _in(column: str, values: set[Any]) -> Select:
    return lambda f: f[column].isin(values).to_numpy() if column in f else np.zeros(len(f), dtype=bool)


def _types(wanted: str) -> Select:
    values = {v.strip() for v in str(wanted or "").split(",") if v.strip()}
    return _in("type", values) if values else _all


def transit_rules(params: Mapping[str, Any]) -> list[SetRule]:
    minimum = int(params["min_weekday_departures"] or 0)

    def stops(kind: str) -> Select:
        def select(f: gpd.GeoDataFrame) -> np.ndarray:
            ok = (f["capacity"] == kind).to_numpy()
            return ok & (numeric(f, "weekday_departures") >= minimum) if minimum > 0 else ok

        return select

    return [
        SetRule("low", float(params["low_capacity_m"]), {"transit_stops": stops("low")}),
        SetRule("high", float(params["high_capacity_m"]), {"transit_stops": stops("high")}),
    ]


def health_rules(params: Mapping[str, Any]) -> list[SetRule]:
    return [
        SetRule("f", float(params["distance_m"]), {"health_facilities": _types(params["facility_types"])})
    ]


def education_rules(params: Mapping[str, Any]) -> list[SetRule]:
    return [
        SetRule(k, float(params[f"{k}_m"]), {"schools": _in("level", {k})})
        for k in ("primary", "lower_secondary")
    ]


def open_space_rules(params: Mapping[str, Any], open_codes: tuple[str, ...]) -> list[SetRule]:
    min_area = float(params["min_area_m2"])
    codes = {c for c in open_codes if c != "DGT"}

    def green(f: gpd.GeoDataFrame) -> np.ndarray:
        ok = f["public"].fillna(False).astype(bool) & ~f["type"].isin(("cemetery", "orchard"))
        return ok.to_numpy() & (f.geometry.area.to_numpy() >= min_area)

    def zones(f: gpd.GeoDataFrame) -> np.ndarray:
        return f["code"].isin(codes).to_numpy() & (f.geometry.area.to_numpy() >= min_area)

    return [
        SetRule(
            "open",
            float(params["distance_m"]),
            {"green_spaces": green, "land_use": zones},
            polygons=True,
            entry_spacing_m=float(params["entry_spacing_m"]),
        )
    ]


#: Indicator id → destination layers it answers incrementally.
INCREMENTAL: dict[str, tuple[str, ...]] = {
    "transit_access": ("transit_stops",),
    "health_access": ("health_facilities",),
    "education_access": ("schools",),
    "open_space_access": ("green_spaces", "land_use"),
}


def rules_for(
    indicator_id: str, params: Mapping[str, Any], *, open_codes: tuple[str, ...] = ()
) -> list[SetRule]:
    if indicator_id == "transit_access":
        return transit_rules(params)
    if indicator_id == "health_access":
        return health_rules(params)
    if indicator_id == "education_access":
        return education_rules(params)
    if indicator_id == "open_space_access":
        return open_space_rules(params, open_codes)
    raise KeyError(f"indicator {indicator_id!r} has no incremental recipe")


def entry_points(polygons: np.ndarray, *, spacing_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Points every ``spacing_m`` along each polygon's outline and the polygon each belongs to
    (the same points as :func:`~analysis.indicators.access.boundary_entries`)."""
    rings, owner = shapely.get_parts(shapely.boundary(polygons), return_index=True)
    if len(rings) == 0:
        return np.zeros((0, 2)), np.zeros(0, dtype=int)
    lengths = shapely.length(rings)
    counts = np.maximum(np.ceil(lengths / spacing_m).astype(int), 1)
    ring_of = np.repeat(np.arange(len(rings)), counts)
    step = np.concatenate([np.arange(c) for c in counts]) * (lengths[ring_of] / counts[ring_of])
    xy = shapely.get_coordinates(shapely.line_interpolate_point(rings[ring_of], step))
    return xy, owner[ring_of]


def destination_points(
    rule: SetRule, frames: Frames, id_fields: Mapping[str, str]
) -> tuple[np.ndarray, list[str]]:
    """The set's points in ``frames`` (one layer's features or several) and their feature keys."""
    xys: list[np.ndarray] = []
    keys: list[str] = []
    for layer, select in rule.select.items():
        frame = frames.get(layer)
        if frame is None or frame.empty:
            continue
        chosen = frame[select(frame)]
        ids = chosen[id_fields[layer]].astype(str).to_numpy()
        if rule.polygons:
            xy, owner = entry_points(chosen.geometry.to_numpy(), spacing_m=rule.entry_spacing_m)
        else:
            xy, owner = point_xy(chosen, layer=layer), np.arange(len(chosen))
        xys.append(xy)
        keys.extend(f"{layer}:{i}" for i in ids[owner])
    return (np.vstack(xys) if xys else np.zeros((0, 2))), keys


@dataclass
class Baseline:
    """What :func:`evaluate` starts from: the indicator's baseline rows and search state."""

    indicator_id: str
    params: dict[str, Any]
    rows: gpd.GeoDataFrame
    origins: Origins
    graph: OriginGraph
    sets: dict[str, SetState]
    rules: list[SetRule]
    membership: csr_matrix
    units: gpd.GeoDataFrame
    frames: dict[str, gpd.GeoDataFrame]
    seat_membership: csr_matrix | None = None


def membership(
    rows: pd.DataFrame, points: gpd.GeoDataFrame, units: gpd.GeoDataFrame, *, grid: bool
) -> csr_matrix:
    """``(n_rows, n_points)`` 0/1 matrix: the ward, city (and grid cell) rows each point counts in,
    with the rules of :mod:`analysis.indicators.reporting`."""
    levels = rows["level"].to_numpy()
    keep = np.ones(len(rows), dtype=bool) if grid else levels != "grid"
    pairs = zip(levels[keep], rows["unit_id"].to_numpy()[keep], np.flatnonzero(keep), strict=True)
    index = {(lv, uid): i for lv, uid, i in pairs}
    r, c = [], []
    latest = units["vintage"].max()
    for vintage, group in units.groupby("vintage"):
        where = unit_of_points(points, group).to_numpy()  # the rule the full recipes use
        inside = np.flatnonzero(~pd.isna(where))
        unit_ids = group["unit_id"].reindex(where[inside]).to_numpy()
        for pos, uid in zip(inside, unit_ids, strict=True):
            for key in (("ward", uid), ("city", f"{int(vintage)}-city")):
                if key in index:
                    r.append(index[key])
                    c.append(pos)
        if grid and vintage == latest:
            cells = cell_ids(points.geometry.iloc[inside]).to_numpy()
            for pos, cell in zip(inside, cells, strict=True):
                if ("grid", cell) in index:
                    r.append(index[("grid", cell)])
                    c.append(pos)
    return csr_matrix((np.ones(len(r)), (r, c)), shape=(len(rows), len(points)))


def prepare(
    indicator_id: str,
    recipe: Callable[[Frames, dict[str, Any]], gpd.GeoDataFrame],
    inputs: Mapping[str, Any],
    params: dict[str, Any],
    id_fields: Mapping[str, str],
    *,
    open_codes: tuple[str, ...] = (),
) -> Baseline:
    """Baseline rows (by ``recipe``), origin graph, destination sets and row membership."""
    rows = recipe(inputs, params)
    origins = population_origins(inputs)
    net = walk_network(inputs["roads"])
    graph = origin_graph(net, origins.xy)
    rules = rules_for(indicator_id, params, open_codes=open_codes)
    frames = {
        layer: inputs[layer] for rule in rules for layer in rule.select if inputs.get(layer) is not None
    }
    sets = {}
    for rule in rules:
        xy, keys = destination_points(rule, frames, id_fields)
        sets[rule.name] = baseline_set(net, graph, origins.xy, xy, keys, name=rule.name, limit=rule.limit)
    units = inputs["admin_units"]
    member = membership(rows, origins.points, units, grid=True)
    seats = None
    if indicator_id == "education_access" and frames.get("schools") is not None:
        seats = membership(rows, frames["schools"], units, grid=False)
    return Baseline(indicator_id, params, rows, origins, graph, sets, rules, member, units, frames, seats)


@dataclass(frozen=True)
class Edits:
    """A batch of edits in the analysis CRS: removed feature keys and added features per layer."""

    removed: frozenset[str]
    added: Mapping[str, gpd.GeoDataFrame]


def edited_frame(
    base: gpd.GeoDataFrame | None, layer: str, edits: Edits, id_field: str
) -> gpd.GeoDataFrame | None:
    """A layer after edits: baseline rows minus removed keys, plus the added features."""
    added = edits.added.get(layer)
    if base is None:
        return added
    keys = layer + ":" + base[id_field].astype(str)
    kept = base[~keys.isin(edits.removed).to_numpy()]
    if added is None or added.empty:
        return kept
    added = added.to_crs(base.crs)
    if added.geometry.name != base.geometry.name:
        added = added.rename_geometry(base.geometry.name)
    added = added[[c for c in base.columns if c in added.columns]]
    frame = pd.concat([kept, added], ignore_index=True)
    return gpd.GeoDataFrame(frame, geometry=base.geometry.name, crs=base.crs)


def _served(base: Baseline, edits: Edits, id_fields: Mapping[str, str]) -> dict[str, np.ndarray]:
    out = {}
    for rule in base.rules:
        state = base.sets[rule.name]
        touched = [
            layer
            for layer in rule.select
            if layer in edits.added or any(k.startswith(f"{layer}:") for k in edits.removed)
        ]
        if not touched:
            out[rule.name] = np.isfinite(state.dist)
            continue
        added = {layer: frame for layer, frame in edits.added.items() if layer in rule.select}
        xy, keys = destination_points(rule, added, id_fields)
        removed = {k for k in edits.removed if k.split(":", 1)[0] in rule.select}
        update = update_set(base.graph, state, removed=removed, added_xy=xy, added_keys=keys)
        out[rule.name] = np.isfinite(update.dist)
    return out


def _share(base: Baseline, served: np.ndarray) -> gpd.GeoDataFrame:
    rows = base.rows.copy()
    within = base.membership @ (base.origins.population * served)
    rows["population_within"] = within
    rows["share_pct"] = share(pd.Series(within), rows["population"].reset_index(drop=True)).to_numpy()
    return rows


LEVELS = ("primary", "lower_secondary")


def _school_seats(base: Baseline, edits: Edits, id_fields: Mapping[str, str]) -> dict[str, np.ndarray] | None:
    """Seats per level and result row after the edits: the baseline schools' seats (membership
    computed once) minus the removed ones, plus the added schools' (only they are located)."""
    schools = base.frames.get("schools")
    if schools is None or base.seat_membership is None:
        return None
    keys = "schools:" + schools[id_fields["schools"]].astype(str)
    kept = ~keys.isin(edits.removed).to_numpy()
    added = edits.added.get("schools")
    extra = None
    if added is not None and not added.empty:
        added = added.to_crs(schools.crs)
        extra = membership(base.rows, added, base.units, grid=False)
    out = {}
    for k in LEVELS:
        capacity = np.where((schools["level"] == k).to_numpy() & kept, numeric(schools, "capacity"), 0.0)
        out[k] = base.seat_membership @ capacity
        if extra is not None and added is not None:
            out[k] = out[k] + extra @ np.where(
                (added["level"] == k).to_numpy(), numeric(added, "capacity"), 0.0
            )
    return out


def _education(
    base: Baseline, served: Mapping[str, np.ndarray], edits: Edits, id_fields: Mapping[str, str]
) -> gpd.GeoDataFrame:
    rows = base.rows.copy()
    pop = base.origins.population
    not_grid = (rows["level"] != "grid").to_numpy()
    seats = _school_seats(base, edits, id_fields)
    for k in LEVELS:
        age = float(base.params[f"{k}_age_share"])
        children = rows[f"children_{k}"].astype(float).to_numpy()
        within = base.membership @ (pop * age * served[k])
        rows[f"{k}_within_pct"] = share(pd.Series(within), pd.Series(children)).to_numpy()
        if seats is not None:
            ratio = seats[k] / np.where(children > 0, children, np.nan)
            rows.loc[not_grid, f"{k}_seats_per_child"] = ratio[not_grid]
    return rows


def evaluate(base: Baseline, edits: Edits, id_fields: Mapping[str, str]) -> gpd.GeoDataFrame:
    """The indicator's result rows after ``edits`` (same columns and row order as the baseline)."""
    served = _served(base, edits, id_fields)
    if base.indicator_id == "transit_access":
        return _share(base, served["low"] | served["high"])
    if base.indicator_id == "education_access":
        return _education(base, served, edits, id_fields)
    (only,) = served.values()
    return _share(base, only)
