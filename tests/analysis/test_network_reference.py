"""dothi's walking network side by side with the reference tools, on real data bundled in tests/data.

The reference figures are computed here with osmnx and momepy (test-only dependencies), offline,
from the same files: Las Palmas de Gran Canaria (OpenStreetMap extract of the GHSCI example) and
Bubeneč (momepy's own test streets).  Differences that remain are explained in
``analysis/indicators/network.py`` (rendered into docs/indicators.md).
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import geopandas as gpd
import momepy
import osmium
import osmnx as ox
import pytest
from osmnx import _overpass

from analysis.indicators.access import street_topology, walk_network
from analysis.indicators.network import build_network, consolidated_intersections, meshedness_gamma
from analysis.indicators.streets import street_network_recipe
from layers.osm import read_osm

DATA = Path(__file__).resolve().parents[1] / "data"
LAS_PALMAS = DATA / "las_palmas" / "las_palmas_2023-02-21.osm.pbf"
BUBENEC = DATA / "momepy" / "bubenec.gpkg"
TOLERANCE_M = 12.0  # the GHSCI value


def _osmnx_walk_filter() -> list[tuple[str, str, str]]:
    """osmnx's own 'walk' Overpass filter, as (key, operator, regex) conditions."""
    text = _overpass._get_network_filter("walk")
    return re.findall(r'\["([^"]+)"(?:(!?~)"([^"]*)")?\]', text)


def _keeps(conditions: list[tuple[str, str, str]], tags: dict[str, str]) -> bool:
    for key, op, regex in conditions:
        value = tags.get(key)
        if not op and value is None:
            return False
        if op == "!~" and value is not None and re.search(regex, value):
            return False
        if op == "~" and (value is None or not re.search(regex, value)):
            return False
    return True


@pytest.fixture(scope="module")
def walk_xml(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ways of the extract osmnx would download for network_type='walk', as OSM XML.

    Ways cut by the extract's edge (nodes missing) are left out: osmnx cannot build them.
    """
    conditions = _osmnx_walk_filter()
    present = {n.id for n in osmium.FileProcessor(str(LAS_PALMAS), osmium.osm.NODE)}
    ways, needed = set(), set()
    for way in osmium.FileProcessor(str(LAS_PALMAS), osmium.osm.WAY):
        refs = [n.ref for n in way.nodes]
        if _keeps(conditions, dict(way.tags)) and all(r in present for r in refs):
            ways.add(way.id)
            needed.update(refs)
    out = tmp_path_factory.mktemp("osm") / "las_palmas_walk.osm"
    with osmium.SimpleWriter(str(out)) as writer:
        for obj in osmium.FileProcessor(str(LAS_PALMAS), osmium.osm.NODE | osmium.osm.WAY):
            if obj.is_node() and obj.id in needed:
                writer.add_node(obj)
            elif obj.is_way() and obj.id in ways:
                writer.add_way(obj)
    return out


def test_las_palmas_intersections_agree_with_osmnx(walk_xml: Path) -> None:
    roads = read_osm(LAS_PALMAS).frames["roads"]
    roads = roads.to_crs(roads.estimate_utm_crs())
    assert street_topology(roads) == "shared_nodes"
    ours = len(consolidated_intersections(walk_network(roads), tolerance_m=TOLERANCE_M))

    graph = ox.project_graph(ox.graph_from_xml(walk_xml, retain_all=True), to_crs=roads.crs)
    streets = ox.stats.count_streets_per_node(graph)
    graph.remove_nodes_from([n for n, count in streets.items() if count < 3])
    reference = len(ox.consolidate_intersections(graph, tolerance=TOLERANCE_M, rebuild_graph=False))

    assert ours == pytest.approx(reference, rel=0.03), (ours, reference)
    # noding at every crossing (bridges, tunnels) finds intersections osmnx does not
    walkable = roads[roads["walkable"]].geometry.to_numpy()
    noded = len(consolidated_intersections(build_network(walkable, topology="crossings")))
    assert noded > ours


def test_bubenec_network_and_form_metrics_agree_with_momepy() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        streets = gpd.read_file(BUBENEC, layer="streets")
        graph = momepy.gdf_to_nx(streets)
        reference = {
            "nodes": graph.number_of_nodes(),
            "edges": graph.number_of_edges(),
            "meshedness": momepy.meshedness(graph, radius=None),
            "gamma": momepy.gamma(graph, radius=None),
        }
    net = build_network(streets.geometry.to_numpy())
    mesh, gamma = meshedness_gamma(len(net.nodes), len(net.u))
    assert (len(net.nodes), len(net.u)) == (reference["nodes"], reference["edges"])
    assert mesh == pytest.approx(reference["meshedness"])
    assert gamma == pytest.approx(reference["gamma"])

    # the indicator itself, with one unit around every street, reports the same figures
    roads = streets.assign(
        road_id=[f"s{i}" for i in range(len(streets))], road_class="residential", width_m=None, walkable=True
    )
    area = streets.union_all().envelope.buffer(100)
    units = gpd.GeoDataFrame(
        {
            "unit_id": ["2025-B"],
            "vintage": [2025],
            "code": ["B"],
            "name_vi": ["Bubeneč"],
            "name_en": ["Bubeneč"],
            "level": ["ward"],
            "population": [0],
        },
        geometry=[area],
        crs=streets.crs,
    )
    rows = street_network_recipe({"admin_units": units, "roads": roads}, {"consolidation_m": TOLERANCE_M})
    ward = rows[rows["level"] == "ward"].iloc[0]
    assert (ward["nodes"], ward["edges"]) == (reference["nodes"], reference["edges"])
    assert ward["meshedness"] == pytest.approx(reference["meshedness"])
    assert ward["gamma"] == pytest.approx(reference["gamma"])
