"""Incremental area overlays: re-answer per-unit areas after a few polygons change, tile by tile.

Pure: numpy, shapely, pandas; no database.

:func:`~analysis.indicators.overlay.areas_by_unit` sums, per reporting unit, the areas measured in
square tiles, each tile from the polygons meeting it only.  The baseline (:func:`tiled_areas`) keeps
every tile's contribution to every unit; an edit (a polygon removed, added or changed) changes only
the tiles its old or new polygon meets, so only those tiles are measured again
(:func:`update_areas`), with the edited layers, and the per-unit sums are re-added in the same tile
order as the full computation — the unaffected wards get exactly their baseline areas, the
affected ones exactly what a full recomputation gives (up to the union's vertex order in the
re-measured tiles).  Used by ``open_space_share`` (SDG 11.7.1 a) for green-space and land-use
edits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from analysis.indicators.overlay import (
    GRID_M,
    TILE_M,
    Overlay,
    overlay_layers,
    polygonal_all,
    tile_areas,
    tile_boxes,
    tile_unions,
    valid_parts,
)


@dataclass
class TiledAreas:
    """Baseline of :func:`areas_by_unit`: tiles, the units each meets, and their contributions.

    ``keys[layer]`` names the feature (``"layer:id"``) of every polygon of ``parts[layer]``
    (``None`` for layers that edits cannot reach, e.g. the built-up raster).
    """

    index: pd.Index
    unit_geoms: np.ndarray
    boxes: np.ndarray
    in_units: list[np.ndarray]
    parts: dict[str, np.ndarray]
    keys: dict[str, np.ndarray]
    outputs: Mapping[str, Overlay]
    contrib: list[dict[str, np.ndarray]]
    unions: list[dict[str, shapely.Geometry]]
    grid: float = GRID_M
    box_tree: shapely.STRtree = field(init=False)
    trees: dict[str, shapely.STRtree] = field(init=False)

    def __post_init__(self) -> None:
        self.box_tree = shapely.STRtree(self.boxes)
        self.trees = {name: shapely.STRtree(geoms) for name, geoms in self.parts.items()}


def _keyed(geoms: np.ndarray, keys: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    parts, keep = valid_parts(geoms)
    if keys is None:
        return parts, np.full(len(parts), None, dtype=object)
    return parts, np.asarray(keys, dtype=object)[keep]


def tiled_areas(
    units: gpd.GeoDataFrame,
    layers: Mapping[str, np.ndarray],
    keys: Mapping[str, np.ndarray | None],
    outputs: Mapping[str, Overlay],
    *,
    tile: float = TILE_M,
    grid: float = GRID_M,
) -> TiledAreas:
    """Every tile's areas per unit, as :func:`~analysis.indicators.overlay.areas_by_unit` measures."""
    unit_geoms = polygonal_all(shapely.make_valid(units.geometry.to_numpy()))
    parts, part_keys = {}, {}
    for name, geoms in layers.items():
        parts[name], part_keys[name] = _keyed(geoms, keys.get(name))
    trees = {name: shapely.STRtree(geoms) for name, geoms in parts.items()}
    unit_tree = shapely.STRtree(unit_geoms)
    boxes, in_units, contrib, unions = [], [], [], []
    for box in tile_boxes(units.total_bounds, size=tile) if len(units) else []:
        hit = unit_tree.query(box, predicate="intersects")
        if not len(hit):
            continue
        boxes.append(box)
        in_units.append(hit)
        unions.append(tile_unions(box, parts, trees, grid=grid))
        contrib.append(tile_areas(box, unit_geoms[hit], parts, trees, outputs, grid=grid, unions=unions[-1]))
    return TiledAreas(
        units.index,
        unit_geoms,
        np.asarray(boxes, dtype=object),
        in_units,
        parts,
        part_keys,
        outputs,
        contrib,
        unions,
        grid,
    )


def sums(state: TiledAreas, replaced: Mapping[int, dict[str, np.ndarray]] | None = None) -> pd.DataFrame:
    """Per-unit sums of the tiles' contributions (``replaced`` ones instead of the baseline's),
    added in tile order as :func:`~analysis.indicators.overlay.areas_by_unit` adds them."""
    replaced = replaced or {}
    out = {column: np.zeros(len(state.index)) for column in state.outputs}
    for t, hit in enumerate(state.in_units):
        areas = replaced.get(t, state.contrib[t])
        for column in state.outputs:
            out[column][hit] += areas[column]
    return pd.DataFrame(out, index=state.index)


@dataclass(frozen=True)
class AreaUpdate:
    """Per-unit areas after the edits and how many tiles were measured again."""

    areas: pd.DataFrame
    tiles: int


def update_areas(
    state: TiledAreas,
    *,
    removed: frozenset[str] | set[str],
    added: Mapping[str, tuple[np.ndarray, np.ndarray]],
) -> AreaUpdate:
    """Areas after removing the polygons whose key is in ``removed`` and adding ``added``
    (layer → (polygons, keys)); only the tiles that an old or new polygon meets are measured."""
    parts, trees = dict(state.parts), dict(state.trees)
    changed: list[np.ndarray] = []
    for name, geoms in state.parts.items():
        gone = np.isin(state.keys[name], list(removed)) if removed else np.zeros(len(geoms), dtype=bool)
        new, _ = _keyed(*added[name]) if name in added else (np.zeros(0, dtype=object), None)
        if not gone.any() and not len(new):
            continue
        changed += [geoms[gone], new]
        parts[name] = np.concatenate([geoms[~gone], new])
        trees[name] = shapely.STRtree(parts[name])
    if not changed:
        return AreaUpdate(sums(state), 0)
    edited = {name for name in parts if parts[name] is not state.parts[name]}
    outputs = {c: o for c, o in state.outputs.items() if overlay_layers(o) & edited}
    touched = np.unique(state.box_tree.query(np.concatenate(changed), predicate="intersects")[1])
    replaced = {}
    for t in touched:
        box = state.boxes[t]
        edited_parts = {name: parts[name] for name in edited}
        unions = {**state.unions[t], **tile_unions(box, edited_parts, trees, grid=state.grid)}
        areas = tile_areas(
            box, state.unit_geoms[state.in_units[t]], parts, trees, outputs, grid=state.grid, unions=unions
        )
        replaced[int(t)] = {**state.contrib[t], **areas}
    return AreaUpdate(sums(state, replaced), len(replaced))
