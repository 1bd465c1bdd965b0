"""The public web map in real headless Chromium (Debian's), driven by Playwright.

Checks what a citizen sees: the page loads without console errors, vector tiles are requested from
our OGC API and drawn, the ward choropleth and table show the indicator, switching the language changes
the text, and screenshots are saved in the test's tmp dir.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

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
    canvas_colours = page.evaluate(
        """() => { const c = document.querySelector('#map canvas');
                   const ctx = c.getContext('2d'); const d = ctx.getImageData(0, 0, c.width, c.height).data;
                   const seen = new Set(); for (let i = 0; i < d.length; i += 4 * 97) seen.add(d[i] + ',' + d[i+1] + ',' + d[i+2]);
                   return seen.size; }"""
    )
    assert canvas_colours > 5

    # the layer list says which data is real and which synthetic
    layer_list = page.locator("#layers").inner_text()
    assert "thật" in layer_list and "tổng hợp" in layer_list
    # switching on a synthetic layer requests its tiles
    before = len(tiles)
    page.check("#toggle-roads")
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
