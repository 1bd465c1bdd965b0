"""What the plan says about one point: the answer of ``GET /lookup`` and of the ``lookup`` process.

One statement (``sql/place.sql``) finds the wards of every vintage, the land-use zones and the flood
water levels at the point; one per indicator (``sql/indicator_values.sql``) reads the ward's value,
its rank and the city's value; the walking distances come from :mod:`api_config.lookup.walking`.
Every text is given in Vietnamese and English; ``lang`` picks the one shown in ``label`` fields.
"""

from __future__ import annotations

import math
from typing import Any

from psycopg2 import sql
from pyproj import Transformer

from analysis.indicators.grid import DEFAULT_CELL_M
from analysis.registry import INDICATORS
from analysis.tables import SCHEMA as ANALYSIS_SCHEMA
from api_config.lookup.walking import PACKAGE, WALK_INDEX, Cached
from gis.crs import DEFAULT_ANALYSIS_SRID, STORAGE_SRID
from gis.sqlfiles import load_sql
from layers.catalog import LAYERS
from layers.catalog.landuse_codes import LAND_USE_CODES
from layers.notices import SYNTHETIC_DATA, SYNTHETIC_RESULT

#: How far (degrees) outside the administrative units a point may be and still be looked up.
EXTENT_MARGIN_DEG = 0.02
LANGUAGES = ("vi", "en")
_TO_METRIC = Transformer.from_crs(STORAGE_SRID, DEFAULT_ANALYSIS_SRID, always_xy=True)
HAZARD = {
    "low": ("thấp", "low"),
    "medium": ("trung bình", "medium"),
    "high": ("cao", "high"),
    "very_high": ("rất cao", "very high"),
}
KINDS = {
    "school": ("Trường học", "School"),
    "clinic": ("Cơ sở y tế", "Health facility"),
    "market": ("Chợ", "Market"),
    "stop": ("Điểm dừng xe buýt", "Transit stop"),
    "park": ("Công viên, quảng trường", "Park or square"),
}


class LookupInputError(ValueError):
    """A bad look-up input: the message names the parameter, in Vietnamese and English."""


def _ident(layer: str) -> sql.Identifier:
    spec = LAYERS[layer]
    return sql.Identifier(spec.schema, spec.table)


def _extent(cur: Any) -> tuple[float, float, float, float] | None:
    cur.execute(sql.SQL(load_sql(PACKAGE, "city_extent")).format(admin=_ident("admin_units")))
    row = cur.fetchone()
    return None if row is None or row[0] is None else tuple(float(v) for v in row)  # type: ignore[return-value]


CITY_EXTENT = Cached(("admin_units",), _extent)


def parse_point(lon: Any, lat: Any) -> tuple[float, float]:
    """``lon``/``lat`` as finite numbers, or :class:`LookupInputError` naming the parameter."""
    out = []
    for name, value in (("lon", lon), ("lat", lat)):
        if value is None or value == "":
            raise LookupInputError(f"Thiếu tham số '{name}' / Parameter '{name}' is required.")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise LookupInputError(
                f"Tham số '{name}': {str(value)[:40]!r} không phải là số / "
                f"Parameter '{name}': {str(value)[:40]!r} is not a number."
            ) from None
        if not math.isfinite(number):
            raise LookupInputError(f"Tham số '{name}' phải hữu hạn / Parameter '{name}' must be finite.")
        out.append(number)
    return out[0], out[1]


def check_extent(cur: Any, lon: float, lat: float) -> None:
    """Refuse a point outside the city (the administrative units' extent plus a margin)."""
    extent = CITY_EXTENT.get(cur)
    if extent is None:
        raise LookupInputError("Chưa có ranh giới hành chính / No administrative units are loaded.")
    minx, miny, maxx, maxy = extent
    m = EXTENT_MARGIN_DEG
    if not (minx - m <= lon <= maxx + m and miny - m <= lat <= maxy + m):
        box = f"{minx - m:.3f},{miny - m:.3f},{maxx + m:.3f},{maxy + m:.3f}"
        raise LookupInputError(
            f"Tham số 'lon'/'lat': ({lon}, {lat}) nằm ngoài thành phố ({box}) / "
            f"Parameters 'lon'/'lat': ({lon}, {lat}) is outside the city ({box})."
        )


