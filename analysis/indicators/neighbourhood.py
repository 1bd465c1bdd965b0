"""Network neighbourhoods: what lies along the streets reachable within a walking distance.

Pure: shapely, numpy and :mod:`scipy.sparse.csgraph`; no database.

The GHSCI method measures local densities in each sample point's *walkable neighbourhood*: the
streets reachable within 1 km along the network, buffered by 50 m (a "sausage" buffer), not a
straight-line circle.  A river with one bridge shows the difference: the far bank is inside the
circle but, unless the bridge is near, not inside the network neighbourhood.

Computed for every origin without drawing one buffer per origin:

1. **Street catchments** (``buffer_area_by_edge``, ``weights_by_edge``). The area within
   ``buffer_m`` of the network is sampled on a ``cell_m`` grid and each sample goes to its nearest
   street edge; so does each population point (spread over its own cell, ``spread_m``, so that a
   100 m population cell that only partly lies in the buffer counts in part, as the GHSCI's
   area-weighted overlay of the population grid does).  Each edge thus carries the buffer area and
   population closest to it, and the shares of neighbouring edges do not overlap (together they
   are the sausage buffer of the whole network).
2. **Reach** (``neighbourhood_sums``). Each origin is snapped onto its nearest edge; bounded
   Dijkstra searches from the ends of the origins' edges give the walking distance from each
   origin to every node within the radius.  An edge counts with the share of its length that is
   within the radius from either end (all of it when both ends are near; partly at the rim; the
   origin's own edge from the origin both ways), and the origin's neighbourhood sums are those
   shares times what each edge carries.  A consolidated intersection is placed on its nearest node
   and counts when that node is within the radius.

Density = neighbourhood sum / neighbourhood buffer area.  The sampling step (``cell_m``, 10 m)
bounds the area error at a few per cent for a whole neighbourhood.
"""

from __future__ import annotations

import numpy as np
import shapely
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from analysis.indicators.network import Network, _matrix

#: Samples per chunk of the area grid (bounds memory).
_CHUNK_SAMPLES = 400_000


def _nearest_edge(net: Network, xy: np.ndarray, *, max_distance: float) -> tuple[np.ndarray, np.ndarray]:
    """(index of the point, nearest edge) for the points within ``max_distance`` of a street."""
    if len(xy) == 0:
        return np.zeros(0, dtype=int), np.zeros(0, dtype=int)
    tree = shapely.STRtree(net.edges)
    src, edge = tree.query_nearest(shapely.points(xy), max_distance=max_distance, all_matches=False)
    return src.astype(int), edge.astype(int)


