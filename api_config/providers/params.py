"""Request parameters of OGC API – Features → SQL clauses with bind parameters (table alias ``t``)."""

from __future__ import annotations

from typing import Any

from dateutil.parser import isoparse
from psycopg2 import sql
from pygeoapi.provider.base import ProviderInvalidQueryError

from api_config.providers.tables import Field
from gis.crs import STORAGE_SRID

_TRUE = {"true", "1"}
_FALSE = {"false", "0"}


def _invalid(message: str) -> ProviderInvalidQueryError:
    return ProviderInvalidQueryError(message, user_msg=message)


def bbox_clause(bbox: list[float], geom_field: str, params: dict[str, Any]) -> sql.Composable:
    """``ST_Intersects`` with the box (storage CRS; pygeoapi has applied ``bbox-crs``)."""
    minx, miny, maxx, maxy = (bbox[0], bbox[1], bbox[3], bbox[4]) if len(bbox) == 6 else bbox
    params.update(bbox_minx=minx, bbox_miny=miny, bbox_maxx=maxx, bbox_maxy=maxy)
    return sql.SQL(
        "ST_Intersects(t.{}, ST_MakeEnvelope(%(bbox_minx)s, %(bbox_miny)s, %(bbox_maxx)s, %(bbox_maxy)s, {}))"
    ).format(sql.Identifier(geom_field), sql.Literal(STORAGE_SRID))


def _year(text: str) -> int | None:
    if text in ("", ".."):
        return None
    try:
        return isoparse(text).year
    except ValueError:
        raise _invalid(
            f"Parameter 'datetime': {text!r} is not an RFC 3339 date or date-time "
            "(e.g. 2019-04-01 or 2019-01-01/2020-12-31)."
        ) from None


def datetime_clause(value: str, time_field: str, params: dict[str, Any]) -> sql.Composable:
    """Features whose year (``vintage``) meets the instant or interval ``value``.

    A feature of vintage ``Y`` is valid through the calendar year ``Y``.
    """
    column = sql.SQL("t.{}").format(sql.Identifier(time_field))
    if "/" in value:
        start_text, _, end_text = value.partition("/")
        start, end = _year(start_text), _year(end_text)
    else:
        start = end = _year(value)
        if start is None:
            raise _invalid("Parameter 'datetime': '..' is only allowed in an interval.")
    parts: list[sql.Composable] = []
    if start is not None:
        params["dt_start"] = start
        parts.append(sql.SQL("{} >= %(dt_start)s").format(column))
    if end is not None:
        params["dt_end"] = end
        parts.append(sql.SQL("{} <= %(dt_end)s").format(column))
    if start is not None and end is not None and start > end:
        raise _invalid(f"Parameter 'datetime': the interval {value!r} ends before it starts.")
    return sql.SQL("({})").format(sql.SQL(" AND ").join(parts)) if parts else sql.SQL("TRUE")


def coerce(name: str, value: str, field: Field) -> Any:
    """A query-string value converted to the property's type; 400 naming the parameter if it cannot."""
    try:
        if field.type == "integer":
            return int(value)
        if field.type == "number":
            return float(value)
    except ValueError:
        raise _invalid(f"Parameter {name!r}: {value!r} is not a valid {field.type}.") from None
    if field.type == "boolean":
        low = value.lower()
        if low not in _TRUE | _FALSE:
            raise _invalid(f"Parameter {name!r}: {value!r} is not true or false.")
        return low in _TRUE
    return value


def property_clause(
    name: str, value: str, fields: dict[str, Field], params: dict[str, Any]
) -> sql.Composable:
    """``property=value`` (OGC API Features queryables as query parameters); unknown names → 400."""
    field = fields.get(name)
    if field is None:
        raise _invalid(
            f"Unknown query parameter {name!r}. Use the standard parameters (bbox, bbox-crs, crs, "
            "datetime, filter, filter-lang, filter-crs, limit, offset, properties, skipGeometry, "
            f"sortby, f, lang) or a queryable property: {', '.join(sorted(fields))}."
        )
    key = f"qp{len(params)}"
    params[key] = coerce(name, value, field)
    if field.type == "array":  # a list property matches when it holds the value
        return sql.SQL("{} = ANY(t.{})").format(sql.Placeholder(key), sql.Identifier(name))
    return sql.SQL("t.{} = {}").format(sql.Identifier(name), sql.Placeholder(key))
