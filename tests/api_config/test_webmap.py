"""The public web map in real headless Chromium (Debian's), driven by Playwright.

Checks what a citizen sees: the page loads without console errors, vector tiles are requested from
our OGC API and drawn, the ward choropleth and table show the indicator, switching the language changes
the text, and screenshots are saved in the test's tmp dir.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Browser, Page, sync_playwright
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL

from api_config.lookup.search import fold
from layers.notices import SYNTHETIC_DATA

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).is_file(), "Debian chromium is required: apt-get install chromium"
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def canvas_colours(page: Page) -> int:
    """Distinct colours sampled over every canvas of the map (OpenLayers draws layers on several)."""
    return page.evaluate(
        """() => { const seen = new Set();
                   for (const c of document.querySelectorAll('#map canvas')) {
                     if (!c.width || !c.height) continue;
                     const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                     for (let i = 0; i < d.length; i += 4 * 97) if (d[i + 3]) seen.add(d[i] + ',' + d[i+1] + ',' + d[i+2]);
                   }
                   return seen.size; }"""
    )


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    # bypass_csp: the test's own wait_for_function predicates are eval'd in the page, which the
    # page's Content-Security-Policy forbids; the page itself is checked under its CSP in
    # test_html_csp.py
    context = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)
    pg = context.new_page()
    yield pg
    context.close()


def test_map_page_loads_draws_tiles_and_switches_language(
    demo_api_server: str, page: Page, tmp_path: Path
) -> None:
    api_server = demo_api_server
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    tiles: list[int] = []
    external: list[str] = []

    def on_response(resp) -> None:
        if "/tiles/WebMercatorQuad/" in resp.url:
            tiles.append(resp.status)

    def on_request(req) -> None:
        if not req.url.startswith(api_server):
            external.append(req.url)

    page.on("response", on_response)
    page.on("request", on_request)
    page.goto(f"{api_server}/map/")
    page.wait_for_function("Number(document.body.dataset.loaded || 0) > 0", timeout=30_000)
    page.wait_for_timeout(1500)  # let the tile queue drain

    assert not errors, errors
    assert not external, f"the page fetched from outside our server: {external[:3]}"
    assert tiles and all(status in (200, 204) for status in tiles), tiles
    rows = page.locator("#table tbody tr")
    assert rows.count() == 17  # the 2019 wards and communes
    assert page.locator("#title").inner_text().startswith("dothi — Bản đồ")
    assert "Phường" in rows.first.inner_text()
    legend_vi = page.locator("#legend").inner_text()

    # the map canvas is drawn: not a single flat colour
    shot = tmp_path / "map-vi.png"
    page.screenshot(path=str(shot))
    assert canvas_colours(page) > 5

    # the layer list says which data is real and which synthetic
    layer_list = page.locator("#layers").inner_text()
    assert "thật" in layer_list and "tổng hợp" in layer_list
    # switching on a synthetic layer requests its tiles
    before = len(tiles)
    assert page.is_checked("#toggle-roads")  # the basemap is on from the start
    page.check("#toggle-schools")
    page.wait_for_timeout(1500)
    assert len(tiles) > before

    # another indicator changes the table
    first_values = page.locator("#table tbody").inner_text()
    options = page.locator("#indicator option").all_inner_texts()
    assert len(options) > 1
    page.select_option("#indicator", "health_access")
    page.wait_for_function("document.body.dataset.indicator === 'health_access'")
    page.wait_for_timeout(500)
    assert page.locator("#table tbody").inner_text() != first_values

    page.click("#lang-en")
    assert page.locator("#title").inner_text() == "dothi — Mỹ Tho urban map"
    assert page.locator("#h-layers").inner_text() == "Layers"
    assert page.locator("#table tbody tr").first.inner_text().startswith("Ward")

    # back to density; another vintage changes what is shown
    page.select_option("#indicator", "population_density")
    page.wait_for_function("document.body.dataset.indicator === 'population_density'")
    page.select_option("#vintage", "2025")
    page.wait_for_function("document.querySelectorAll('#table tbody tr').length === 5")
    assert page.locator("#legend").inner_text() != legend_vi
    page.screenshot(path=str(tmp_path / "map-en-2025.png"))
    assert not errors, errors

    # one classification: the legend's classes are the server's (meta.json, the QGIS styles, /styles)
    meta = requests.get(f"{api_server}/map/meta.json", timeout=30).json()
    classes = next(i for i in meta["indicators"] if i["id"] == "population_density")["classes"]
    swatches = page.eval_on_selector_all(
        "#legend div:not(.nodata) .swatch", "els => els.map(e => getComputedStyle(e).backgroundColor)"
    )
    assert swatches == [_rgb(c) for c in classes["colours"]]


def _rgb(hex_colour: str) -> str:
    """A ``#rrggbb`` colour as the browser's computed ``rgb(r, g, b)``."""
    r, g, b = (int(hex_colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgb({r}, {g}, {b})"


AXE = Path(__file__).resolve().parents[2] / "api_config/web/node_modules/axe-core/axe.min.js"
WEB = Path(__file__).resolve().parents[2] / "api_config/web"
SIZES = {"phone": (390, 844), "desktop": (1280, 800)}


def _school_name(demo_url: URL) -> str:
    eng = create_engine(demo_url)
    with eng.connect() as conn:
        name = conn.execute(
            text("SELECT name FROM infrastructure.schools WHERE name IS NOT NULL ORDER BY school_id LIMIT 1")
        ).scalar()
    eng.dispose()
    return str(name)


@pytest.mark.parametrize("size", list(SIZES))
def test_citizen_on_phone_and_desktop(
    demo_api_server: str, demo_url: URL, browser: Browser, size: str, tmp_path: Path
) -> None:
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
    page = context.new_page()
    errors: list[str] = []
    external: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: None if r.url.startswith(demo_api_server) else external.append(r.url))

    # without the trailing slash: redirected, and every asset loads
    page.goto(f"{demo_api_server}/map")
    assert page.url.startswith(f"{demo_api_server}/map/")
    page.wait_for_function("Number(document.body.dataset.loaded || 0) > 0", timeout=30_000)
    page.wait_for_timeout(1500)

    # the map takes most of the screen, not a strip beside the panel
    box = page.locator("#map").bounding_box()
    assert box is not None and box["height"] > 0.6 * height and box["width"] >= 0.65 * width
    assert canvas_colours(page) > 5
    # the synthetic notice is a visible banner in the wording of layers/notices.py
    assert page.locator("#notice").is_visible()
    assert SYNTHETIC_DATA["vi"] in page.locator("#notice").inner_text()
    assert page.locator(".ol-scale-line-inner").inner_text().strip()
    # the legend never shows infinities
    assert "∞" not in page.locator("#legend").inner_text()

    # search finds a school without typing its accents; choosing it looks the place up
    school = _school_name(demo_url)
    page.fill("#search", fold(school))
    page.wait_for_function("Number(document.body.dataset.search || 0) > 0", timeout=15_000)
    options = page.locator("#search-results li").all_inner_texts()
    assert any(school in o for o in options), options
    page.locator("#search-results li", has_text=school).first.click()
    page.wait_for_function("document.body.dataset.lookup === 'done'", timeout=15_000)
    lookup = page.locator("#lookup").inner_text()
    assert "Trường học" in lookup and school in lookup
    assert page.locator("#lookup").is_visible()
    page.screenshot(path=str(tmp_path / f"{size}-lookup.png"))

    # a click on the map: information on the layers under it (top-most first) and the look-up
    if size == "phone":
        page.click("#sheet-toggle")  # close the sheet
    page.evaluate("document.body.dataset.lookup = ''")
    map_box = page.locator("#map").bounding_box()
    assert map_box is not None
    page.mouse.click(map_box["x"] + map_box["width"] / 2, map_box["y"] + map_box["height"] * 0.3)
    page.wait_for_function("document.body.dataset.lookup === 'done'", timeout=15_000)
    clicked = page.evaluate("document.body.dataset.clicked").split(",")
    assert clicked and clicked[0], clicked
    assert "choropleth" not in clicked[:-1] or clicked[-1] == "choropleth"  # the choropleth is under the rest

    # the choropleth can be switched off and made lighter; the view and layers are in the URL
    if size == "phone":
        page.click("#sheet-toggle") if page.get_attribute(
            "#sheet-toggle", "aria-expanded"
        ) == "false" else None
    page.uncheck("#choropleth-on")
    page.fill("#opacity", "30")
    page.dispatch_event("#opacity", "input")
    page.check("#toggle-markets")
    url = page.url
    assert "c=0" in url and "op=30" in url and "markets" in url and "map=" in url
    page.goto("about:blank")
    page.goto(url)
    page.wait_for_function("Number(document.body.dataset.loaded || 0) > 0", timeout=30_000)
    assert not page.is_checked("#choropleth-on") and page.is_checked("#toggle-markets")
    assert page.input_value("#opacity") == "30"
    # downloads of every layer come from our OGC API
    hrefs = page.eval_on_selector_all("#layers a", "els => els.map(e => e.href)")
    assert hrefs and all(h.startswith(f"{demo_api_server}/collections/") for h in hrefs)
    assert any("f=csv" in h for h in hrefs) and any("f=json" in h for h in hrefs)

    assert not errors, errors
    assert not external, f"the page fetched from outside our server: {external[:3]}"
    context.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_axe_finds_no_serious_violation(demo_api_server: str, browser: Browser, size: str) -> None:
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{demo_api_server}/map/")
    page.wait_for_function("Number(document.body.dataset.loaded || 0) > 0", timeout=30_000)
    page.click("#sheet-toggle") if size == "phone" else None
    page.fill("#search", "cho")
    page.wait_for_function("document.body.dataset.search !== undefined", timeout=15_000)
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length}))"
    )
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, serious
    context.close()


def test_lighthouse_accessibility(demo_api_server: str, tmp_path: Path) -> None:
    """Lighthouse 12.2 (mobile profile) on the system Chromium: accessibility ≥ 0.95.  Performance is
    measured in bench/ (bench_webmap.py), not asserted here."""
    out = tmp_path / "lighthouse.json"
    run = subprocess.run(
        [
            str(WEB / "node_modules/.bin/lighthouse"),
            f"{demo_api_server}/map/",
            "--quiet",
            "--only-categories=accessibility",
            "--output=json",
            f"--output-path={out}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        ],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    report = json.loads(out.read_text())
    assert report["lighthouseVersion"].startswith("12.2")
    failed = [
        k
        for k, a in report["audits"].items()
        if a.get("score") == 0 and a.get("scoreDisplayMode") == "binary"
    ]
    assert report["categories"]["accessibility"]["score"] >= 0.95, failed
