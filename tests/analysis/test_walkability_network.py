"""Walkability on the network neighbourhood (GHSCI): hand-made networks where it differs from a circle.

A river runs between two streets 200 m apart, with one bridge at x = 0::

    y=200  ----+-------------------------------------   north street (x = −500 … 2000)
               |  bridge
    y=0    ----+-------------------------------------   south street
          x=-500 0                     900     1500   2000
"""

from __future__ import annotations

import numpy as np
import pytest
from shapely.geometry import LineString

from analysis.indicators.neighbourhood import (
    buffer_area_by_edge,
    counts_by_node,
    neighbourhood_sums,
    spacing,
    weights_by_edge,
)
from analysis.indicators.network import build_network, consolidated_intersections
from analysis.indicators.walkability import neighbourhood_density, network_densities

SOUTH = LineString([(-500, 0), (0, 0), (2000, 0)])
NORTH = LineString([(-500, 200), (0, 200), (2000, 200)])
BRIDGE = LineString([(0, 0), (0, 200)])


def _river():
    return build_network([SOUTH, NORTH, BRIDGE])


def _north_bank_people() -> tuple[np.ndarray, np.ndarray]:
    xy = np.array([[x, 230.0] for x in range(-450, 2000, 100)])
    return xy, np.full(len(xy), 100.0)


def test_the_far_bank_is_in_the_circle_but_not_in_the_network_neighbourhood() -> None:
    net = _river()
    people, pop = _north_bank_people()
    inter = consolidated_intersections(net)
    assert len(inter) == 2  # both ends of the bridge
    origins = np.array([[1500.0, -30.0], [900.0, -30.0], [50.0, -30.0]])
    circle_pop = neighbourhood_density(origins, people, pop, radius=1000)
    # population: the north-bank people; origins: three south-bank points (no people of their own)
    net_pop, net_inter = network_densities(
        net, np.r_[origins, people], np.r_[np.zeros(3), pop], inter, radius=1000, buffer_m=50
    )
    # 1500 m along the south street to the bridge: nobody on the north bank is within 1 km walking
    assert circle_pop[0] > 0 and net_pop[0] == 0.0
    # next to the bridge the north bank is reachable
    assert net_pop[2] > 0
    # at x = 900 the circle holds both bridge ends (900 m and 922 m away); the walk reaches only the
    # south end (900 m; the north end is 1,100 m)
    circle_inter = neighbourhood_density(origins, inter, np.ones(2), radius=1000)
    assert circle_inter[1] == pytest.approx(2 / np.pi)
    assert net_inter[1] > 0
    no_edge_values = np.zeros((len(net.edges), 1))
    reached = neighbourhood_sums(
        net, origins, no_edge_values, radius_m=1000, node_values=counts_by_node(net, inter)[:, None]
    )
    assert reached[:, 0].tolist() == [0.0, 1.0, 2.0]


def test_reach_counts_the_share_of_each_edge_within_the_radius() -> None:
    net = _river()
    # each edge carries its own length: the sums are the street metres reached from (900, 0)
    reached = neighbourhood_sums(net, np.array([[900.0, 0.0]]), np.diag(net.length), radius_m=1000)[0]
    on_y = [(g.coords[0][1], g.coords[-1][1], round(g.length)) for g in net.edges]
    got = dict(zip(on_y, reached.tolist(), strict=True))
    assert got[(0.0, 0.0, 2000)] == pytest.approx(1900.0)  # 900 m west, 1,000 m east
    assert got[(0.0, 0.0, 500)] == pytest.approx(100.0)  # the west stub: 100 m left after 900 m
    assert got[(0.0, 200.0, 200)] == pytest.approx(100.0)  # half the bridge
    assert got[(200.0, 200.0, 500)] == got[(200.0, 200.0, 2000)] == 0.0  # the far bank: 1,100 m


def test_area_of_a_straight_street_is_its_sausage_buffer() -> None:
    net = build_network([LineString([(0, 0), (1000, 0)])])
    area = buffer_area_by_edge(net, buffer_m=50, cell_m=5).sum()
    assert area == pytest.approx(1000 * 100 + np.pi * 50**2, rel=0.01)


def test_population_cells_count_for_their_part_within_the_buffer() -> None:
    net = build_network([LineString([(0, 0), (1000, 0)])])
    # a 100 m cell centred 50 m from the street: half of it is within 50 m
    got = weights_by_edge(
        net, np.array([[500.0, 50.0]]), np.array([100.0]), buffer_m=50, spread_m=100, cell_m=10
    )
    assert got.sum() == pytest.approx(50.0)
    # a point (a building) counts whole when within the buffer, not at all beyond
    assert (
        weights_by_edge(
            net, np.array([[500.0, 40.0], [500.0, 60.0]]), np.array([7.0, 9.0]), buffer_m=50
        ).sum()
        == 7.0
    )


def test_spacing_of_a_grid() -> None:
    xy = np.array([[x, y] for x in range(0, 500, 100) for y in range(0, 500, 100)], dtype=float)
    assert spacing(xy) == 100.0
    assert spacing(xy[:1]) == 0.0


def test_uniform_population_on_a_street_grid_has_its_true_density() -> None:
    # 20 people in every 100 m cell = 2,000 people/km² everywhere; streets every 150 m.  A 150 m
    # block's neighbourhood share is 2 × 150 m × 100 m − the 100 m × 100 m overlap = 0.02 km², so
    # 50 intersections per km² of neighbourhood.
    side, step = 3000.0, 150.0
    lines = [LineString([(0, y), (side, y)]) for y in np.arange(0, side + 1, step)]
    lines += [LineString([(x, 0), (x, side)]) for x in np.arange(0, side + 1, step)]
    net = build_network(lines)
    centres = np.arange(50, side, 100)
    gx, gy = np.meshgrid(centres, centres)
    xy = np.column_stack([gx.ravel(), gy.ravel()])
    pop, inter = network_densities(
        net,
        xy,
        np.full(len(xy), 20.0),
        consolidated_intersections(net),
        radius=1000,
        buffer_m=50,
        spread_m=100,
    )
    middle = np.all(np.abs(xy - side / 2) < 300, axis=1)  # neighbourhoods far from the grid's edge
    assert pop[middle] == pytest.approx(np.full(middle.sum(), 2000.0), rel=0.02)
    # nodes at the rim of the 1 km walk count whole while the streets beyond them count in part:
    # a few per cent more (53 for most points here, 45–46 for points on a street, whose walk ends
    # at other nodes), as the GHSCI's buffer around the reached nodes also has
    assert inter[middle] == pytest.approx(np.full(middle.sum(), 50.0), rel=0.1)
