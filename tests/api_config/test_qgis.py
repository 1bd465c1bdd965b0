"""QGIS for planners: styles in layer_styles, the generated project, all checked in real QGIS.

QGIS runs headless under the system Python (Debian ``python3-qgis``) as a subprocess; the scripts
in ``tests/qgis_driver`` answer JSON that is asserted here.  Without QGIS these tests fail (the
driver raises ``QgisError``), they never skip.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import zipfile
from itertools import pairwise
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from xml.etree import ElementTree as ET  # our own generated QML, not untrusted input

import pytest
from sqlalchemy.engine import URL, Engine

from analysis.registry import POPULATION_DENSITY
from api_config.qgis.project import QgisError, connection, plan_project, run_driver, write_project
from api_config.qgis.store import write_styles
from api_config.qgis.styles import indicator_style, layer_style
from api_config.styling.breaks import classify, jenks_breaks, nice_edges, quantile_breaks
from api_config.styling.model import layer_model
from gis.errors import ConfigError
from gis.settings import ApiSettings
from layers.catalog import ADMIN_UNITS, LAND_USE, LAYERS, ROADS, WATER_BODIES
from layers.catalog.landuse_codes import LAND_USE_CODES
from layers.notices import SYNTHETIC_DATA

ROOT = Path(__file__).resolve().parents[2]
DRIVERS = ROOT / "tests" / "qgis_driver"
README_PNG = ROOT / "docs" / "img" / "qgis-project.png"
#: Mỹ Tho in the test data: 17 units of 2019 + 5 wards of 2025.
ADMIN_UNIT_COUNT = 22


# --- class breaks (pure, hand-checked) -------------------------------------------------------


def test_jenks_separates_obvious_groups() -> None:
    assert jenks_breaks([12, 1, 2, 3, 10, 11, 30], classes=3) == [1.0, 3.0, 12.0, 30.0]


def test_quantiles_split_counts_evenly() -> None:
    assert quantile_breaks([4, 3, 2, 1, 0, None], classes=2) == [0.0, 2.0, 4.0]


def test_nice_edges_round_to_the_range_and_keep_values_covered() -> None:
    # range 23 043.6 → unit 1 000; lower edge down, the others up
    assert nice_edges([428.5, 1724.8, 6542.0, 23472.1]) == [0.0, 2000.0, 7000.0, 24000.0]
    # 1.01 and 1.04 collide at units 1 and 0.1, separate at 0.01
    assert nice_edges([0.0, 1.01, 1.04, 10.0]) == [0.0, 1.01, 1.04, 10.0]


def test_fewer_distinct_values_than_classes() -> None:
    # two distinct values → two classes: {5, 5} and {7}; range 2 → unit 0.1
    assert jenks_breaks([5, 5, 7], classes=5) == [5.0, 5.0, 7.0]
    assert classify([5, 5, 7], classes=5) == [4.9, 5.0, 7.0]  # the lower edge moves one unit down


def test_classify_refuses_unknown_method_and_empty_data() -> None:
    with pytest.raises(ConfigError, match="natural"):
        classify([1, 2], method="natural")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="no values"):
        classify([None])


# --- QML (pure) -----------------------------------------------------------------------------


def _parse(style: Any) -> ET.Element:
    """Our own generated QML (not untrusted input), without its DOCTYPE line."""
    return ET.fromstring(style.qml.split("\n", 1)[1])  # noqa: S314


def _options(element: ET.Element) -> dict[str, str]:
    return {o.get("name", ""): o.get("value", "") for o in element.iter("Option") if o.get("name")}


def test_layer_qml_carries_the_style_hint() -> None:
    for spec in LAYERS.values():
        if spec in (LAND_USE, ROADS):
            continue  # categorised (below)
        root = _parse(layer_style(spec))
        assert root.find("renderer-v2").get("type") == "singleSymbol", spec.name
        top = root.findall(".//symbol/layer")[-1]
        opts = _options(top)
        stroke = opts.get("outline_color") or opts.get("line_color")
        r, g, b = (int(spec.style.stroke[i : i + 2], 16) for i in (1, 3, 5))
        assert stroke == f"{r},{g},{b},255", spec.name
        assert (root.get("labelsEnabled") == "1") == bool(spec.style.label), spec.name
    water = _parse(layer_style(WATER_BODIES))
    assert len(water.findall(".//symbol/layer")) == 1


def test_land_use_and_roads_qml_are_categorised() -> None:
    land = _parse(layer_style(LAND_USE)).find("renderer-v2")
    assert land.get("type") == "categorizedSymbol" and land.get("attr") == "code"
    assert [c.get("value") for c in land.findall("categories/category")] == list(LAND_USE_CODES)
    roads = _parse(layer_style(ROADS))
    renderer = roads.find("renderer-v2")
    assert renderer.get("type") == "categorizedSymbol" and renderer.get("attr") == "road_class"
    assert renderer.get("symbollevels") == "1"  # every casing under every street
    primary = next(c for c in renderer.findall("categories/category") if c.get("value") == "primary")
    symbol = renderer.find(f"symbols/symbol[@name='{primary.get('symbol')}']")
    assert len(symbol.findall("layer")) == 2  # a coloured street on a darker casing
    text = roads.find("labeling/settings/text-style")
    assert text.get("isExpression") == "1" and "'primary'" in text.get("fieldName")


def test_indicator_qml_is_a_ward_choropleth() -> None:
    values = [428.5, 1724.8, 2600.0, 6542.0, 23472.1, 900.0, 1500.0]
    root = _parse(indicator_style(POPULATION_DENSITY, values))
    renderer = root.find("renderer-v2")
    assert renderer.get("type") == "graduatedSymbol"
    assert "'ward'" in renderer.get("attr") and "density_per_km2" in renderer.get("attr")
    ranges = renderer.findall("ranges/range")
    assert len(ranges) == 5
    assert float(ranges[0].get("lower")) <= min(values) and float(ranges[-1].get("upper")) >= max(values)
    assert all(r.get("upper") == n.get("lower") for r, n in pairwise(ranges))


# --- layer_styles in the database --------------------------------------------------------------


def _cursor(engine: Engine) -> Any:
    return engine.raw_connection().cursor()


@pytest.fixture(scope="module")
def styled(loaded: Engine) -> Engine:
    write_styles(loaded)
    return loaded


def test_layer_styles_table_is_qgis_own_and_writing_is_idempotent(styled: Engine) -> None:
    raw = styled.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND table_name = 'layer_styles' ORDER BY ordinal_position"
        )
        assert [r[0] for r in cur.fetchall()] == [
            "id", "f_table_catalog", "f_table_schema", "f_table_name", "f_geometry_column", "stylename",
            "styleqml", "stylesld", "useasdefault", "description", "owner", "ui", "update_time", "type",
        ]  # fmt: skip
        # a planner's own style of admin_units must survive a rewrite (and stop being the default)
        cur.execute(
            "INSERT INTO public.layer_styles (f_table_catalog, f_table_schema, f_table_name, "
            "f_geometry_column, stylename, styleqml, useasdefault) VALUES (current_database(), 'land', "
            "'admin_units', 'geom', 'planner style', XMLPARSE(DOCUMENT '<qgis/>'), true)"
        )
        raw.commit()
        cur.execute("SELECT count(*) FROM public.layer_styles")
        before = cur.fetchone()[0]
        report = write_styles(styled)
        cur.execute("SELECT count(*) FROM public.layer_styles")
        assert cur.fetchone()[0] == before
        # every layer, the density table and its two ward views (2019 and 2025 boundaries)
        assert len(report.written) == len(LAYERS) + 3
        assert {"analysis.population_density_ward_2019", "analysis.population_density_ward_2025"} <= set(
            report.written
        )
        cur.execute(
            "SELECT stylename, useasdefault FROM public.layer_styles WHERE f_table_name = 'admin_units' "
            "ORDER BY stylename"
        )
        rows = cur.fetchall()
        assert rows == [
            (f"dothi: {ADMIN_UNITS.title_vi} / {ADMIN_UNITS.title_en}", True),
            ("planner style", False),
        ]
        cur.execute("DELETE FROM public.layer_styles WHERE stylename = 'planner style'")
        raw.commit()
    finally:
        raw.close()


# --- real QGIS -----------------------------------------------------------------------------------


def _rgb_hex(colour: str) -> str:
    return colour.lower()


def test_postgis_layers_load_in_qgis_with_their_default_styles(styled: Engine, test_url: URL) -> None:
    request = {
        "connection": connection(test_url),
        "postgres": [{"schema": s.schema, "table": s.table, "key": s.id_field} for s in LAYERS.values()]
        + [{"schema": "analysis", "table": POPULATION_DENSITY.table, "key": "result_id"}]
        + [{"schema": "analysis", "table": f"{POPULATION_DENSITY.table}_ward_2025", "key": "result_id"}],
    }
    result = run_driver(DRIVERS / "check_layers.py", request, test_url)["postgres"]
    for spec in (LAND_USE, ROADS):
        got = result[spec.qualified_name]
        assert got["valid"] and got["renderer"] == "categorizedSymbol", spec.qualified_name
        assert len(got["categories"]) == len(layer_model(spec).classes)
    for spec in LAYERS.values():
        if spec in (LAND_USE, ROADS):
            continue
        got = result[spec.qualified_name]
        assert got["valid"], spec.qualified_name
        assert got["renderer"] == "singleSymbol", spec.qualified_name
        assert got["stroke_color" if spec.geometry != "MultiLineString" else "color"] == spec.style.stroke
        if spec.style.fill and spec.geometry != "MultiLineString":
            assert got["color"] == spec.style.fill, spec.qualified_name
        assert got["label_field"] == spec.style.label and got["labels_enabled"] == bool(spec.style.label)
    admin = result["land.admin_units"]
    assert admin["feature_count"] == ADMIN_UNIT_COUNT
    assert admin["stroke_width"] == pytest.approx(ADMIN_UNITS.style.stroke_width)
    density = result["analysis.population_density"]
    assert density["renderer"] == "graduatedSymbol"
    assert "'ward'" in density["class_attribute"]
    assert len(density["ranges"]) == 5
    assert density["ranges"][0]["color"] != density["ranges"][-1]["color"]
    view = result["analysis.population_density_ward_2025"]  # the level view opens styled, 2025 wards only
    assert view["valid"] and view["renderer"] == "graduatedSymbol"
    assert view["ranges"] == density["ranges"]
    raw = styled.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute(
            "SELECT min(density_per_km2), max(density_per_km2) FROM analysis.population_density WHERE level = 'ward'"
        )
        low, high = cur.fetchone()
        cur.execute("SELECT count(*) FROM land.admin_units WHERE level = 'ward' AND vintage = 2025")
        wards_2025 = cur.fetchone()[0]
    finally:
        raw.close()
    assert view["feature_count"] == wards_2025
    assert density["ranges"][0]["lower"] <= low < density["ranges"][0]["upper"]
    assert density["ranges"][-1]["lower"] < high <= density["ranges"][-1]["upper"]


def test_oapif_layer_loads_from_the_running_server(api_server: str, test_url: URL) -> None:
    request = {
        "connection": connection(test_url),
        "oapif": [
            {"url": api_server, "typename": "admin_units"},
            {"url": api_server, "typename": "no_such_layer"},
        ],
    }
    result = run_driver(DRIVERS / "check_layers.py", request, test_url)["oapif"]
    assert result["admin_units"]["valid"]
    assert result["admin_units"]["feature_count"] == ADMIN_UNIT_COUNT
    assert "name_vi" in result["admin_units"]["fields"]
    assert not result["no_such_layer"]["valid"]


def test_vector_tile_layer_loads_and_draws_from_the_running_server(api_server: str, test_url: URL) -> None:
    template = "/collections/admin_units/tiles/WebMercatorQuad/{z}/{y}/{x}?f=mvt"
    request = {
        "connection": connection(test_url),
        "vectortile": [
            {"name": "admin_units", "url": api_server + template, "bbox": [106.30, 10.30, 106.42, 10.42]}
        ],
    }
    result = run_driver(DRIVERS / "check_layers.py", request, test_url)["vectortile"]["admin_units"]
    assert result["valid"]
    assert result["drawn_share"] > 0.05, result  # the wards are drawn from our MVT tiles


def test_project_plan_groups_by_domain(loaded: Engine, tmp_path: Path) -> None:
    plan = plan_project(loaded, ApiSettings(port=5999), data_dir=tmp_path)
    names = [(g["name"], g["visible"]) for g in plan.groups]
    # the test database holds admin units and the density indicator only (tables with rows)
    assert names == [("Chỉ số 2025 / Indicators 2025", True), ("Đất đai / Land", True),
                     ("Chỉ số 2019 / Indicators 2019", False), ("OGC API Features (dothi serve)", False),
                     ("OGC API Tiles (dothi serve)", False)]  # fmt: skip
    (density,) = plan.groups[0]["layers"]
    assert density.name == "Mật độ dân số / Population density (2025)" and density.visible
    # the runner's ward view of the 2025 boundaries (results helper), no filter needed
    assert (density.source["table"], density.source["subset"]) == ("population_density_ward_2025", "")
    assert not any(layer.visible for layer in plan.groups[2]["layers"])
    assert all(len(layer.name) <= 70 for layer in plan.layers())
    public = plan_project(loaded, ApiSettings(public_url="https://bando.example.vn/api/"), data_dir=tmp_path)
    api_sources = [la.source for la in public.layers() if la.kind in ("oapif", "vectortile")]
    assert api_sources and all(
        str(s.get("url", "")).startswith("https://bando.example.vn/api/collections/")
        or s.get("url") == "https://bando.example.vn/api"
        for s in api_sources
    )
    assert plan.layout is not None and SYNTHETIC_DATA["en"] in plan.layout["notice"]
    tiles = [layer for layer in plan.layers() if layer.kind == "vectortile"]
    assert {t.source["url"] for t in tiles} == {
        f"http://127.0.0.1:5999/collections/{cid}/tiles/WebMercatorQuad/{{z}}/{{y}}/{{x}}?f=mvt"
        for cid in ("admin_units", "population_density-ward-2025")
    }
    land = plan.groups[1]["layers"]
    assert [(p.source["subset"], p.visible) for p in land] == [
        ("vintage = 2025", True),
        ("vintage = 2019", False),
    ]


@pytest.fixture(scope="module")
def project_file(
    styled: Engine,
    test_url: URL,
    api_server: str,
    dothi_cli: list[str],
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    """`dothi qgis project PATH` against the test database and the running API server."""
    folder = tmp_path_factory.mktemp("qgis")
    path = folder / "dothi.qgs"
    port = str(urlparse(api_server).port)
    env = {
        **os.environ,
        "DOTHI_DATABASE_URL": test_url.render_as_string(hide_password=False),
        "DOTHI_DATA_DIR": str(folder),
        "DOTHI_API_PORT": port,
    }
    done = subprocess.run(
        [*dothi_cli, "--json", "qgis", "project", str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return path


def _check_project(source: str, png: Path | None, url: URL, **extra: str) -> dict[str, Any]:
    request = {"source": source, "png": str(png) if png else None, "width": 900, "height": 700, **extra}
    return run_driver(DRIVERS / "check_project.py", request, url)


def test_project_file_loads_and_renders(
    project_file: Path, test_url: URL, tmp_path: Path, api_server: str
) -> None:
    text = project_file.read_text(encoding="utf-8")
    assert test_url.password and test_url.password not in text
    png = tmp_path / "qgis-project.png"
    result = _check_project(str(project_file), png, test_url)
    assert result["read"]
    assert result["crs"] == "EPSG:32648"
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for layer in result["layers"]:
        by_kind.setdefault(layer["provider"], []).append(layer)
    assert all(layer["valid"] for layer in by_kind["postgres"] + by_kind["OAPIF"])
    density = [la for la in by_kind["postgres"] if "population_density" in la["source"]]
    assert {la["renderer"] for la in density} == {"graduatedSymbol"}
    assert sorted(la["feature_count"] for la in density) == [5, 17]  # wards only, per vintage
    # the tiles endpoint itself is tested elsewhere; here: one xyz source per collection
    tiles = by_kind["vectortile"]
    assert len(tiles) == 2 and all(
        "WebMercatorQuad" in t["source"] and "type=xyz" in t["source"] for t in tiles
    )
    # DOTHI_API_PORT (the running server's) is where the project's OGC API layers point
    port = urlparse(api_server).port
    sources = [la["source"] for la in by_kind["OAPIF"] + tiles]
    assert all(f"127.0.0.1:{port}" in s and ":5000" not in s for s in sources), sources
    visible = [la["name"] for la in result["layers"] if la["visible"]]
    assert "Mật độ dân số / Population density (2025)" in visible
    assert "Mật độ dân số / Population density (2019)" not in visible
    image = result["image"]
    assert png.stat().st_size > 10_000
    assert image["non_background"] > 0.2 and image["colours"] > 10 and image["stddev"] > 10


def test_project_stored_in_the_database_opens(project_file: Path, test_url: URL, tmp_path: Path) -> None:
    raw_engine_url = test_url
    from gis.engine import create_engine

    eng = create_engine(raw_engine_url)
    raw = eng.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("SELECT metadata, content FROM public.qgis_projects WHERE name = 'dothi'")
        metadata, content = cur.fetchone()
    finally:
        raw.close()
        eng.dispose()
    assert "last_modified_time" in metadata
    with zipfile.ZipFile(io.BytesIO(bytes(content))) as zf:
        qgs = next(n for n in zf.namelist() if n.endswith(".qgs"))
        assert test_url.password not in zf.read(qgs).decode("utf-8")
    conn = connection(test_url)
    uri = f"postgresql://{conn['user']}@{conn['host']}:{conn['port']}?sslmode=disable&dbname={conn['dbname']}&schema=public&project=dothi"
    result = _check_project(uri, tmp_path / "from-db.png", test_url)
    assert result["read"]
    assert result["groups"][:2] == ["Chỉ số 2025 / Indicators 2025", "Đất đai / Land"]
    assert all(la["valid"] for la in result["layers"] if la["provider"] == "postgres")
    assert result["image"]["non_background"] > 0.2


def test_styles_cli_with_quantiles(styled: Engine, test_url: URL, dothi_cli: list[str]) -> None:
    env = {**os.environ, "DOTHI_DATABASE_URL": test_url.render_as_string(hide_password=False)}
    cmd = [*dothi_cli, "--json", "qgis", "styles", "--method", "quantile", "--classes", "4"]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "analysis.population_density" in json.loads(done.stdout)["written"]
    raw = styled.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute(
            "SELECT styleqml::text FROM public.layer_styles WHERE f_table_name = 'population_density' "
            "AND useasdefault"
        )
        (qml,) = cur.fetchone()
    finally:
        raw.close()
        write_styles(styled)  # back to the default classification for other tests
    root = ET.fromstring(qml)  # noqa: S314 - written by us just above
    assert root.find("renderer-v2/classificationMethod").get("id") == "Quantile"
    assert len(root.findall("renderer-v2/ranges/range")) == 4


def test_missing_qgis_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, test_url: URL) -> None:
    monkeypatch.setenv("DOTHI_QGIS_PYTHON", "/nonexistent/python3")
    with pytest.raises(QgisError, match="python3-qgis"):
        run_driver(DRIVERS / "check_layers.py", {}, test_url)


def test_rasters_of_the_catalog_go_into_the_project(loaded: Engine, test_url: URL, tmp_path: Path) -> None:
    import numpy as np
    import rasterio
    from rasterio.transform import from_origin

    relative = "rasters/elevation/elevation.tif"
    cog = tmp_path / relative
    cog.parent.mkdir(parents=True)
    profile = {"driver": "GTiff", "width": 20, "height": 20, "count": 1, "dtype": "float32", "crs": "EPSG:4326",
               "transform": from_origin(106.3, 10.4, 0.005, 0.005), "nodata": -9999.0}  # fmt: skip
    with rasterio.open(cog, "w", **profile) as dst:
        dst.write(np.arange(400, dtype="float32").reshape(1, 20, 20))
    raw = loaded.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute(
            "INSERT INTO catalog.rasters (layer, year, path, crs, resolution_m, width, height, bbox, checksum, load_id) "
            "VALUES ('environment.elevation', NULL, %s, 'EPSG:4326', 500, 20, 20, "
            "ARRAY[106.3, 10.3, 106.4, 10.4], 'test', 0)",
            (relative,),
        )
        raw.commit()
        plan = plan_project(loaded, ApiSettings(port=5999), data_dir=tmp_path)
    finally:
        cur.execute("DELETE FROM catalog.rasters WHERE checksum = 'test'")
        raw.commit()
        raw.close()
    rasters = next(g for g in plan.groups if g["name"] == "Lưới raster / Raster grids")
    (raster,) = rasters["layers"]
    assert raster.kind == "raster" and raster.source["path"] == str(cog) and not raster.visible
    stops = raster.source["style"]["stops"]
    assert raster.source["style"]["type"] == "interpolated" and len(stops) == 5
    assert 0 <= stops[0][0] < stops[-1][0] <= 399  # the ramp spans the raster's values
    result = write_project(plan, test_url, path=tmp_path / "with-raster.qgs", to_database=False)
    loaded_raster = next(la for la in result["layers"] if la["kind"] == "raster")
    assert loaded_raster["valid"] and loaded_raster["renderer"] == "singlebandpseudocolor"
    assert result["written"] == {"file": str(tmp_path / "with-raster.qgs")}


# --- the whole demo: what a planner sees on open ---------------------------------------------------


def test_demo_project_is_readable_on_open_and_prints(
    demo_url: URL, demo_data_dir: Path, tmp_path: Path
) -> None:
    """The project of the full demo: every layer valid, one indicator and no raster drawn on open,
    a map not dominated by one colour (nor dark), and an A3 layout exported to PDF headlessly."""
    from gis.engine import create_engine

    eng = create_engine(demo_url)
    try:
        write_styles(eng)
        plan = plan_project(eng, ApiSettings(port=5999), data_dir=demo_data_dir)
    finally:
        eng.dispose()
    path = tmp_path / "demo.qgs"
    written = write_project(plan, demo_url, path=path, to_database=False)
    local = [la for la in written["layers"] if la["kind"] in ("postgres", "raster")]
    assert local and all(la["valid"] for la in local), [la["name"] for la in local if not la["valid"]]
    by_name = {la["name"]: la for la in local}
    assert by_name["Sử dụng đất / Land use"]["renderer"] == "categorizedSymbol"
    assert by_name["Mạng lưới đường / Street network"]["renderer"] == "categorizedSymbol"
    rasters = [la for la in local if la["kind"] == "raster"]
    assert {la["renderer"] for la in rasters} == {"singlebandpseudocolor"}
    png, pdf, page = tmp_path / "demo.png", tmp_path / "demo.pdf", tmp_path / "demo-layout.png"
    result = _check_project(str(path), png, demo_url, layout_pdf=str(pdf), layout_png=str(page))
    visible = [la for la in result["layers"] if la["visible"]]
    indicators = [la for la in visible if "analysis" in (la["source"] or "")]
    assert [la["name"] for la in indicators] == ["Mật độ dân số / Population density (2025)"]
    assert not any(la["provider"] == "gdal" for la in visible)  # rasters are off
    assert max(len(la["name"]) for la in result["layers"]) <= 70
    image = result["image"]
    assert image["non_background"] > 0.3 and image["colours"] > 50, image
    assert image["dominant"] < 0.35 and image["dark"] < 0.1, image  # not one colour, not black
    (layout,) = result["layouts"]
    assert layout["page_mm"] == [420, 297]  # A3 landscape
    assert {
        "QgsLayoutItemMap",
        "QgsLayoutItemLegend",
        "QgsLayoutItemScaleBar",
        "QgsLayoutItemPicture",
    } <= set(layout["items"])
    labels = "\n".join(layout["labels"])
    assert SYNTHETIC_DATA["vi"] in labels and SYNTHETIC_DATA["en"] in labels and "Nguồn / Sources" in labels
    assert layout["pdf"] and pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 50_000
    assert layout["image"]["non_background"] > 0.2 and layout["image"]["dominant"] < 0.35
    README_PNG.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(png, README_PNG)
    shutil.copyfile(page, README_PNG.with_name("qgis-layout.png"))
