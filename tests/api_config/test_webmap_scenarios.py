"""The web map's scenario panel in real headless Chromium against `dothi serve` on the demo database.

* ``GET /scenarios`` lists published scenarios only (anonymous, read-only);
* an anonymous visitor picks a published scenario (created, evaluated and published here through the
  Python API): the ward table shows the values of the ``scenario-results`` collection, the panel the
  scenario notice of ``layers/notices.py``; the "add here" mode is refused with a readable message;
* a planner (API key typed into the panel) clicks to add a school: the panel shows the city and ward
  changes the process returns for the same edit (replayed over HTTP).

Screenshots of the panel (phone 390×844, desktop 1366×900) are written to ``docs/img/``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import Browser, Page, sync_playwright
from shapely.geometry import Point
from sqlalchemy.engine import URL, Engine

from analysis.scenarios import store
from analysis.scenarios.edits import Edit
from analysis.scenarios.evaluate import evaluate_edits
from gis.engine import create_engine
from layers.notices import SCENARIO_RESULT
from tests.api_config.test_webmap import ARGS, AXE, CHROMIUM
from tests.conftest import bearer

PUBLISHED, PRIVATE = "t-web-pub", "t-web-private"
CENTRE = (106.362, 10.358)
#: Where the tests click to add a school (inside the city, among homes: the answer has ward changes).
CLICK = (106.3612, 10.3572)
IMG = Path(__file__).resolve().parents[2] / "docs/img"
SIZES = {"phone": (390, 844), "desktop": (1366, 900)}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def demo_engine(demo_url: URL) -> Iterator[Engine]:
    eng = create_engine(demo_url)
    yield eng
    eng.dispose()


@pytest.fixture(scope="module")
def published(demo_engine: Engine, demo_data_dir: Path, demo_api_server: str) -> Iterator[str]:
    """One published scenario (a new school, evaluated for education access) and one private one."""
    for name in (PUBLISHED, PRIVATE):
        if name in {s["name"] for s in store.list_all(demo_engine)}:
            store.delete(demo_engine, name)
    store.create(
        demo_engine,
        PUBLISHED,
        title_vi="Trường tiểu học mới ở trung tâm",
        title_en="A new primary school in the centre",
        description_vi="Một trường tiểu học 500 chỗ.",
        description_en="One primary school with 500 seats.",
        author="alice",
    )
    store.add_edits(
        demo_engine,
        PUBLISHED,
        [Edit("schools", "add", "t-web-school", Point(*CENTRE), {"level": "primary", "capacity": 500})],
        author="alice",
    )
    changes = evaluate_edits(
        demo_engine,
        store.effective_edits(demo_engine, PUBLISHED),
        only=["education_access"],
        data_dir=demo_data_dir,
    )
    store.save_results(demo_engine, PUBLISHED, changes, publish=True)
    store.create(demo_engine, PRIVATE, title_vi="Nháp", title_en="Draft", author="alice")
    yield PUBLISHED
    for name in (PUBLISHED, PRIVATE):
        store.delete(demo_engine, name)


@pytest.fixture(scope="module")
def planner(demo_engine: Engine, demo_api_server: str) -> str:
    """A planner's key; the workers' education baselines built first (a few requests on new
    connections reach both workers, most likely), so that the clicks show the steady answer time, as a planner sees it after the
    first click of the day."""
    from api_config.security.keys import create_key

    token = create_key(demo_engine, "web-planner", "planner")[1]
    edit = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"layer": "schools", "op": "add", "school_id": "warm", "level": "primary"},
                "geometry": {"type": "Point", "coordinates": list(CENTRE)},
            }
        ],
    }

    def warm(_: int) -> int:
        return requests.post(
            f"{demo_api_server}/processes/scenario-evaluate/execution",
            json={"inputs": {"edits": edit, "indicators": ["education_access"]}},
            headers=bearer(token),
            timeout=300,
        ).status_code

    # one after the other: the server runs one synchronous execution at a time (DOTHI_API_MAX_JOBS)
    assert [warm(i) for i in range(4)] == [200] * 4
    return token


def _open(browser: Browser, base: str, size: str) -> tuple[Page, list[str]]:
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{base}/map/")
    page.wait_for_function("Number(document.body.dataset.loaded || 0) > 0", timeout=30_000)
    page.wait_for_function("Number(document.body.dataset.scenarios || 0) > 0", timeout=15_000)
    if size == "phone":
        page.click("#sheet-toggle")
    return page, errors


def _rows(page: Page, selector: str) -> list[dict[str, Any]]:
    return page.eval_on_selector_all(
        selector,
        "els => els.map(e => ({cls: e.className, unit: e.dataset.unit, vintage: e.dataset.vintage, "
        "before: Number(e.dataset.before), after: Number(e.dataset.after), "
        "change: Number(e.dataset.change), text: e.innerText}))",
    )


def _results(base: str, level: str) -> list[dict[str, Any]]:
    resp = requests.get(
        f"{base}/collections/scenario-results/items",
        params={"scenario": PUBLISHED, "indicator_id": "education_access", "level": level, "limit": 1000},
        timeout=60,
    )
    assert resp.status_code == 200, resp.text
    return [f["properties"] for f in resp.json()["features"]]


def _click_at(page: Page, lonlat: tuple[float, float]) -> None:
    """Centre the map on ``lonlat`` and click there (as a person would: a mouse click on the canvas)."""
    page.wait_for_timeout(400)  # let a running view animation end
    page.evaluate(
        "([lon, lat]) => { view.setCenter(ol.proj.fromLonLat([lon, lat])); map.renderSync(); }", list(lonlat)
    )
    x, y = page.evaluate(
        "([lon, lat]) => map.getPixelFromCoordinate(ol.proj.fromLonLat([lon, lat]))", list(lonlat)
    )
    box = page.locator("#map").bounding_box()
    assert box is not None and 0 < x < box["width"] and 0 < y < box["height"], (x, y, box)
    page.mouse.click(box["x"] + x, box["y"] + y)


def _scroll_to_panel(page: Page, size: str) -> None:
    """Phone: the scenario heading at the top of the sheet; desktop: down to the end of the answer."""
    if size == "phone":
        page.evaluate("document.getElementById('h-scenario').scrollIntoView({block: 'start'})")
    else:
        page.evaluate("document.getElementById('add-result').scrollIntoView({block: 'end'})")


def test_scenarios_route_lists_published_only(demo_api_server: str, published: str) -> None:
    resp = requests.get(f"{demo_api_server}/scenarios", timeout=30)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    names = [s["name"] for s in body["scenarios"]]
    assert PUBLISHED in names and PRIVATE not in names
    entry = next(s for s in body["scenarios"] if s["name"] == PUBLISHED)
    assert entry["title_en"] == "A new primary school in the centre" and entry["title_vi"].startswith(
        "Trường"
    )
    assert entry["indicators"] == ["education_access"] and entry["vintages"]
    assert body["notice"] == SCENARIO_RESULT
    bad = requests.get(f"{demo_api_server}/scenarios", params={"name": "x"}, timeout=30)
    assert bad.status_code == 400 and "'name'" in bad.json()["description"]


def test_anonymous_visitor_picks_a_published_scenario(
    demo_api_server: str, published: str, browser: Browser
) -> None:
    page, errors = _open(browser, demo_api_server, "desktop")
    options = page.eval_on_selector_all("#scenario option", "els => els.map(e => e.value)")
    assert PUBLISHED in options and PRIVATE not in options
    page.select_option("#scenario", PUBLISHED)
    page.wait_for_function(
        f"(document.body.dataset.scenario || '').startsWith('{PUBLISHED}|education_access|')"
    )
    vintage = int(page.input_value("#scen-vintage"))
    wards = [w for w in _results(demo_api_server, "ward") if w["vintage"] == vintage]
    city = [c for c in _results(demo_api_server, "city") if c["vintage"] in (None, vintage)]
    assert wards and city
    shown = _rows(page, "#scen-table tbody tr")
    assert [r["unit"] for r in shown if r["cls"] == "city"] == [c["unit_id"] for c in city]
    expected = {w["unit_id"]: w for w in wards}
    shown_wards = {r["unit"]: r for r in shown if r["cls"] == "ward"}
    assert set(shown_wards) == set(expected)
    for unit_id, row in shown_wards.items():
        for key in ("before", "after", "change"):
            assert row[key] == pytest.approx(expected[unit_id][key], rel=1e-12, abs=1e-12), (unit_id, key)
        assert expected[unit_id]["name_vi"] in row["text"]
    # the scenario notice of layers/notices.py, a legend with the unit, the difference map drawn
    assert SCENARIO_RESULT["vi"] in page.locator("#scenario-notice").inner_text()
    assert (
        "%" in page.locator("#scen-legend").inner_text()
        and "tăng" in page.locator("#scen-legend").inner_text()
    )
    assert page.evaluate(
        "map.getLayers().getArray().find(l => l.get('id') === 'scenario').getSource().getFeatures().length"
    ) == len(wards)
    page.click("#lang-en")
    assert page.locator("#h-scenario").inner_text() == "Planning scenarios"
    assert SCENARIO_RESULT["en"] in page.locator("#scenario-notice").inner_text()
    assert page.locator("#scen-table tbody tr.city td").first.inner_text() == "Whole city"

    # an anonymous "add here" is refused by the server, and the panel says why
    page.click("#lang-vi")
    page.select_option("#add-kind", "school")
    page.click("#add-mode")
    assert page.get_attribute("#add-mode", "aria-pressed") == "true"
    _click_at(page, CLICK)
    page.wait_for_function("(document.body.dataset.add || '').startsWith('error')", timeout=30_000)
    assert page.evaluate("document.body.dataset.add") == "error-401"
    alert = page.locator("#add-result [role=alert]")
    assert alert.is_visible() and "khoá API" in alert.inner_text()
    page.click("#lang-en")  # the message follows the language
    assert "API key is needed" in page.locator("#add-result [role=alert]").inner_text()
    # a wrong key is refused the same way
    page.fill("#api-key", "dothi_not_a_key")
    page.dispatch_event("#api-key", "change")
    page.evaluate("document.body.dataset.add = ''")
    _click_at(page, CLICK)
    page.wait_for_function("document.body.dataset.add === 'error-401'", timeout=30_000)
    assert "API key is needed" in page.locator("#add-result [role=alert]").inner_text()
    page.click("#key-forget")
    assert page.evaluate("sessionStorage.getItem('dothi.apiKey')") is None
    assert not [e for e in errors if "401" not in e], errors
    page.context.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_planner_adds_a_school_and_sees_the_process_answer(
    demo_api_server: str, published: str, planner: str, browser: Browser, size: str
) -> None:
    page, errors = _open(browser, demo_api_server, size)
    page.fill("#api-key", planner)
    page.dispatch_event("#api-key", "change")
    assert planner not in page.url
    assert page.evaluate("sessionStorage.getItem('dothi.apiKey')") == planner
    page.select_option("#scenario", PUBLISHED)
    page.wait_for_function(f"(document.body.dataset.scenario || '').startsWith('{PUBLISHED}|')")
    page.select_option("#add-kind", "school")
    sent: list[str] = []
    page.on(
        "request",
        lambda r: (
            sent.append(r.post_data or "")
            if r.url.endswith("/processes/scenario-evaluate/execution")
            else None
        ),
    )
    page.click("#add-mode")
    _click_at(page, CLICK)
    page.wait_for_function(
        "['done'].includes(document.body.dataset.add) || (document.body.dataset.add || '').startsWith('error')",
        timeout=60_000,
    )
    assert page.evaluate("document.body.dataset.add") == "done", page.locator("#add-result").inner_text()
    assert len(sent) == 1
    request_body = json.loads(sent[0])
    feature = request_body["inputs"]["edits"]["features"][0]
    assert feature["properties"]["layer"] == "schools" and feature["geometry"]["type"] == "Point"

    # the same edit through the process: the panel shows exactly its city and ward changes
    answer = requests.post(
        f"{demo_api_server}/processes/scenario-evaluate/execution",
        json=request_body,
        headers=bearer(planner),
        timeout=120,
    )
    assert answer.status_code == 200, answer.text
    vintage = int(page.get_attribute(".scen-answer", "data-vintage") or 0)
    units = [
        u for u in answer.json()["indicators"]["education_access"]["units"] if u["vintage"] in (None, vintage)
    ]
    shown = _rows(page, ".scen-answer tbody tr")
    assert len(shown) == len(units) and any(r["cls"] == "city" for r in shown)
    expected = {u["unit_id"]: u for u in units}
    assert {r["unit"] for r in shown} == set(expected)
    for row in shown:
        u = expected[row["unit"]]
        for k in ("before", "after", "change"):
            assert row[k] == pytest.approx(u[k], rel=1e-9, abs=1e-12), (row["unit"], k)
    assert SCENARIO_RESULT[page.evaluate("state.lang")] in page.locator("#add-result").inner_text()
    drawn = page.evaluate(  # cells the map can draw: each needs its polygon from the answer
        "map.getLayers().getArray().find(l => l.get('id') === 'scenario-cells').getSource().getFeatures()"
        ".filter(f => f.getGeometry() && f.getGeometry().getType().endsWith('Polygon')).length"
    )
    answered = answer.json()["indicators"]["education_access"]["grid_cells"]["features"]
    assert answered and drawn == len(answered)
    print(f"click-to-answer ({size}, browser): {page.evaluate('document.body.dataset.addMs')} ms")

    if size == "desktop":
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length}))"
        )
        assert not [v for v in violations if v["impact"] in ("serious", "critical")], violations
    _scroll_to_panel(page, size)
    page.wait_for_timeout(800)  # tiles under the difference map
    IMG.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(IMG / f"map-scenario-{size}.png"))
    assert not errors, errors
    page.context.close()