def buffer_area_by_edge(net: Network, *, buffer_m: float, cell_m: float = 10.0) -> np.ndarray:
    """Area (m²) within ``buffer_m`` of the network, given to the nearest edge.

    Examples
    --------
    >>> from shapely.geometry import LineString
    >>> from analysis.indicators.network import build_network
    >>> net = build_network([LineString([(0, 0), (1000, 0)])])
    >>> round(float(buffer_area_by_edge(net, buffer_m=50, cell_m=5).sum()) / (1000 * 100 + np.pi * 2500), 2)
    1.0
    """
    lo = net.nodes.min(axis=0) - buffer_m
    hi = net.nodes.max(axis=0) + buffer_m
    bounds = shapely.bounds(net.edges)
    lo = np.minimum(lo, bounds[:, :2].min(axis=0) - buffer_m)
    hi = np.maximum(hi, bounds[:, 2:].max(axis=0) + buffer_m)
    xs = np.arange(lo[0] + cell_m / 2, hi[0], cell_m)
    ys = np.arange(lo[1] + cell_m / 2, hi[1], cell_m)
    area = np.zeros(len(net.edges))
    rows = max(1, _CHUNK_SAMPLES // max(len(xs), 1))
    for start in range(0, len(ys), rows):
        gx, gy = np.meshgrid(xs, ys[start : start + rows])
        _, edge = _nearest_edge(net, np.column_stack([gx.ravel(), gy.ravel()]), max_distance=buffer_m)
        area += np.bincount(edge, minlength=len(net.edges)) * cell_m**2
    return area


def weights_by_edge(
    net: Network,
    xy: np.ndarray,
    weights: np.ndarray,
    *,
    buffer_m: float,
    spread_m: float = 0.0,
    cell_m: float = 10.0,
) -> np.ndarray:
    """Σ ``weights`` of the points within ``buffer_m`` of the network, per nearest edge.

    With ``spread_m`` > 0 each point stands for a ``spread_m`` square cell: its weight is spread
    over samples every ``cell_m`` in the cell, and only the samples within the buffer count.
    """
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    weights = np.asarray(weights, dtype=float)
    k = max(1, round(spread_m / cell_m)) if spread_m > 0 else 1
    if k > 1:
        step = (np.arange(k) + 0.5) * (spread_m / k) - spread_m / 2
        ox, oy = np.meshgrid(step, step)
        offsets = np.column_stack([ox.ravel(), oy.ravel()])
        xy = (xy[:, None, :] + offsets[None, :, :]).reshape(-1, 2)
        weights = np.repeat(weights / k**2, k**2)
    src, edge = _nearest_edge(net, xy, max_distance=buffer_m)
    return np.bincount(edge, weights=weights[src], minlength=len(net.edges))


def neighbourhood_sums(
    net: Network,
    xy: np.ndarray,
    values: np.ndarray,
    *,
    radius_m: float,
    node_values: np.ndarray | None = None,
    chunk: int | None = None,
) -> np.ndarray:
    """``(n_origins, m)``: Σ over the edges reachable within ``radius_m`` of ``values`` (``(n_edges, m)``)
    plus Σ over the nodes within ``radius_m`` of ``node_values`` (``(n_nodes, m)``, optional).

    An edge counts with the share of its length within the radius (see the module docstring); a node
    counts whole when it is within the radius.

    Examples
    --------
    A 2 km street carrying 2,000 units spread evenly: 1 km either way of its middle reaches all of
    it, from one end only half.

    >>> from shapely.geometry import LineString
    >>> from analysis.indicators.network import build_network
    >>> net = build_network([LineString([(0, 0), (2000, 0)])])
    >>> neighbourhood_sums(net, np.array([[1000.0, 5.0], [0.0, 0.0]]), np.array([[2000.0]]), radius_m=1000)
    array([[2000.],
           [1000.]])
    """
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    values = np.asarray(values, dtype=float).reshape(len(net.edges), -1)
    if node_values is not None:
        node_values = np.asarray(node_values, dtype=float).reshape(len(net.nodes), values.shape[1])
    out = np.zeros((len(xy), values.shape[1]))
    if len(xy) == 0:
        return out
    tree = shapely.STRtree(net.edges)
    points = shapely.points(xy)
    src, own = tree.query_nearest(points, all_matches=False)
    own = own[np.argsort(src)].astype(int)
    along = shapely.line_locate_point(net.edges[own], points)
    length = net.length
    graph = _matrix(net.u, net.v, length, len(net.nodes))
    chunk = chunk or max(1, min(256, 4_000_000 // max(len(net.edges), 1)))  # bounds memory
    order = np.argsort(own, kind="stable")  # origins on nearby edges share their searches
    for start in range(0, len(order), chunk):
        idx = order[start : start + chunk]
        e = own[idx]
        ends, inverse = np.unique(np.concatenate([net.u[e], net.v[e]]), return_inverse=True)
        dist = dijkstra(graph, directed=False, indices=ends, limit=radius_m + 1e-6)
        from_u, from_v = dist[inverse[: len(idx)]], dist[inverse[len(idx) :]]
        a = along[idx][:, None]
        to_node = np.minimum(a + from_u, (length[e][:, None] - a) + from_v)  # (k, n_nodes)
        left = np.maximum(radius_m - to_node, 0.0)
        reach = np.minimum(left[:, net.u] + left[:, net.v], length[None, :])
        rows = np.arange(len(idx))
        a1 = along[idx]
        own_reach = np.minimum(length[e], a1 + radius_m) - np.maximum(0.0, a1 - radius_m)
        reach[rows, e] = np.maximum(reach[rows, e], own_reach)
        share = np.divide(reach, length[None, :], out=np.zeros_like(reach), where=length[None, :] > 0)
        out[idx] = share @ values
        if node_values is not None:
            out[idx] += (to_node <= radius_m + 1e-6) @ node_values
    return out


def spacing(xy: np.ndarray) -> float:
    """Typical distance between neighbouring points (median nearest-neighbour distance), 0 for < 2.

    Examples
    --------
    >>> spacing(np.array([[0.0, 0.0], [100.0, 0.0], [0.0, 100.0], [100.0, 100.0]]))
    100.0
    """
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    if len(xy) < 2:
        return 0.0
    dist, _ = cKDTree(xy).query(xy, k=2)
    return float(np.median(dist[:, 1]))


def counts_by_node(net: Network, xy: np.ndarray) -> np.ndarray:
    """How many of the points (e.g. intersection centres) have each node as their nearest node."""
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    if len(xy) == 0:
        return np.zeros(len(net.nodes))
    _, nearest = cKDTree(net.nodes).query(xy)
    return np.bincount(nearest, minlength=len(net.nodes)).astype(float)
