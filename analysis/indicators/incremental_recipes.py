"""The accessibility indicators answered incrementally after edits to their destination layers.

Pure: no database.  :func:`prepare` computes an indicator's baseline once (its result rows by the
registry's recipe, the origin graph, every destination set with nearest identities, and which
result rows each origin counts in); :func:`evaluate` applies a batch of edits — features removed
(by key ``"layer:id"``) and features added (new features and the new versions of changed ones) —
and returns the indicator's rows after the edits.  Only the destination sets whose layers were
edited are searched, each from the edited destinations only (:mod:`analysis.indicators.incremental`).

Supported (:data:`INCREMENTAL`): ``transit_access`` (transit_stops), ``health_access``
(health_facilities), ``education_access`` (schools), ``open_space_access`` (green_spaces, land_use)
— nearest-destination searches; ``health_beds_2sfca`` (health_facilities) — catchments of the
edited facilities only (:mod:`analysis.indicators.incremental_2sfca`); ``walkability``
(transit_stops, markets) — the daily-living destinations searched as above, the neighbourhood
densities kept; ``open_space_share`` (green_spaces, land_use) — the tiles the edited polygons
meet (:mod:`analysis.indicators.incremental_areas`); ``land_use_mix`` (land_use) — the wards and
cells the edited zones meet (:mod:`analysis.indicators.incremental_zones`).  Other (indicator,
layer) pairs are recomputed in full by the caller.
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
from analysis.indicators.incremental_2sfca import Catchments, catchments, update_catchments
from analysis.indicators.incremental_areas import TiledAreas, tiled_areas, update_areas
from analysis.indicators.incremental_zones import ZoneTable, update_table, zone_table
from analysis.indicators.landuse import land_use_mix_recipe, land_use_mix_rows, mix_cells, mix_zones
from analysis.indicators.openspace import (
    OPEN_SPACE_OVERLAYS,
    open_space_frames,
    open_space_layers,
    open_space_share_rows,
    street_buffers,
)
from analysis.indicators.population import Origins, population_origins
from analysis.indicators.reporting import share, unit_of_points
from analysis.indicators.walkability import density_terms, zscore

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


def walkability_rules(params: Mapping[str, Any]) -> list[SetRule]:
    """The daily-living destinations of :func:`~analysis.indicators.walkability.walkability_recipe`."""
    walk = float(params["daily_m"])
    return [
        SetRule("food", walk, {"markets": _in("type", {"market", "supermarket"})}),
        SetRule("convenience", walk, {"markets": _in("type", {"convenience"})}),
        SetRule("transit", walk, {"transit_stops": _all}),
    ]


#: Indicator id → edited layers it answers incrementally.
INCREMENTAL: dict[str, tuple[str, ...]] = {
    "transit_access": ("transit_stops",),
    "health_access": ("health_facilities",),
    "education_access": ("schools",),
    "open_space_access": ("green_spaces", "land_use"),
    "health_beds_2sfca": ("health_facilities",),
    "walkability": ("transit_stops", "markets"),
    "open_space_share": ("green_spaces", "land_use"),
    "land_use_mix": ("land_use",),
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
    if indicator_id == "walkability":
        return walkability_rules(params)
    if indicator_id == "health_beds_2sfca":
        return []  # catchments, not nearest destinations (see Baseline.beds)
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
    beds: Catchments | None = None
    density_z: np.ndarray | None = None


@dataclass
class AreaBaseline:
    """What :func:`evaluate` starts from for ``open_space_share``: rows and tiled areas."""

    indicator_id: str
    params: dict[str, Any]
    rows: gpd.GeoDataFrame
    units: gpd.GeoDataFrame
    tiles: TiledAreas
    method: str
    open_codes: tuple[str, ...]


@dataclass
class ZoneBaseline:
    """What :func:`evaluate` starts from for ``land_use_mix``: rows and per-zone area tables."""

    indicator_id: str
    params: dict[str, Any]
    rows: gpd.GeoDataFrame
    inputs: Mapping[str, Any]
    groups: Mapping[str, str] | None
    status: str
    wards: ZoneTable
    cells: ZoneTable


IncrementalBaseline = Baseline | AreaBaseline | ZoneBaseline


def _prepare_land_use_mix(
    rows: gpd.GeoDataFrame,
    inputs: Mapping[str, Any],
    params: dict[str, Any],
    groups: Mapping[str, str] | None,
) -> ZoneBaseline:
    units = inputs["admin_units"]
    land, status, _ = mix_zones(inputs, params, groups=groups)
    wards = zone_table(land, "group", units.geometry.to_numpy())
    cells = zone_table(land, "group", mix_cells(units))
    return ZoneBaseline("land_use_mix", params, rows, inputs, groups, status, wards, cells)


def _land_use_mix(base: ZoneBaseline, edits: Edits, id_fields: Mapping[str, str]) -> gpd.GeoDataFrame:
    """Land-use mix after the edits: only the wards and cells an old or new zone meets are measured
    (in full when the edits change which status ``auto`` measures)."""
    before = base.inputs["land_use"]
    added = edits.added.get("land_use")
    if added is not None:
        added = _ensure(added.to_crs(before.crs), "code", "status")
    edits = Edits(edits.removed, {"land_use": added} if added is not None else {})
    edited = edited_frame(before, "land_use", edits, id_fields["land_use"])
    inputs = {**base.inputs, "land_use": edited}
    land, status, cats = mix_zones(inputs, base.params, groups=base.groups)
    if status != base.status:
        return land_use_mix_recipe(inputs, base.params, groups=base.groups)
    gone = _keys(before, "land_use", id_fields)
    changed = [before.geometry.to_numpy()[np.isin(gone, list(edits.removed))]]
    if added is not None:
        changed.append(added.geometry.to_numpy())
    old = np.concatenate(changed)
    per_unit, _ = update_table(base.wards, land, "group", old)
    per_cell, _ = update_table(base.cells, land, "group", old)
    units = base.inputs["admin_units"]
    per_unit = per_unit.set_axis(units.index[per_unit.index])
    return land_use_mix_rows(units, per_unit, base.cells.zones, per_cell, status, cats)


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


def _keys(frame: gpd.GeoDataFrame, layer: str, id_fields: Mapping[str, str]) -> np.ndarray:
    return (layer + ":" + frame[id_fields[layer]].astype(str)).to_numpy(dtype=object)


def _open_space_keyed(
    inputs: Mapping[str, Any], open_codes: tuple[str, ...], id_fields: Mapping[str, str]
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The edited layers' polygons of :data:`OPEN_SPACE_OVERLAYS` with their feature keys."""
    out = {}
    frames = {}
    if inputs.get("green_spaces") is not None:
        frames = open_space_frames(inputs, open_codes=open_codes)
    elif inputs.get("land_use") is not None:  # edits: land-use zones only
        frames = {"land_use": inputs["land_use"][inputs["land_use"]["code"].isin(open_codes)]}
    if frames:
        out["open"] = (
            np.asarray([g for f in frames.values() for g in f.geometry], dtype=object),
            np.concatenate([_keys(f, layer, id_fields) for layer, f in frames.items()]),
        )
    roads = inputs.get("roads")
    if roads is not None:
        out["streets"] = (street_buffers(roads), _keys(roads, "roads", id_fields))
    return out


