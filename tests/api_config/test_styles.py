"""Shared styles: one classification (mapclassify) for QGIS, the API and the web map, served as
OGC API – Styles (MapLibre, QML, SLD 1.1) and read back by QGIS as a client does."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET  # our own generated documents, not untrusted input

import pytest
import requests
from sqlalchemy.engine import URL, Engine

from analysis.registry import INDICATORS, POPULATION_DENSITY
from api_config.qgis.names import INDICATOR_SHORT, indicator_name, layer_name
from api_config.qgis.project import connection, run_driver
from api_config.qgis.store import ward_values
from api_config.styling.encode import MAPBOX_MEDIA, mapbox_style, sld_style
from api_config.styling.model import indicator_model, layer_model
from api_config.styling.palette import LAND_USE_COLOURS, ROAD_SYMBOLS
from layers.catalog import LAND_USE, LAYERS, RASTERS, ROADS
from layers.catalog.infrastructure import ROAD_CLASSES
from layers.catalog.landuse_codes import LAND_USE_CODES

DRIVERS = Path(__file__).resolve().parents[1] / "qgis_driver"
SE = "{http://www.opengis.net/se}"
OGC = "{http://www.opengis.net/ogc}"
STYLES_REL = "http://www.opengis.net/def/rel/ogc/1.0/styles"
MYTHO_BBOX = [106.30, 10.30, 106.42, 10.42]

# --- the model and its encodings (pure) ------------------------------------------------------------


def test_every_land_use_code_and_road_class_has_its_own_class() -> None:
    land = layer_model(LAND_USE)
    assert land.kind == "categorized" and land.attribute == "code"
    assert [c.value for c in land.classes] == list(LAND_USE_CODES) == list(LAND_USE_COLOURS)
    residential = next(c for c in land.classes if c.value == "ODT")
    rice = next(c for c in land.classes if c.value == "LUA")
    assert residential.symbol.fill != rice.symbol.fill
    assert "Đất ở tại đô thị" in residential.label_vi and "Urban residential" in residential.label_en
    roads = layer_model(ROADS)
    assert sorted(c.value or "" for c in roads.classes) == sorted(ROAD_CLASSES) == sorted(ROAD_SYMBOLS)
    widths = {c.value: c.symbol.width for c in roads.classes}
    assert widths["primary"] > widths["residential"] > widths["footway"]
    assert roads.labels is not None and "primary" in roads.labels.only_values
    assert "residential" not in roads.labels.only_values  # only main streets are labelled


def test_names_are_short_and_bilingual() -> None:
    assert set(INDICATOR_SHORT) == set(INDICATORS)  # a new indicator needs a short name
    for ind in INDICATORS.values():
        name = indicator_name(ind, 2025)
        assert len(name) <= 70 and " / " in name and name.endswith("(2025)"), name
    for spec in [*LAYERS.values(), *RASTERS.values()]:
        assert len(layer_name(spec)) <= 70 and " / " in layer_name(spec), spec.name


VALUES = [428.5, 1724.8, 2600.0, 6542.0, 23472.1, 900.0, 1500.0]


def test_mapbox_style_draws_one_filtered_layer_per_class() -> None:
    model = indicator_model(POPULATION_DENSITY, VALUES, span=(100.0, 30000.0))
    assert model.edges[0] <= 100 and model.edges[-1] >= 30000  # every vintage's wards covered
    style = mapbox_style(model, tiles="http://x/{z}/{y}/{x}", source_layer="population_density")
    assert style["version"] == 8 and set(style["sources"]) == {"dothi-population_density"}
    fills = [la for la in style["layers"] if la["type"] == "fill"]
    assert len(fills) == len(model.classes) == 5
    assert [la["paint"]["fill-color"] for la in fills] == [c.symbol.fill for c in model.classes]
    first, second = fills[0]["filter"], fills[1]["filter"]
    assert ["==", ["get", "level"], "ward"] in first  # the city row is not drawn
    assert [">=", ["to-number", ["get", "density_per_km2"]], model.edges[0]] in first
    assert [">", ["to-number", ["get", "density_per_km2"]], model.edges[1]] in second
    assert style["metadata"]["dothi:edges"] == model.edges
    assert all(la["source-layer"] == "population_density" for la in style["layers"])


def test_sld_is_se_1_1_with_a_rule_per_class() -> None:
    model = indicator_model(POPULATION_DENSITY, VALUES)
    root = ET.fromstring(sld_style(model).split("\n", 1)[1])  # noqa: S314 - generated just above
    assert root.get("version") == "1.1.0"
    rules = root.findall(f".//{SE}Rule")
    assert len(rules) == 5 + 1  # classes and the labels
    fills = [r.find(f".//{SE}Fill/{SE}SvgParameter") for r in rules[:5]]
    assert [f.text for f in fills if f is not None] == [c.symbol.fill for c in model.classes]
    literals = [lit.text for lit in rules[2].iter(f"{OGC}Literal")]
    assert literals == ["ward", repr(model.edges[2]), repr(model.edges[3])]


# --- over HTTP ----------------------------------------------------------------------------------------


def _get(url: str, **params: str) -> requests.Response:
    return requests.get(url, params=params, timeout=30)


def _edges(engine: Engine) -> list[float]:
    raw = engine.raw_connection()
    try:
        values = ward_values(raw.cursor(), POPULATION_DENSITY.table, POPULATION_DENSITY.value_column)
    finally:
        raw.close()
    assert values is not None
    span = (values.low, values.high)
    return indicator_model(POPULATION_DENSITY, values.newest, span=span).edges


def test_styles_are_listed_and_linked(api_server: str) -> None:
    listing = _get(f"{api_server}/styles").json()
    assert listing["default"] == "default"
    assert listing["styles"][0]["links"][0]["href"].endswith("/styles/default?f=mapbox")
    dataset = _get(f"{api_server}/styles/default", f="mapbox")
    assert dataset.headers["Content-Type"].startswith(MAPBOX_MEDIA)
    assert "dothi-admin_units" in dataset.json()["sources"]
    styles = _get(f"{api_server}/collections/admin_units/styles").json()
    types = {link["type"] for link in styles["styles"][0]["links"] if link["rel"] == "stylesheet"}
    assert types == {MAPBOX_MEDIA, "application/vnd.qgis.qml", "application/vnd.ogc.sld+xml;version=1.1"}
    collection = _get(f"{api_server}/collections/population_density", f="json").json()
    rels = {link["rel"]: link["href"] for link in collection["links"]}
    assert rels[STYLES_REL].endswith("/collections/population_density/styles?f=json")
    assert any(link["rel"] == "describedby" and link["type"] == MAPBOX_MEDIA for link in collection["links"])
    everything = _get(f"{api_server}/collections", f="json").json()
    linked = {c["id"] for c in everything["collections"] if any(la["rel"] == STYLES_REL for la in c["links"])}
    assert {"admin_units", "population_density"} <= linked
    tiles = _get(f"{api_server}/collections/admin_units/tiles", f="json").json()
    assert any(link["rel"] == STYLES_REL for link in tiles["links"])
    assert all(any(link["rel"] == STYLES_REL for link in t["links"]) for t in tiles["tilesets"])


def test_one_classification_everywhere(api_server: str, loaded: Engine) -> None:
    """The API's style, its QML, its SLD and the web map's meta.json carry the same edges."""
    edges = _edges(loaded)
    base = f"{api_server}/collections/population_density/styles"
    listed = _get(base).json()["styles"][0]["classification"]
    assert listed["edges"] == edges and listed["method"] == "jenks"
    assert _get(f"{base}/default", f="mapbox").json()["metadata"]["dothi:edges"] == edges
    qml = ET.fromstring(_get(f"{base}/default", f="qml").text.split("\n", 1)[1])  # noqa: S314 - ours
    ranges = qml.findall("renderer-v2/ranges/range")
    assert [float(ranges[0].get("lower", "nan"))] + [float(r.get("upper", "nan")) for r in ranges] == edges
    ward = _get(f"{api_server}/collections/population_density-ward-2025/styles").json()  # results' views
    assert ward["styles"][0]["classification"]["edges"] == edges
    meta = _get(f"{api_server}/map/meta.json").json()
    density = next(i for i in meta["indicators"] if i["id"] == POPULATION_DENSITY.id)
    assert density["classes"]["edges"] == edges
    assert density["classes"]["style"] == "/collections/population_density/styles/default?f=mapbox"


@pytest.mark.parametrize(
    ("path", "params", "status", "words"),
    [
        ("/collections/no_such/styles", {}, 404, "no_such"),
        ("/collections/no_such/styles/default", {}, 404, "no_such"),
        ("/collections/admin_units/styles/fancy", {}, 404, "fancy"),
        ("/collections/admin_units/styles/default", {"f": "png"}, 400, "Parameter 'f'"),
        ("/collections/admin_units/styles", {"f": "sld"}, 400, "Parameter 'f'"),
        ("/collections/admin_units/styles/default", {"colour": "red"}, 400, "colour"),
        ("/styles/default", {"f": "qml"}, 400, "Parameter 'f'"),
        ("/styles/other", {}, 404, "other"),
    ],
)
def test_bad_style_requests_are_4xx(
    api_server: str, path: str, params: dict[str, str], status: int, words: str
) -> None:
    answer = _get(api_server + path, **params)
    assert answer.status_code == status
    body = answer.json()
    assert words in body["description"] and " / " in body["description"]  # Vietnamese / English


def test_stylesheets_have_their_media_types(api_server: str) -> None:
    base = f"{api_server}/collections/admin_units/styles/default"
    assert _get(base).headers["Content-Type"].startswith(MAPBOX_MEDIA)
    qml = _get(base, f="qml")
    assert qml.headers["Content-Type"].startswith("application/vnd.qgis.qml")
    assert qml.text.startswith("<!DOCTYPE qgis")
    sld = _get(base, f="sld")
    assert sld.headers["Content-Type"].startswith("application/vnd.ogc.sld+xml")
    assert 'version="1.1.0"' in sld.text


# --- QGIS as a client of the styles --------------------------------------------------------------------


def _check(api_server: str, test_url: URL, cid: str, layer: dict[str, str]) -> dict[str, Any]:
    base = f"{api_server}/collections/{cid}/styles/default"
    request = {
        "connection": connection(test_url),
        "layer": layer,
        "qml": _get(base, f="qml").text,
        "sld": _get(base, f="sld").text,
        "mapbox": _get(base, f="mapbox").json(),
        "tiles": {
            "url": f"{api_server}/collections/{cid}/tiles/WebMercatorQuad/{{z}}/{{y}}/{{x}}?f=mvt",
            "bbox": MYTHO_BBOX,
        },
    }
    return run_driver(DRIVERS / "check_styles.py", request, test_url)


def test_qgis_reads_the_served_styles(api_server: str, test_url: URL, loaded: Engine) -> None:
    edges = _edges(loaded)
    # the 2025 ward view and its collection (per-level collections of the results helper)
    layer = {"schema": "analysis", "table": f"{POPULATION_DENSITY.table}_ward_2025", "key": "result_id"}
    result = _check(api_server, test_url, "population_density-ward-2025", layer)
    qml = result["qml"]
    assert qml["renderer"] == "graduatedSymbol"
    assert [r["lower"] for r in qml["ranges"]] + [qml["ranges"][-1]["upper"]] == edges
    sld = result["sld"]
    assert sld["applied"] and sld["renderer"] == "RuleRenderer", sld
    assert len(sld["rules"]) == len(edges) - 1
    first = sld["rules"][0]["filter"]
    assert "level = 'ward'" in first and f"density_per_km2 <= {edges[1]:g}" in first
    assert [r["colour"] for r in sld["rules"]] == [r["color"] for r in qml["ranges"]]
    mapbox = result["mapbox"]
    assert mapbox["converted"], mapbox
    assert mapbox["styles"] == 2 * (len(edges) - 1)  # a fill and an outline per class
    assert mapbox["drawn_share"] > 0.05, mapbox  # the wards are drawn from our tiles
    # the most frequent colours are the classes' (a little lighter: fill-opacity over white)
    classes = [_rgb(r["color"]) for r in qml["ranges"]]
    nearest = {min(classes, key=lambda c: _distance(c, _rgb(d))) for d in mapbox["colours"][:3]}
    assert all(min(_distance(c, _rgb(d)) for c in classes) < 60 for d in mapbox["colours"][:3]), mapbox
    assert len(nearest) >= 2, (mapbox["colours"], classes)


def _distance(a: tuple[int, ...], b: tuple[int, ...]) -> int:
    return max(abs(x - y) for x, y in zip(a, b, strict=True))


def _rgb(colour: str) -> tuple[int, ...]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def test_dataset_style_draws_the_choropleth_over_the_wards(api_server: str) -> None:
    style = _get(f"{api_server}/styles/default", f="mapbox").json()
    json.dumps(style)  # plain JSON
    ids = [layer["id"] for layer in style["layers"]]
    assert len(ids) == len(set(ids))
    assert ids.index("admin_units-fill") < ids.index("population_density-0-fill")