def lookup(cur: Any, lon: float, lat: float, lang: str = "vi") -> dict[str, Any]:
    """The planning look-up at (lon, lat); ``cur`` is a psycopg2 cursor (read-only is enough)."""
    if lang not in LANGUAGES:
        raise LookupInputError(
            f"Tham số 'lang': {lang[:10]!r} không phải vi, en / Parameter 'lang': not vi or en."
        )
    check_extent(cur, lon, lat)
    query = sql.SQL(load_sql(PACKAGE, "place")).format(
        admin=_ident("admin_units"), land_use=_ident("land_use"), flood=_ident("flood_zones")
    )
    cur.execute(query, {"lon": lon, "lat": lat})
    wards, land_use, flood = cur.fetchone()
    i = LANGUAGES.index(lang)
    answer: dict[str, Any] = {
        "point": {"lon": lon, "lat": lat},
        "lang": lang,
        "wards": [_ward(w, i) for w in wards],
        "land_use": {
            "current": [_zone(z, i) for z in land_use if z["status"] == "current"],
            "planned": [_zone(z, i) for z in land_use if z["status"] == "planned"],
        },
        "flood": [_flood(f, i) for f in flood],
        "flood_model": _flood_model(cur, lon, lat, i),
        "walking": _walking(cur, lon, lat, i),
        "indicators": _indicators(cur, [w["unit_id"] for w in wards], i),
    }
    answer["synthetic"] = _synthetic(answer)
    answer["notice"] = (
        {"vi": SYNTHETIC_DATA["vi"], "en": SYNTHETIC_DATA["en"], "label": SYNTHETIC_DATA[lang]}
        if answer["synthetic"]
        else None
    )
    return answer


def _ward(w: dict[str, Any], i: int) -> dict[str, Any]:
    name = w["name_vi"] if i == 0 else (w.get("name_en") or w["name_vi"])
    return {**w, "label": name}


def _zone(z: dict[str, Any], i: int) -> dict[str, Any]:
    code = LAND_USE_CODES.get(z["code"])
    meaning = {"vi": code.name_vi, "en": code.name_en, "group": code.group} if code else None
    label = f"{z['code']} — {(code.name_vi, code.name_en)[i]}" if code else z["code"]
    return {**z, "meaning": meaning, "label": label}


def _flood(f: dict[str, Any], i: int) -> dict[str, Any]:
    hazard = HAZARD.get(f["hazard"] or "")
    if f["flooded"]:
        label = (f"Ngập, nguy cơ {hazard[0]}", f"Flooded, {hazard[1]} hazard")[i] if hazard else "?"
    else:
        label = ("Không ngập", "Not flooded")[i]
    return {**f, "label": label}


def _flood_model(cur: Any, lon: float, lat: float, i: int) -> list[dict[str, Any]]:
    """The flood model's (``flood_exposure``) 100 m cell under the point, per modelled water level."""
    spec = INDICATORS.get("flood_exposure")
    if spec is None:
        return []
    if f"{ANALYSIS_SCHEMA}.{spec.table}" not in PRESENT.get(cur):
        return []
    query = sql.SQL(load_sql(PACKAGE, "flood_cell")).format(table=sql.Identifier(ANALYSIS_SCHEMA, spec.table))
    cur.execute(query, {"result_id": f"grid:{grid_cell(lon, lat)}"})
    row = cur.fetchone()
    if row is None:
        return []
    buildings = row[9]
    out = []
    for k in range(3):
        level, pop_pct, flooded_buildings = row[3 * k : 3 * k + 3]
        if level is None:
            continue
        building_pct = (
            _number(100.0 * flooded_buildings / buildings)
            if buildings and flooded_buildings is not None
            else None
        )
        exposed = bool((pop_pct or 0) > 0 or (flooded_buildings or 0) > 0)
        label = (
            (
                f"Mực nước {level:g} m: có ngập trong ô 100 m",
                f"Water level {level:g} m: flooding in the 100 m cell",
            )
            if exposed
            else (f"Mực nước {level:g} m: không ngập", f"Water level {level:g} m: not flooded")
        )[i]
        out.append(
            {
                "water_level_m": _number(level),
                "population_pct": _number(pop_pct),
                "buildings_pct": building_pct,
                "exposed": exposed,
                "cell": row[10],
                "label": label,
            }
        )
    return out


