"""Incremental accessibility: re-answer "who is within reach" after a few destinations change.

Pure: numpy, scipy, shapely; no database.

The baseline is computed once (:func:`baseline_set`): the walking network split at the population
points (the *origin graph*), and for every destination set the distance from each origin to its
nearest destination **and which destination that is** (one multi-source pass, as the full
indicator does, with the sources it returns).  Then an edit costs only:

* **an added destination**: one shortest-path search from it, bounded by the set's distance
  threshold, on the origin graph; each origin keeps the smaller of its baseline distance and the
  new one;
* **a removed destination**: only the origins whose nearest destination it was are affected; they
  are re-served by the remaining destinations that can reach them — those within twice the
  threshold of the removed one (found by one bounded search from it), each searched to the threshold;
* a **changed** destination is a removal and an addition.

A destination is *anchored* on the origin graph between the two graph nodes bracketing its snapped
point on its street (``lo`` and ``hi``, with the walking distance to each plus the straight-line
gap to the street), so its distance to an origin is ``min(w_lo + d(lo, o), w_hi + d(hi, o))`` —
exactly the distance on the graph split at the destination, which is what the full indicator
builds (up to the ``EDGE_EPSILON_M`` of each extra sub-edge, far below the 0.1 mm rounding).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from analysis.indicators.network import (
    DISTANCE_DECIMALS,
    Network,
    _matrix,
    access_graph,
    snap,
)

#: Searches start this many metres beyond the limit so that rounding never cuts a path at it.
_SLACK_M = 1e-3
#: Destinations searched together (bounds the ``(chunk, n_nodes)`` distance block).
_CHUNK = 32


@dataclass(frozen=True)
class OriginGraph:
    """The walking network split at the origins, and where each edge was split.

    ``stop_edge``/``stop_pos``/``stop_node`` list every node on every edge (its two ends and the
    snapped origins), sorted by edge then position along it.
    """

    net: Network
    matrix: csr_matrix
    origin_node: np.ndarray
    origin_gap: np.ndarray
    stop_edge: np.ndarray
    stop_pos: np.ndarray
    stop_node: np.ndarray

    @property
    def n_origins(self) -> int:
        return len(self.origin_node)


def origin_graph(net: Network, origins_xy: np.ndarray) -> OriginGraph:
    """Split ``net`` at the origins (as :func:`~analysis.indicators.network.access_graph` does)."""
    s = snap(net, origins_xy)
    first = len(net.nodes)
    ids = np.arange(first, first + len(s.edge))
    edge_ids = np.arange(len(net.u))
    e = np.concatenate([edge_ids, edge_ids, s.edge])
    pos = np.concatenate([np.zeros(len(edge_ids)), net.length, np.clip(s.along, 0.0, net.length[s.edge])])
    node = np.concatenate([net.u, net.v, ids])
    order = np.lexsort((pos, e))
    e, pos, node = e[order], pos[order], node[order]
    same = e[1:] == e[:-1]
    matrix = _matrix(node[:-1][same], node[1:][same], np.diff(pos)[same], first + len(ids))
    return OriginGraph(net, matrix, ids, s.gap, e, pos, node)


@dataclass(frozen=True)
class Anchors:
    """Destinations attached to the origin graph: bracketing nodes and the distance to each."""

    lo: np.ndarray
    w_lo: np.ndarray
    hi: np.ndarray
    w_hi: np.ndarray

    def __len__(self) -> int:
        return len(self.lo)

    def take(self, index: np.ndarray) -> Anchors:
        return Anchors(self.lo[index], self.w_lo[index], self.hi[index], self.w_hi[index])


def anchor(graph: OriginGraph, xy: np.ndarray) -> Anchors:
    """Anchor destination points (``(k, 2)`` metric coordinates) on the origin graph."""
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    if len(xy) == 0:
        empty = np.zeros(0)
        return Anchors(empty.astype(int), empty, empty.astype(int), empty)
    s = snap(graph.net, xy)
    along = np.clip(s.along, 0.0, graph.net.length[s.edge])
    start = np.searchsorted(graph.stop_edge, s.edge, side="left")
    end = np.searchsorted(graph.stop_edge, s.edge, side="right")
    lo, hi = np.empty(len(xy), dtype=int), np.empty(len(xy), dtype=int)
    for i in range(len(xy)):
        k = start[i] + np.searchsorted(graph.stop_pos[start[i] : end[i]], along[i], side="right") - 1
        lo[i], hi[i] = k, min(k + 1, end[i] - 1)
    w_lo = s.gap + (along - graph.stop_pos[lo])
    w_hi = s.gap + (graph.stop_pos[hi] - along)
    return Anchors(graph.stop_node[lo], w_lo, graph.stop_node[hi], w_hi)


def distances_from(
    graph: OriginGraph, anchors: Anchors, *, limit: float, origins: np.ndarray | None = None
) -> np.ndarray:
    """``(k, n)`` walking distances from each anchored destination to the origins (``inf`` beyond
    ``limit``); ``origins`` selects some origins (positions), default all."""
    pick = np.arange(graph.n_origins) if origins is None else np.asarray(origins, dtype=int)
    out = np.full((len(anchors), len(pick)), np.inf)
    nodes, gaps = graph.origin_node[pick], graph.origin_gap[pick]
    for start in range(0, len(anchors), _CHUNK):
        part = anchors.take(np.arange(start, min(start + _CHUNK, len(anchors))))
        sources, inverse = np.unique(np.concatenate([part.lo, part.hi]), return_inverse=True)
        block = dijkstra(graph.matrix, directed=False, indices=sources, limit=limit + _SLACK_M)[:, nodes]
        n = len(part)
        via_lo = part.w_lo[:, None] + block[inverse[:n]]
        via_hi = part.w_hi[:, None] + block[inverse[n:]]
        total = np.round(np.minimum(via_lo, via_hi) + gaps, DISTANCE_DECIMALS)
        out[start : start + n] = np.where(total <= limit, total, np.inf)
    return out


@dataclass(frozen=True)
class SetState:
    """One destination set at baseline: its points (each with the key of its feature), their
    anchors, and per origin the nearest point's distance (``inf`` beyond ``limit``) and index."""

    name: str
    limit: float
    keys: np.ndarray
    anchors: Anchors
    dist: np.ndarray
    nearest: np.ndarray

    def nearest_keys(self) -> np.ndarray:
        out = np.full(len(self.nearest), None, dtype=object)
        ok = self.nearest >= 0
        out[ok] = self.keys[self.nearest[ok]]
        return out


