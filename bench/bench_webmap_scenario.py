"""The web map's "add here" (scenario panel), measured in the browser: click → answer shown.

Headless Chromium (Debian's, through Playwright) opens ``/map/`` on a running demo server, types a
planner's API key into the scenario panel and, for each kind (school, health station, bus stop,
1 ha park), clicks the map at random points of the city's centre: the time from the click to the
answer drawn in the panel (``document.body.dataset.addMs``: the page's ``performance.now()`` around
the POST to ``/processes/scenario-evaluate/execution``, parsing and drawing).  The first click of
each kind is reported apart (a worker builds the indicator's baseline on its first request).

Usage::

    DOTHI_API_EXECUTE_RATE=0 DOTHI_API_PORT=5112 dothi serve          # the demo database
    dothi api-key create bench-web --role planner                     # prints the key
    .venv/bin/python bench/bench_webmap_scenario.py --url http://127.0.0.1:5112 --key KEY [--n 10] [--record]

``--record`` appends the figures to ``bench/RESULTS.md``.  Nothing is asserted: this is a measure.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
from datetime import UTC, datetime
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
]
KINDS = ("school", "health", "stop", "park")
#: The centre of Mỹ Tho (lon/lat box) where the clicks fall: streets and homes around.
CENTRE = (106.345, 10.35, 106.375, 10.37)


def _click(page: Page, lon: float, lat: float) -> tuple[str, float]:
    page.evaluate("document.body.dataset.add = ''")
    page.evaluate(
        "([lon, lat]) => { view.setCenter(ol.proj.fromLonLat([lon, lat])); map.renderSync(); }", [lon, lat]
    )
    x, y = page.evaluate(
        "([lon, lat]) => map.getPixelFromCoordinate(ol.proj.fromLonLat([lon, lat]))", [lon, lat]
    )
    box = page.locator("#map").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_function(
        "document.body.dataset.add === 'done' || (document.body.dataset.add || '').startsWith('error')",
        timeout=120_000,
    )
    return page.evaluate("document.body.dataset.add"), float(
        page.evaluate("document.body.dataset.addMs || 'NaN'")
    )


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def bench(url: str, key: str, n: int, size: tuple[int, int]) -> dict[str, str]:
    rng = random.Random(2019)
    rows: dict[str, str] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        # bypass_csp: the benchmark's wait predicates are evaluated in the page
        context = browser.new_context(viewport={"width": size[0], "height": size[1]}, bypass_csp=True)
        page = context.new_page()
        page.goto(f"{url}/map/")
        page.wait_for_function("Number(document.body.dataset.loaded || 0) > 0", timeout=60_000)
        page.wait_for_function("document.body.dataset.scenarios !== undefined", timeout=30_000)
        page.fill("#api-key", key)
        page.dispatch_event("#api-key", "change")
        page.click("#add-mode")
        for kind in KINDS:
            page.select_option("#add-kind", kind)
            outcome, first = _click(
                page, rng.uniform(CENTRE[0], CENTRE[2]), rng.uniform(CENTRE[1], CENTRE[3])
            )
            assert outcome == "done", f"{kind}: {outcome}"
            times = []
            for _ in range(n):
                outcome, ms = _click(
                    page, rng.uniform(CENTRE[0], CENTRE[2]), rng.uniform(CENTRE[1], CENTRE[3])
                )
                assert outcome == "done", f"{kind}: {outcome}"
                times.append(ms)
            rows[kind] = (
                f"first {first:.0f} ms; next {n}: p50 {statistics.median(times):.0f} ms, "
                f"p95 {_pct(times, 95):.0f} ms, max {max(times):.0f} ms"
            )
        browser.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=f"http://127.0.0.1:{os.environ.get('DOTHI_API_PORT', '5000')}")
    parser.add_argument("--key", default=os.environ.get("DOTHI_BENCH_KEY"), help="a planner's API key")
    parser.add_argument("--n", type=int, default=10, help="clicks per kind after the first")
    parser.add_argument("--record", action="store_true", help="append the figures to bench/RESULTS.md")
    args = parser.parse_args()
    if not args.key:
        parser.error(
            "--key (or DOTHI_BENCH_KEY): a planner's API key (dothi api-key create NAME --role planner)"
        )
    rows = bench(args.url, args.key, args.n, (1366, 900))
    load = os.getloadavg()[0]
    lines = [
        f"## Web map scenario panel: click → answer in the browser (issue 14, scenweb) — "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores (shared; load average "
        f"{load:.1f} at the end). "
        f"Command: `.venv/bin/python bench/bench_webmap_scenario.py --url {args.url} --key … --n {args.n}`; "
        "server: `DOTHI_API_EXECUTE_RATE=0 dothi serve` on the demo database (2 workers); headless "
        "Chromium 1366×900; random clicks in the city centre; time from the click to the answer drawn "
        "(POST `scenario-evaluate` with one inline edit and the kind's access indicator, parse, draw).",
        "",
        "| added at a click | click → answer shown |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in rows.items()),
        "",
    ]
    print("\n".join(lines))
    if args.record:
        with (HERE / "RESULTS.md").open("a", encoding="utf-8") as f:
            f.write("\n" + "\n".join(lines))


if __name__ == "__main__":
    main()