def _prepare_open_space_share(
    rows: gpd.GeoDataFrame,
    inputs: Mapping[str, Any],
    params: dict[str, Any],
    id_fields: Mapping[str, str],
    open_codes: tuple[str, ...],
) -> AreaBaseline:
    units = inputs["admin_units"]
    layers, method = open_space_layers(inputs, params, open_codes=open_codes)
    keyed = _open_space_keyed(inputs, open_codes, id_fields)
    keys = {name: keyed[name][1] if name in keyed else None for name in layers}
    tiles = tiled_areas(units, layers, keys, OPEN_SPACE_OVERLAYS)
    return AreaBaseline("open_space_share", params, rows, units, tiles, method, open_codes)


def prepare(
    indicator_id: str,
    recipe: Callable[[Frames, dict[str, Any]], gpd.GeoDataFrame],
    inputs: Mapping[str, Any],
    params: dict[str, Any],
    id_fields: Mapping[str, str],
    *,
    open_codes: tuple[str, ...] = (),
    groups: Mapping[str, str] | None = None,
) -> IncrementalBaseline:
    """Baseline rows (by ``recipe``), and what the indicator's incremental answer starts from:
    origin graph, destination sets (or catchments) and row membership, tiled areas, or zone
    tables.  ``open_codes``, ``groups``: the land-use codes the registry binds to the recipe."""
    rows = recipe(inputs, params)
    if indicator_id == "open_space_share":
        return _prepare_open_space_share(rows, inputs, params, id_fields, open_codes)
    if indicator_id == "land_use_mix":
        return _prepare_land_use_mix(rows, inputs, params, groups)
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
    base = Baseline(indicator_id, params, rows, origins, graph, sets, rules, member, units, frames)
    if indicator_id == "education_access" and frames.get("schools") is not None:
        base.seat_membership = membership(rows, frames["schools"], units, grid=False)
    if indicator_id == "health_beds_2sfca":
        facilities = _with_beds(inputs["health_facilities"])
        base.frames = {"health_facilities": facilities}
        base.beds = catchments(
            graph,
            point_xy(facilities, layer="infrastructure.health_facilities"),
            list(_keys(facilities, "health_facilities", id_fields)),
            numeric(facilities, "beds"),
            origins.population,
            limit=float(params["catchment_m"]),
        )
        base.seat_membership = membership(rows, facilities, units, grid=False)
    if indicator_id == "walkability":
        pop_density, inter_density = density_terms(net, origins, params)
        base.density_z = zscore(pop_density) + zscore(inter_density)
    return base