def grid_cell(lon: float, lat: float, size: int = DEFAULT_CELL_M) -> str:
    """The id of the reporting-grid cell (:func:`analysis.indicators.grid.cell_ids`) under a point,
    without building a GeoSeries for one point (tested against ``cell_ids``)."""
    x, y = _TO_METRIC.transform(lon, lat)
    return f"{DEFAULT_ANALYSIS_SRID}-{size}m-E{math.floor(x / size) * size}N{math.floor(y / size) * size}"


def _walking(cur: Any, lon: float, lat: float, i: int) -> dict[str, Any]:
    try:
        index = WALK_INDEX.get(cur)
    except LookupError:
        return {}
    out = {}
    for kind, nearest in index.nearest(lon, lat).items():
        titles = KINDS[kind]
        out[kind] = {
            "title_vi": titles[0],
            "title_en": titles[1],
            "label": titles[i],
            "distance_m": None if nearest is None else nearest.distance_m,
            "name": None if nearest is None else nearest.name,
            "synthetic": None if nearest is None else nearest.synthetic,
        }
    return out


def _present_tables(cur: Any) -> set[str]:
    cur.execute(
        "SELECT t FROM unnest(%(t)s::text[]) AS t WHERE to_regclass(t) IS NOT NULL",
        {"t": [f"{ANALYSIS_SCHEMA}.{ind.table}" for ind in INDICATORS.values()]},
    )
    return {row[0] for row in cur.fetchall()}


#: The indicator tables that exist (an indicator computed later appears after the next recheck).
PRESENT = Cached((), _present_tables)


def _indicators(cur: Any, units: list[str], i: int) -> list[dict[str, Any]]:
    present = PRESENT.get(cur)
    specs = [
        ind
        for ind in INDICATORS.values()
        if "ward" in ind.levels and f"{ANALYSIS_SCHEMA}.{ind.table}" in present
    ]
    if not specs:
        return []
    template = load_sql(PACKAGE, "indicator_values")
    query = sql.SQL(" UNION ALL ").join(
        sql.SQL(template).format(
            table=sql.Identifier(ANALYSIS_SCHEMA, ind.table),
            value=sql.Identifier(ind.value_column),
            position=sql.Literal(k),
        )
        for k, ind in enumerate(specs)
    )
    cur.execute(query, {"units": units})
    ward_rows: dict[int, dict[str, Any]] = {k: {} for k in range(len(specs))}
    city: dict[int, float | None] = {}
    for position, level, unit_id, vintage, value, rank, of in cur.fetchall():
        if level == "city":
            city[position] = _number(value)
        else:
            ward_rows[position][str(vintage)] = {
                "unit_id": unit_id,
                "value": _number(value),
                "rank": rank if value is not None else None,
                "of": of,
            }
    out = []
    for k, ind in enumerate(specs):
        if not ward_rows[k] and city.get(k) is None:
            continue
        out.append(
            {
                "id": ind.id,
                "title_vi": ind.title_vi,
                "title_en": ind.title_en,
                "label": (ind.title_vi, ind.title_en)[i],
                "unit": ind.unit,
                "ward": ward_rows[k],
                "city": city.get(k),
            }
        )
    return out


def _number(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return round(number, 4) if math.isfinite(number) else None


def _synthetic(answer: dict[str, Any]) -> bool:
    zones = answer["land_use"]["current"] + answer["land_use"]["planned"]
    walking = [w for w in answer["walking"].values() if w.get("synthetic")]
    return bool(
        any(z.get("synthetic") for z in zones)
        or any(f.get("synthetic") for f in answer["flood"])
        or walking
        or any(w.get("synthetic") for w in answer["wards"])
    )


#: What the indicators section means when it rests on generated data (shown with it).
INDICATOR_NOTICE = SYNTHETIC_RESULT
