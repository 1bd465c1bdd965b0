"""pygeoapi's HTML pages and the web map under dothi's Content-Security-Policy, in real headless
Chromium: no CSP violation, no script error, every request stays on loopback (no CDN, no
third-party basemap), Bootstrap and Leaflet load from /assets and the item maps draw features."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.api_config.test_webmap import ARGS, CHROMIUM
from tests.conftest import bearer

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
PAGES = [
    ("/?f=html", None),
    ("/collections?f=html", None),
    ("/collections/admin_units/items?f=html&limit=50", ".leaflet-interactive"),
    ("/collections/catalogue/items?f=html", None),
    ("/collections/admin_units?f=html", "#collection-map .leaflet-interactive"),
    ("/collections/admin_units/tiles?f=html", None),
    ("/jobs?f=html", None),
    ("/openapi?f=html", ".swagger-ui .info"),
    ("/map/", "canvas"),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser, api_keys: dict[str, str]) -> Iterator[Page]:
    # an analyst's key, as a browser behind the city's single sign-on would send: /jobs needs one
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, extra_http_headers=bearer(api_keys["ana"])
    )
    pg = context.new_page()
    yield pg
    context.close()


def _watch(page: Page) -> tuple[list[str], list[str], list[str]]:
    errors: list[str] = []
    violations: list[str] = []
    outside: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "request",
        lambda r: (
            None
            if urlsplit(r.url).hostname in LOOPBACK or r.url.startswith(("data:", "blob:"))
            else outside.append(r.url)
        ),
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))"
    )
    return errors, violations, outside


@pytest.mark.parametrize(("path", "drawn"), PAGES)
def test_pages_render_under_csp_without_third_party_requests(
    api_server: str, page: Page, path: str, drawn: str | None
) -> None:
    errors, _, outside = _watch(page)
    resp = page.goto(f"{api_server}{path}", wait_until="networkidle")
    assert resp is not None and resp.status == 200
    csp = resp.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'self'" in csp
    if drawn:
        page.wait_for_selector(drawn, state="attached", timeout=15000)
    if path.startswith(("/collections", "/?", "/jobs")):
        # Bootstrap is applied (served from /assets, not unpkg.com)
        assert page.evaluate("getComputedStyle(document.querySelector('.container')).maxWidth") != "none"
        assert "pygeoapi" not in (page.inner_text("footer") if page.query_selector("footer") else "")[-20:]
    assert not outside, outside
    assert not [e for e in errors if "CSP" in e or "Content Security Policy" in e], errors
    assert not errors, errors


def test_item_page_draws_its_feature(api_server: str, page: Page) -> None:
    errors, _, outside = _watch(page)
    items = page.request.get(f"{api_server}/collections/admin_units/items?f=json&limit=1").json()
    fid = items["features"][0]["id"]
    page.goto(f"{api_server}/collections/admin_units/items/{fid}?f=html", wait_until="networkidle")
    page.wait_for_selector("#items-map .leaflet-interactive", state="attached", timeout=15000)
    assert not outside and not errors, (outside, errors)
