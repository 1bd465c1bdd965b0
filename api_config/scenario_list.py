"""``GET /scenarios``: the published scenarios, for the public map's scenario panel and for scripts.

Anonymous and read-only (the reader's connection, which may read the ``scenario.published_*`` views
only): name, titles and descriptions in Vietnamese and English, the scenario it builds on, when it
was evaluated, and the indicators (and ward boundary vintages) with published ward results.  The
results themselves are the ``scenario-results`` collection
(``/collections/scenario-results/items?scenario=NAME&indicator_id=ID&level=ward``).  A route rather
than a list in ``meta.json``: ``meta.json`` is written when the API configuration is generated, and
a scenario published afterwards must show without regenerating it.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from api_config.lookup.web import _json, _problem, reader_data
from api_config.providers.db import engine_for
from api_config.scenario_collection import COLLECTION_ID
from gis.sqlfiles import load_sql
from layers.notices import SCENARIO_RESULT, SYNTHETIC_RESULT

ROUTE = "/scenarios"
STATEMENT_TIMEOUT_MS = 5000
_PARAMS = {"f", "lang"}


def listing(cur: Any) -> list[dict[str, Any]]:
    """The published scenarios (empty when the database has no ``scenario`` schema)."""
    cur.execute("SELECT to_regclass('scenario.published_scenarios')")
    if cur.fetchone()[0] is None:
        return []
    cur.execute(load_sql("api_config", "published_scenarios"))
    out = []
    for row in cur.fetchall():
        name, t_vi, t_en, d_vi, d_en, parent, evaluated, updated, indicators, vintages, synthetic, area = row
        out.append(
            {
                "name": name,
                "area": area,
                "title_vi": t_vi or name,
                "title_en": t_en or t_vi or name,
                "description_vi": d_vi,
                "description_en": d_en,
                "parent": parent,
                "evaluated_at": evaluated.isoformat() if evaluated else None,
                "updated_at": updated.isoformat() if updated else None,
                "indicators": sorted(indicators),
                "vintages": sorted(int(v) for v in vintages if v is not None),
                "synthetic": bool(synthetic),
                "results": f"/collections/{COLLECTION_ID}/items?scenario={name}",
            }
        )
    return out


def blueprint(config: dict[str, Any]) -> Blueprint:
    """The route, reading through the published collections' connection."""
    bp = Blueprint("dothi_scenarios", __name__)
    data = reader_data(config)

    @bp.route(ROUTE)
    def scenarios_view() -> Response:
        extra = sorted(set(request.args) - _PARAMS)
        if extra:
            return _problem(
                400,
                f"Tham số không hợp lệ / Unknown parameter(s): {', '.join(map(repr, extra))}; "
                f"allowed: {', '.join(sorted(_PARAMS))}.",
            )
        if request.args.get("f", "json") != "json":
            return _problem(400, "Tham số 'f' chỉ nhận json / Parameter 'f': only json is offered.")
        scenarios: list[dict[str, Any]] = []
        if data is not None:
            engine = engine_for(
                data, {"statement_timeout_ms": STATEMENT_TIMEOUT_MS, "pool_size": 1}, read_only=True
            )
            with engine.connect() as conn:
                scenarios = listing(conn.connection.driver_connection.cursor())  # type: ignore[union-attr]
        response = _json(
            {
                "scenarios": scenarios,
                "notice": SCENARIO_RESULT,
                "synthetic_notice": SYNTHETIC_RESULT,
                "collection": f"/collections/{COLLECTION_ID}/items",
            }
        )
        response.headers["Cache-Control"] = "no-cache"  # a scenario published a minute ago shows
        return response

    return bp
