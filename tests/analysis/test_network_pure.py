"""The walking network: nodes at real intersections only, exact snapped distances, one pass."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString

from analysis.indicators.access import street_topology, walk_network
from analysis.indicators.network import (
    build_network,
    consolidated_intersections,
    distances_from_each,
    meshedness_gamma,
    nearest_distances,
)
from gis.errors import CrsError
from tests.analysis import city


def test_ways_meeting_end_to_end_keep_their_node_but_make_no_intersection() -> None:
    # one street drawn as three pieces, crossed by a street drawn as one line: momepy keeps the two
    # joins as nodes of degree 2; only the crossing is an intersection
    pieces = [
        LineString([(0, 0), (100, 0)]),
        LineString([(100, 0), (200, 0), (250, 0)]),  # an OSM way has the shared node as a vertex
        LineString([(250, 0), (400, 0)]),
    ]
    for topology in ("crossings", "shared_nodes"):
        cross = LineString([(200, -50), (200, 0), (200, 50)])  # shares the vertex (200, 0)
        net = build_network([*pieces, cross], topology=topology)
        assert sorted(net.degree.tolist()) == [1, 1, 1, 1, 2, 2, 4]
        assert len(net.u) == 6
        assert net.total_length == pytest.approx(500.0)
        assert len(consolidated_intersections(net, tolerance_m=1)) == 1


def test_a_bridge_without_a_shared_node_is_no_intersection() -> None:
    street = LineString([(-100, 0), (100, 0)])
    bridge = LineString([(0, -100), (0, 100)])  # crosses the street with no vertex in common
    assert len(consolidated_intersections(build_network([street, bridge], topology="shared_nodes"))) == 0
    assert len(consolidated_intersections(build_network([street, bridge], topology="crossings"))) == 1
    # a ramp that shares the street's node at (50, 0) joins it there
    ramp = LineString([(50, 0), (50, 80)])
    street_with_node = LineString([(-100, 0), (50, 0), (100, 0)])
    net = build_network([street_with_node, bridge, ramp], topology="shared_nodes")
    assert sorted(net.degree.tolist()) == [1, 1, 1, 1, 1, 3]


def test_ways_drawn_twice_count_once_and_loops_are_split() -> None:
    way = LineString([(0, 0), (50, 0), (100, 0)])
    ring = LineString([(100, 0), (100, 50), (150, 50), (100, 0)])  # a loop back to its start
    net = build_network([way, way, ring], topology="shared_nodes")
    assert net.total_length == pytest.approx(100 + ring.length)
    assert sorted(net.degree.tolist()) == [1, 3]


def test_unknown_topology_is_refused() -> None:
    with pytest.raises(ValueError, match="topology"):
        build_network([LineString([(0, 0), (1, 0)])], topology="magic")


def test_osm_streets_use_shared_nodes() -> None:
    roads = city.roads()
    assert street_topology(roads) == "crossings"
    roads["road_id"] = [f"osm:w{i}" for i in range(len(roads))]
    assert street_topology(roads) == "shared_nodes"


def test_crossing_lines_are_noded_and_overlaps_counted_once() -> None:
    net = build_network([LineString([(0, 0), (100, 0)]), LineString([(0, 0), (100, 0)])])
    assert net.total_length == pytest.approx(100.0)
    assert len(net.nodes) == 2


def test_non_walkable_roads_are_left_out() -> None:
    roads = city.roads(extra=[("m", LineString([city.at(0, 950), city.at(2000, 950)]), False)])
    net = walk_network(roads)
    assert net.total_length == pytest.approx(4000.0)  # 2 km + 2 × 1 km, the motorway excluded
    assert sorted(net.degree.tolist()) == [1, 1, 1, 1, 1, 1, 4, 4]


def test_network_refuses_geographic_crs() -> None:
    with pytest.raises(CrsError, match="infrastructure.roads"):
        walk_network(city.roads().to_crs(4326))


def test_distances_include_the_gaps_and_walk_along_the_street() -> None:
    net = walk_network(city.roads())
    origins = np.array([city.at(150, 450), city.at(950, 850)])
    stop = np.array([city.at(500, 500)])
    d = nearest_distances(net, origins, {"stop": stop})["stop"]
    # (150, 450): 50 m to the street y=500, then 350 m along it;
    # (950, 850): nearest street is y=500 (350 m; x=500 is 450 m away), then 450 m along it
    assert d.tolist() == [400.0, 800.0]


def test_same_edge_origin_and_destination_walk_directly() -> None:
    net = build_network([LineString([(0, 0), (1000, 0)])])
    d = nearest_distances(net, np.array([[300.0, 5.0]]), {"s": np.array([[350.0, -5.0]])})
    assert d["s"][0] == pytest.approx(60.0)  # 5 + 50 + 5, not via a node


def test_limit_marks_far_origins_unreachable() -> None:
    net = build_network([LineString([(0, 0), (1000, 0)])])
    d = nearest_distances(net, np.array([[0.0, 0.0], [900.0, 0.0]]), {"s": np.array([[0.0, 0.0]])}, limit=500)
    assert d["s"][0] == 0.0 and np.isinf(d["s"][1])


def test_disconnected_component_cannot_reach() -> None:
    net = build_network([LineString([(0, 0), (100, 0)]), LineString([(0, 500), (100, 500)])])
    d = nearest_distances(net, np.array([[50.0, 500.0]]), {"s": np.array([[50.0, 0.0]])})
    assert np.isinf(d["s"][0])


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 1000), st.integers(0, 1000)), min_size=1, max_size=6),
    st.lists(st.tuples(st.integers(0, 1000), st.integers(0, 1000)), min_size=1, max_size=8),
)
def test_one_multi_source_pass_equals_the_minimum_of_single_searches(dests, origins) -> None:
    lines = [LineString([(0, y), (1000, y)]) for y in (0, 400, 1000)]
    lines += [LineString([(x, 0), (x, 1000)]) for x in (0, 300, 1000)]
    net = build_network(lines)
    o, d = np.array(origins, float), np.array(dests, float)
    multi = nearest_distances(net, o, {"d": d})["d"]
    each = distances_from_each(net, o, d, limit=np.inf)
    assert multi == pytest.approx(each.min(axis=0))


def test_intersections_closer_than_twice_the_tolerance_are_one() -> None:
    # the tolerance is a buffer radius, as in osmnx: buffers of 12 m overlap below 24 m
    lines = [
        LineString([(-100, 0), (100, 0)]),
        LineString([(0, -100), (0, 0)]),
        LineString([(20, 0), (20, 100)]),  # offset T 20 m away: same intersection
        LineString([(70, 0), (70, 100)]),  # 50 m away: another one
    ]
    centres = consolidated_intersections(build_network(lines), tolerance_m=12)
    assert sorted(centres[:, 0].tolist()) == [10.0, 70.0]
    assert len(consolidated_intersections(build_network(lines), tolerance_m=9)) == 3


def test_meshedness_and_gamma_of_a_grid() -> None:
    # 2 × 2 block grid: 9 nodes, 12 edges, 4 faces
    assert meshedness_gamma(9, 12) == (pytest.approx(4 / 13), pytest.approx(12 / 21))
    assert np.isnan(meshedness_gamma(2, 1)[0])