def _ensure(frame: gpd.GeoDataFrame, *columns: str) -> gpd.GeoDataFrame:
    """``frame`` with the missing ``columns`` added empty (an edit need not give every attribute)."""
    missing = [c for c in columns if c not in frame.columns]
    return frame.assign(**dict.fromkeys(missing)) if missing else frame


def _with_beds(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return frame[numeric(frame, "beds") > 0]


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


def _health_beds(base: Baseline, edits: Edits, id_fields: Mapping[str, str]) -> gpd.GeoDataFrame:
    """2SFCA beds per 1,000 people: the kept facilities' catchments and ratios, plus the added
    facilities' (one bounded search each); beds located per unit as the seats of schools."""
    if base.beds is None or base.seat_membership is None:
        raise ValueError("health_beds_2sfca baseline without catchments")
    facilities = base.frames["health_facilities"]
    added = edits.added.get("health_facilities")
    if added is None:
        added = facilities.iloc[:0]
    added = _with_beds(_ensure(added.to_crs(facilities.crs), "beds"))
    removed = {k for k in edits.removed if k.startswith("health_facilities:")}
    update = update_catchments(
        base.graph,
        base.beds,
        base.origins.population,
        removed=removed,
        added_xy=point_xy(added, layer="infrastructure.health_facilities"),
        added_keys=list(_keys(added, "health_facilities", id_fields)),
        added_supply=numeric(added, "beds"),
        limit=float(base.params["catchment_m"]),
    )
    rows = base.rows.copy()
    weighted = base.membership @ (base.origins.population * update.access)
    pop = rows["population"].astype(float)
    rows["beds_per_1000"] = 1000.0 * weighted / pop.where(pop > 0).to_numpy()
    kept = ~np.isin(_keys(facilities, "health_facilities", id_fields), list(removed))
    beds = base.seat_membership @ np.where(kept, numeric(facilities, "beds"), 0.0)
    if len(added):
        beds = beds + membership(base.rows, added, base.units, grid=False) @ numeric(added, "beds")
    not_grid = (rows["level"] != "grid").to_numpy()
    rows.loc[not_grid, "beds_in_unit"] = beds[not_grid]
    return rows


def _walkability(base: Baseline, served: Mapping[str, np.ndarray]) -> gpd.GeoDataFrame:
    """The daily-living score after the edits; the neighbourhood densities are the baseline's."""
    if base.density_z is None:
        raise ValueError("walkability baseline without densities")
    daily = sum(served[k].astype(float) for k in ("food", "convenience", "transit"))
    index = base.density_z + zscore(np.asarray(daily))
    pop = base.origins.population
    rows = base.rows.copy()
    p = rows["population"].astype(float)
    p = p.where(p > 0).to_numpy()
    rows["walkability"] = base.membership @ (pop * index) / p
    rows["daily_living"] = base.membership @ (pop * daily) / p
    return rows


def _open_space_share(base: AreaBaseline, edits: Edits, id_fields: Mapping[str, str]) -> gpd.GeoDataFrame:
    """SDG 11.7.1 (a) after the edits: only the tiles the old or new polygons meet are measured."""
    crs = base.units.crs
    wanted = {"green_spaces": ("public", "type"), "land_use": ("code",), "roads": ("road_class",)}
    added_frames = {
        layer: _ensure(frame.to_crs(crs), *wanted[layer])
        for layer, frame in edits.added.items()
        if layer in wanted
    }
    added = _open_space_keyed(added_frames, base.open_codes, id_fields)
    update = update_areas(base.tiles, removed=edits.removed, added=added)
    return open_space_share_rows(base.units, update.areas, base.method)


def evaluate(base: IncrementalBaseline, edits: Edits, id_fields: Mapping[str, str]) -> gpd.GeoDataFrame:
    """The indicator's result rows after ``edits`` (same columns and row order as the baseline)."""
    if isinstance(base, AreaBaseline):
        return _open_space_share(base, edits, id_fields)
    if isinstance(base, ZoneBaseline):
        return _land_use_mix(base, edits, id_fields)
    return _network(base, edits, id_fields)


def _network(base: Baseline, edits: Edits, id_fields: Mapping[str, str]) -> gpd.GeoDataFrame:
    """The indicators answered on the walking network (nearest destinations, catchments)."""
    if base.indicator_id == "health_beds_2sfca":
        return _health_beds(base, edits, id_fields)
    served = _served(base, edits, id_fields)
    if base.indicator_id == "walkability":
        return _walkability(base, served)
    if base.indicator_id == "transit_access":
        return _share(base, served["low"] | served["high"])
    if base.indicator_id == "education_access":
        return _education(base, served, edits, id_fields)
    (only,) = served.values()
    return _share(base, only)