def baseline_set(
    net: Network,
    graph: OriginGraph,
    origins_xy: np.ndarray,
    xy: np.ndarray,
    keys: Sequence[str],
    *,
    name: str,
    limit: float,
) -> SetState:
    """Nearest-destination distances and identities by one multi-source pass (the full method)."""
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    keys_arr = np.asarray(list(keys), dtype=object)
    n = graph.n_origins
    if len(xy) == 0:
        return SetState(name, limit, keys_arr, anchor(graph, xy), np.full(n, np.inf), np.full(n, -1))
    full = access_graph(net, origins_xy, {name: xy})
    spurs = full.sources[name]
    dist, _, source = dijkstra(
        full.matrix,
        directed=False,
        indices=spurs,
        min_only=True,
        limit=limit + _SLACK_M,
        return_predecessors=True,
    )
    total = np.round(dist[full.origin_node] + full.origin_gap, DISTANCE_DECIMALS)
    within = total <= limit
    src = source[full.origin_node]
    nearest = np.where(within & (src >= 0), np.searchsorted(spurs, np.maximum(src, spurs[0])), -1)
    return SetState(name, limit, keys_arr, anchor(graph, xy), np.where(within, total, np.inf), nearest)


@dataclass(frozen=True)
class SetUpdate:
    """A destination set after edits: per origin distance and nearest key; what was searched."""

    dist: np.ndarray
    nearest: np.ndarray
    affected: int
    searched: int


def _reserve(
    graph: OriginGraph, state: SetState, gone: np.ndarray, affected: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Best remaining destination (distance, key) for the affected origins."""
    dist = np.full(len(affected), np.inf)
    keys = np.full(len(affected), None, dtype=object)
    removed = state.anchors.take(np.flatnonzero(gone))
    seeds = np.unique(np.concatenate([removed.lo, removed.hi]))
    reach = dijkstra(
        graph.matrix, directed=False, indices=seeds, min_only=True, limit=2 * state.limit + _SLACK_M
    )
    near = ~gone & (
        (reach[state.anchors.lo] <= 2 * state.limit) | (reach[state.anchors.hi] <= 2 * state.limit)
    )
    candidates = np.flatnonzero(near)
    if len(candidates):
        d = distances_from(graph, state.anchors.take(candidates), limit=state.limit, origins=affected)
        best = np.argmin(d, axis=0)
        dist = d[best, np.arange(len(affected))]
        keys = state.keys[candidates[best]].copy()
        keys[~np.isfinite(dist)] = None
    return dist, keys


def update_set(
    graph: OriginGraph, state: SetState, *, removed: set[str], added_xy: np.ndarray, added_keys: Sequence[str]
) -> SetUpdate:
    """The set after removing every point whose key is in ``removed`` and adding ``added_xy``."""
    dist, nearest = state.dist.copy(), state.nearest_keys()
    gone = np.isin(state.keys, list(removed)) if removed else np.zeros(len(state.keys), dtype=bool)
    affected = (
        np.flatnonzero(np.isin(nearest, list(removed)) & np.isfinite(dist))
        if gone.any()
        else np.zeros(0, int)
    )
    if len(affected):
        dist[affected], nearest[affected] = _reserve(graph, state, gone, affected)
    added_xy = np.asarray(added_xy, dtype=float).reshape(-1, 2)
    if len(added_xy):
        d = distances_from(graph, anchor(graph, added_xy), limit=state.limit)
        best = np.argmin(d, axis=0)
        new = d[best, np.arange(graph.n_origins)]
        better = new < dist
        dist[better] = new[better]
        nearest[better] = np.asarray(list(added_keys), dtype=object)[best[better]]
    return SetUpdate(dist, nearest, len(affected), int(gone.sum()) + len(added_xy))
