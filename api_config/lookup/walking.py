"""Walking distances from any point to the nearest school, clinic, market, stop and park.

Built once per API worker (and again when a source table changes, see :func:`data_version`): the
walkable streets become :func:`analysis.indicators.network.build_network`'s network, every destination
set is joined to it (:func:`analysis.indicators.network.access_graph`) and one multi-source Dijkstra
pass per set gives each street node its distance to the nearest destination and which one it is.
A look-up then snaps the point to the nearest street (an STR-tree query) and adds the distance along
the street to either end node; destinations on the same street piece are checked directly.  The
graph search is done once instead of per click — a look-up costs microseconds, not a Dijkstra.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from psycopg2 import sql
from pyproj import Transformer
from scipy.sparse.csgraph import dijkstra

from analysis.indicators.network import Network, access_graph, build_network, snap
from gis.crs import DEFAULT_ANALYSIS_SRID, STORAGE_SRID
from gis.sqlfiles import load_sql
from layers.catalog import LAYERS

#: Destination kinds: (layer, SQL file).  Parks are the outline points of public green spaces.
DESTINATIONS: dict[str, tuple[str, str]] = {
    "school": ("schools", "walk_points"),
    "clinic": ("health_facilities", "walk_points"),
    "market": ("markets", "walk_points"),
    "stop": ("transit_stops", "walk_points"),
    "park": ("green_spaces", "walk_parks"),
}
SOURCE_LAYERS = ("roads", *(layer for layer, _ in DESTINATIONS.values()))
PACKAGE = "api_config.lookup"


@dataclass(frozen=True)
class Destinations:
    """One destination set: names, synthetic flags, where each meets the street network."""

    names: list[str]
    synthetic: np.ndarray
    edge: np.ndarray
    along: np.ndarray
    gap: np.ndarray


@dataclass(frozen=True)
class Nearest:
    """The nearest destination of one kind: walking distance (m), its name, whether synthetic."""

    distance_m: float
    name: str
    synthetic: bool


class WalkIndex:
    """Node distances to the nearest destination of each kind on one walking network."""

    def __init__(
        self,
        net: Network,
        sets: dict[str, Destinations],
        node_dist: dict[str, np.ndarray],
        node_dest: dict[str, np.ndarray],
    ) -> None:
        self.net = net
        self.sets = sets
        self.node_dist = node_dist
        self.node_dest = node_dest
        self.tree = shapely.STRtree(net.edges)
        self.to_metric = Transformer.from_crs(STORAGE_SRID, DEFAULT_ANALYSIS_SRID, always_xy=True)

    @classmethod
    def build(
        cls, edges: list[Any], points: dict[str, tuple[list[str], np.ndarray, np.ndarray]]
    ) -> WalkIndex:
        """``edges``: metric LineStrings; ``points[kind]``: (names, (n, 2) metric xy, synthetic flags)."""
        net = build_network(edges)
        coords = {kind: xy for kind, (_, xy, _) in points.items()}
        graph = access_graph(net, np.zeros((0, 2)), coords)
        sets, node_dist, node_dest = {}, {}, {}
        n = len(net.nodes)
        for kind, (names, xy, synthetic) in points.items():
            s = snap(net, xy)
            sets[kind] = Destinations(names, synthetic, s.edge, s.along, s.gap)
            sources = graph.sources[kind]
            if len(sources) == 0:
                node_dist[kind] = np.full(n, np.inf)
                node_dest[kind] = np.full(n, -1)
                continue
            dist, _, nearest = dijkstra(
                graph.matrix, directed=False, indices=sources, min_only=True, return_predecessors=True
            )
            position = {int(node): i for i, node in enumerate(sources)}
            node_dist[kind] = dist[:n]
            node_dest[kind] = np.array([position.get(int(k), -1) for k in nearest[:n]])
        return cls(net, sets, node_dist, node_dest)

    def nearest(self, lon: float, lat: float) -> dict[str, Nearest | None]:
        """Walking distance from (lon, lat) to the nearest destination of each kind (None: none)."""
        x, y = self.to_metric.transform(lon, lat)
        point = shapely.Point(x, y)
        edge = int(self.tree.nearest(point))
        line = self.net.edges[edge]
        along = float(shapely.line_locate_point(line, point))
        gap = float(shapely.distance(line, point))
        length = float(self.net.length[edge])
        u, v = int(self.net.u[edge]), int(self.net.v[edge])
        out: dict[str, Nearest | None] = {}
        for kind, dests in self.sets.items():
            best, which = np.inf, -1
            for node, walk in ((u, along), (v, length - along)):
                d = walk + float(self.node_dist[kind][node])
                if d < best:
                    best, which = d, int(self.node_dest[kind][node])
            for i in np.flatnonzero(dests.edge == edge):
                d = abs(float(dests.along[i]) - along) + float(dests.gap[i])
                if d < best:
                    best, which = d, int(i)
            if which < 0 or not np.isfinite(best):
                out[kind] = None
                continue
            out[kind] = Nearest(round(best + gap, 1), dests.names[which], bool(dests.synthetic[which]))
        return out


def load_index(cur: Any) -> WalkIndex:
    """Read the streets and the destinations (one cursor) and build the index."""
    srid = {"srid": DEFAULT_ANALYSIS_SRID}
    roads = LAYERS["roads"]
    cur.execute(
        sql.SQL(load_sql(PACKAGE, "walk_edges")).format(roads=sql.Identifier(roads.schema, roads.table)), srid
    )
    edges = list(shapely.from_wkb([bytes(r[0]) for r in cur.fetchall()]))
    points = {}
    for kind, (layer, query) in DESTINATIONS.items():
        spec = LAYERS[layer]
        ident = sql.Identifier(spec.schema, spec.table)
        cur.execute(sql.SQL(load_sql(PACKAGE, query)).format(table=ident, green=ident), srid)
        rows = cur.fetchall()
        xy = np.array([(r[1], r[2]) for r in rows], dtype=float).reshape(-1, 2)
        points[kind] = ([r[0] for r in rows], xy, np.array([bool(r[3]) for r in rows], dtype=bool))
    if not edges:
        raise LookupError("no walkable streets loaded")
    return WalkIndex.build(edges, points)


def data_version(cur: Any, layers: tuple[str, ...]) -> int:
    """The summed change versions of ``layers``' tables (changes when any of them is reloaded)."""
    tables = [f"{LAYERS[name].schema}.{LAYERS[name].table}" for name in layers]
    cur.execute(load_sql(PACKAGE, "data_versions"), {"tables": tables})
    return int(cur.fetchone()[0])


#: Seconds a cached value is used before the version of its tables is checked again.
RECHECK_S = 5.0


class Cached:
    """A value built from the database, rebuilt when the version of its source tables changes
    (checked at most every :data:`RECHECK_S` seconds)."""

    def __init__(self, layers: tuple[str, ...], build: Callable[[Any], Any]) -> None:
        self.layers = layers
        self.build = build
        self.version: int | None = None
        self.value: Any = None
        self.checked = 0.0
        self.lock = threading.Lock()

    def get(self, cur: Any) -> Any:
        now = time.monotonic()
        if self.value is not None and now - self.checked < RECHECK_S:
            return self.value
        # without source tables (e.g. which tables exist) the value is simply rebuilt on each recheck
        version = data_version(cur, self.layers) if self.layers else int(now)
        self.checked = now
        if self.version == version and self.value is not None:
            return self.value
        with self.lock:
            if self.version != version or self.value is None:
                self.value = self.build(cur)
                self.version = version
        return self.value


WALK_INDEX = Cached(SOURCE_LAYERS, load_index)
