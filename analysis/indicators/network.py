"""A walking network from street centre lines, and shortest walking distances on it.

Pure: shapely, numpy and :mod:`scipy.sparse.csgraph`; no database.

**Construction** (``build_network``). Where the streets come from OpenStreetMap (every
``road_id`` is ``osm:w…``), streets meet where OSM says they do: at the nodes two ways share (the
ways are split at every vertex they share with another way, and at their ends). A bridge or tunnel
crossing a street without a shared node stays grade-separated, as in osmnx and the GHSCI software.
Lines drawn without topology (other sources, the synthetic demo streets) are *noded* instead
(``unary_union`` splits every line where it crosses or touches another and removes overlapping
duplicates). Either way every end of an input line stays a node, as in momepy's primal graph
(``momepy.gdf_to_nx``): two ways meeting end to end leave a node of degree 2. Intersection counts use
nodes of degree ≥ 3 only; meshedness and gamma count every node and edge, as momepy does. Motorways
and trunk roads (``walkable = false``) are left out.

**Intersections** (``consolidated_intersections``). Nodes of degree ≥ 3 are buffered by the
tolerance (12 m by default, the GHSCI value) and overlapping buffers are one intersection — nodes
closer than twice the tolerance merge, exactly as ``osmnx.consolidate_intersections(tolerance=12,
rebuild_graph=False)``, so a dual carriageway or a small roundabout counts once.

**Agreement with osmnx and momepy** (``tests/analysis/test_network_reference.py``, computed in the
test with both libraries on the bundled files). *Las Palmas de Gran Canaria* (OSM extract
2023-02-21, whole file): osmnx's walking network (``graph_from_xml`` on the ways its ``walk`` filter
keeps) has 8,234 consolidated 3+-way intersections (tolerance 12 m); dothi's walking network from
the same file through the OSM loader has 8,354 (+1.5 %). Before this method dothi found 11,601
(1.41×). Measured one change at a time: reading the tolerance as osmnx does (a buffer radius, so
nodes up to 24 m apart merge, where dothi merged up to 12 m) brings 11,601 to 8,372; joining
streets only at shared nodes instead of at every crossing brings it to 8,354 (few, because the
motorways, where most bridges are, are not walkable anyway). What remains: the 171 ways cut by the
extract's edge (GDAL keeps the part inside, osmnx refuses ways with missing nodes: +~190
intersections) and which ways are walkable (dothi leaves out trunk roads — 170 ways, osmnx keeps
them — and ``access=no``; it keeps cycleways — 56, osmnx leaves them out — and ``access=private``
or ``service=private`` ways: −~90). With osmnx's own set of ways and without the cut ways dothi
finds 8,251 (+0.2 %). *Bubeneč* (momepy's test
streets): 29 nodes and 35 edges, meshedness and gamma equal to momepy's (``momepy.gdf_to_nx``,
``momepy.meshedness``/``gamma`` over the whole graph).

**Distances** (``nearest_distances``). Origins (population points) and destinations (stops,
schools, park entrances) are snapped to the nearest point of the nearest edge and the edge is split
there, so walking along it from the snapped point is exact. The straight-line snap distance is added
at both ends (origin → street, street → destination). Distances to the nearest destination of a type
are one **multi-source** Dijkstra pass from all destinations at once
(``scipy.sparse.csgraph.dijkstra(indices=sources, min_only=True, limit=…)``), bounded by the largest
threshold — not one search per origin. The network is undirected (pedestrians ignore one-way rules).

**Why in memory with SciPy, not pgRouting.** A city's walking network (10⁴–10⁵ edges) fits in a
few MB. Measured (``bench/RESULTS.md``): building the network takes 0.5–0.8 s for 9,660 edges (a
Mỹ Tho-sized city) and 2.5–15 s for 97,240 edges (ten times larger, depending on machine load);
snapping 20,000 origins, splitting the edges and one multi-source pass take 0.7–5 s.
pgRouting's ``pgr_dijkstraCost`` many-to-many returns one row per origin–destination pair
(10⁴ origins × 10² destinations = 10⁶ rows to ship back and reduce to a minimum), and multi-start
``pgr_drivingDistance`` returns rows per start as well; the SQL pushdown that pays off here is
reading the layers, not the graph search. (pgRouting was not benchmarked side by side.)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import shapely
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra
from scipy.spatial import cKDTree

#: Coordinates closer than this (m) are the same node.
NODE_PRECISION_M = 0.001
#: Every edge weighs this much more than its length (sparse graphs cannot hold explicit zeros);
#: distances are rounded to :data:`DISTANCE_DECIMALS` so that 500 m stays exactly 500 m.
EDGE_EPSILON_M = 1e-9
DISTANCE_DECIMALS = 4
#: How streets meet: see :func:`build_network`.
TOPOLOGIES = ("crossings", "shared_nodes")


@dataclass(frozen=True)
class Network:
    """An undirected walking network in a metric CRS.

    ``edges[k]`` is a LineString from ``nodes[u[k]]`` to ``nodes[v[k]]`` of length ``length[k]``.
    """

    nodes: np.ndarray  # (n, 2) float
    u: np.ndarray
    v: np.ndarray
    length: np.ndarray
    edges: np.ndarray  # object array of LineStrings

    @property
    def degree(self) -> np.ndarray:
        """Number of edge ends at each node (a self-loop counts twice)."""
        return np.bincount(np.concatenate([self.u, self.v]), minlength=len(self.nodes))

    @property
    def total_length(self) -> float:
        return float(self.length.sum())


def build_network(lines: np.ndarray | list[shapely.Geometry], *, topology: str = "crossings") -> Network:
    """Node the lines, split them at their nodes, index the nodes.

    Parameters
    ----------
    lines:
        (Multi)LineStrings in a metric CRS (walkable streets only).
    topology:
        ``"crossings"``: streets meet wherever their lines cross or touch (for data drawn without
        topology).  ``"shared_nodes"``: streets meet only where they share a vertex — OpenStreetMap
        ways that share a node; a bridge or tunnel crossing a street without a shared node stays
        grade-separated, as in OSM, osmnx and the GHSCI software.

    Every end of an input line stays a node (as in momepy's primal graph), so two ways meeting end
    to end give a node of degree 2; intersection counts only use nodes of degree ≥ 3.

    Examples
    --------
    A cross of two streets drawn as two long lines gives one 4-way node and four dead ends:

    >>> from shapely.geometry import LineString
    >>> net = build_network([LineString([(-100, 0), (100, 0)]), LineString([(0, -100), (0, 100)])])
    >>> sorted(net.degree.tolist()), net.total_length
    ([1, 1, 1, 1, 4], 400.0)

    The same cross as a bridge over a street (no shared vertex) is two separate streets:

    >>> net = build_network(
    ...     [LineString([(-100, 0), (100, 0)]), LineString([(0, -100), (0, 100)])], topology="shared_nodes"
    ... )
    >>> sorted(net.degree.tolist())
    [1, 1, 1, 1]
    """
    if topology not in TOPOLOGIES:
        raise ValueError(f"topology must be one of {', '.join(TOPOLOGIES)}, not {topology!r}")
    parts = shapely.get_parts(np.asarray(lines, dtype=object))
    parts = parts[~shapely.is_empty(parts)]
    if len(parts) == 0:
        raise ValueError("no walkable street lines to build a network from")
    if topology == "crossings":
        parts = shapely.get_parts(shapely.unary_union(parts))
    pieces = _split_at_shared_vertices(parts)
    starts = shapely.get_coordinates(shapely.get_point(pieces, 0))
    ends = shapely.get_coordinates(shapely.get_point(pieces, -1))
    keys = np.round(np.vstack([starts, ends]) / NODE_PRECISION_M).astype(np.int64)
    uniq, inverse = np.unique(keys, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    n = len(pieces)
    return Network(
        nodes=uniq.astype(float) * NODE_PRECISION_M,
        u=inverse[:n],
        v=inverse[n:],
        length=shapely.length(pieces),
        edges=pieces,
    )


def _split_at_shared_vertices(parts: np.ndarray) -> np.ndarray:
    """Split LineStrings at their ends and at every vertex another line (or the line itself) shares.

    Vertices are the same when they agree to :data:`NODE_PRECISION_M`.  Pieces drawn twice (two
    ways over the same nodes) are kept once; pieces of zero length are dropped.
    """
    parts = _once(parts)
    coords, part = shapely.get_coordinates(parts, return_index=True)
    keys = np.round(coords / NODE_PRECISION_M).astype(np.int64)
    _, key_id, key_count = np.unique(keys, axis=0, return_inverse=True, return_counts=True)
    key_id = key_id.reshape(-1)
    first = np.r_[True, part[1:] != part[:-1]]
    last = np.r_[part[1:] != part[:-1], True]
    is_node = first | last | (key_count[key_id] > 1)
    node_at = np.flatnonzero(is_node)
    # consecutive nodes of the same line bound one piece
    same = part[node_at[1:]] == part[node_at[:-1]]
    start, end = node_at[:-1][same], node_at[1:][same]
    sizes = end - start + 1
    piece_of = np.repeat(np.arange(len(start)), sizes)
    offset = np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    pieces = shapely.linestrings(coords[np.repeat(start, sizes) + offset], indices=piece_of)
    return _once(pieces[shapely.length(pieces) > 0])


def _once(lines: np.ndarray) -> np.ndarray:
    """The lines without repeats (the same vertices, in either direction)."""
    canonical = shapely.to_wkb(shapely.normalize(shapely.set_precision(lines, NODE_PRECISION_M)))
    _, keep = np.unique(canonical, return_index=True)
    return lines[np.sort(keep)]


@dataclass(frozen=True)
class Snap:
    """Where points meet the network: edge, distance along it from its start, straight-line gap."""

    edge: np.ndarray
    along: np.ndarray
    gap: np.ndarray


def snap(net: Network, xy: np.ndarray) -> Snap:
    """Snap points (``(n, 2)`` metric coordinates) to the nearest point of the nearest edge."""
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    if len(xy) == 0:
        empty = np.zeros(0)
        return Snap(empty.astype(int), empty, empty)
    points = shapely.points(xy)
    tree = shapely.STRtree(net.edges)
    (src, edge), gap = tree.query_nearest(points, return_distance=True, all_matches=False)
    order = np.argsort(src)
    edge, gap = edge[order], gap[order]
    along = shapely.line_locate_point(net.edges[edge], points)
    return Snap(edge=edge.astype(int), along=along, gap=gap)


@dataclass(frozen=True)
class AccessGraph:
    """The network split at snapped origins and destinations, as a sparse matrix."""

    matrix: csr_matrix
    origin_node: np.ndarray
    origin_gap: np.ndarray
    sources: dict[str, np.ndarray]


def _split_edges(net: Network, snaps: list[Snap], first_new: int) -> tuple[np.ndarray, ...]:
    """Sub-edges (a, b, w) of every edge split at the snapped points; new node ids per snap."""
    edge_ids = np.arange(len(net.u))
    stop_edge = [edge_ids, edge_ids]
    stop_pos = [np.zeros(len(edge_ids)), net.length]
    stop_node = [net.u, net.v]
    new_ids = []
    next_id = first_new
    for s in snaps:
        ids = np.arange(next_id, next_id + len(s.edge))
        next_id += len(s.edge)
        new_ids.append(ids)
        stop_edge.append(s.edge)
        stop_pos.append(np.clip(s.along, 0.0, net.length[s.edge]))
        stop_node.append(ids)
    e, pos, node = (np.concatenate(x) for x in (stop_edge, stop_pos, stop_node))
    order = np.lexsort((pos, e))
    e, pos, node = e[order], pos[order], node[order]
    same = e[1:] == e[:-1]
    a, b, w = node[:-1][same], node[1:][same], np.diff(pos)[same]
    return a, b, w, *new_ids


def _matrix(a: np.ndarray, b: np.ndarray, w: np.ndarray, size: int) -> csr_matrix:
    """Undirected sparse graph keeping the shortest of parallel edges (COO would sum them)."""
    keep = a != b
    lo, hi, w = np.minimum(a, b)[keep], np.maximum(a, b)[keep], w[keep] + EDGE_EPSILON_M
    order = np.lexsort((w, hi, lo))
    lo, hi, w = lo[order], hi[order], w[order]
    first = np.ones(len(lo), dtype=bool)
    first[1:] = (lo[1:] != lo[:-1]) | (hi[1:] != hi[:-1])
    lo, hi, w = lo[first], hi[first], w[first]
    return coo_matrix((w, (lo, hi)), shape=(size, size)).tocsr()


def access_graph(net: Network, origins: np.ndarray, destinations: Mapping[str, np.ndarray]) -> AccessGraph:
    """Split the network at the origins and at every destination set; destinations get spur edges.

    A destination is a node joined to its snapped point by a spur edge of the straight-line gap, so
    the gap counts in every distance from it.
    """
    names = list(destinations)
    snaps = [snap(net, origins), *(snap(net, destinations[k]) for k in names)]
    first_new = len(net.nodes)
    a, b, w, *new_ids = _split_edges(net, snaps, first_new)
    size = first_new + sum(len(s.edge) for s in snaps)
    spur_a, spur_b, spur_w, sources = [a], [b], [w], {}
    for name, s, ids in zip(names, snaps[1:], new_ids[1:], strict=True):
        spur = np.arange(size, size + len(ids))
        size += len(ids)
        spur_a.append(ids)
        spur_b.append(spur)
        spur_w.append(s.gap)
        sources[name] = spur
    matrix = _matrix(np.concatenate(spur_a), np.concatenate(spur_b), np.concatenate(spur_w), size)
    return AccessGraph(matrix, new_ids[0], snaps[0].gap, sources)


def nearest_distances(
    net: Network,
    origins: np.ndarray,
    destinations: Mapping[str, np.ndarray],
    *,
    limit: float = np.inf,
) -> dict[str, np.ndarray]:
    """Walking distance from every origin to the nearest destination of each set.

    One multi-source Dijkstra pass per destination set.  Distances above ``limit`` (and origins
    that cannot reach any destination) are ``inf``.

    Examples
    --------
    >>> from shapely.geometry import LineString
    >>> net = build_network([LineString([(0, 0), (1000, 0)])])
    >>> d = nearest_distances(net, np.array([[100.0, 30.0]]), {"stop": np.array([[600.0, -40.0]])})
    >>> round(float(d["stop"][0]), 6)  # 30 to the street, 500 along it, 40 to the stop
    570.0
    """
    graph = access_graph(net, origins, destinations)
    out = {}
    for name, sources in graph.sources.items():
        if len(sources) == 0:
            out[name] = np.full(len(graph.origin_node), np.inf)
            continue
        dist = dijkstra(graph.matrix, directed=False, indices=sources, min_only=True, limit=limit + 1e-3)
        total = np.round(dist[graph.origin_node] + graph.origin_gap, DISTANCE_DECIMALS)
        out[name] = np.where(total <= limit, total, np.inf)
    return out


def distances_from_each(
    net: Network, origins: np.ndarray, facilities: np.ndarray, *, limit: float, chunk: int = 32
) -> np.ndarray:
    """``(n_facilities, n_origins)`` walking distances within ``limit`` (``inf`` beyond).

    Used by floating-catchment methods, which need each facility's catchment.  Searches are bounded
    by ``limit`` and run ``chunk`` facilities at a time to bound memory.
    """
    graph = access_graph(net, origins, {"f": facilities})
    sources = graph.sources["f"]
    out = np.full((len(sources), len(graph.origin_node)), np.inf)
    for start in range(0, len(sources), chunk):
        block = dijkstra(
            graph.matrix, directed=False, indices=sources[start : start + chunk], limit=limit + 1e-3
        )
        block = np.round(block[:, graph.origin_node] + graph.origin_gap, DISTANCE_DECIMALS)
        out[start : start + chunk] = np.where(block <= limit, block, np.inf)
    return out


def consolidated_intersections(net: Network, *, tolerance_m: float = 12.0) -> np.ndarray:
    """Centres (``(k, 2)``) of intersections of 3+ streets, nodes close together merged.

    The tolerance is a buffer radius, as in OSMnx's ``consolidate_intersections`` (and the GHSCI
    software, which calls it with 12 m): each node of degree ≥ 3 is buffered by ``tolerance_m`` and
    overlapping buffers are one intersection — nodes closer than ``2 × tolerance_m`` (single
    linkage), placed at their mean position. A dual carriageway meeting a street counts once.

    Examples
    --------
    >>> from shapely.geometry import LineString
    >>> lines = [LineString([(-100, 0), (100, 0)]), LineString([(0, -100), (0, 0)]),
    ...          LineString([(20, 0), (20, 100)]), LineString([(500, -50), (500, 50)])]
    >>> len(consolidated_intersections(build_network(lines)))  # two T-junctions 20 m apart → one
    1
    """
    xy = net.nodes[net.degree >= 3]
    if len(xy) == 0:
        return np.zeros((0, 2))
    pairs = cKDTree(xy).query_pairs(r=2 * tolerance_m, output_type="ndarray")
    adjacency = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(len(xy), len(xy)))
    count, labels = connected_components(adjacency, directed=False)
    sums = np.zeros((count, 2))
    np.add.at(sums, labels, xy)
    return sums / np.bincount(labels, minlength=count)[:, None]


def meshedness_gamma(nodes: int, edges: int) -> tuple[float, float]:
    """Meshedness ``(e − v + 1) / (2v − 5)`` and gamma ``e / (3(v − 2))`` of a planar graph.

    Examples
    --------
    >>> meshedness_gamma(4, 4)  # a square: one face out of at most 3 → 1/3; 4 of at most 6 edges
    (0.3333333333333333, 0.6666666666666666)
    """
    if nodes < 3:
        return float("nan"), float("nan")
    return (edges - nodes + 1) / (2 * nodes - 5), edges / (3 * (nodes - 2))
