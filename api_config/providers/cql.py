"""CQL2 (text or JSON, parsed by pygeofilter) → a SQL ``WHERE`` clause with bind parameters.

Supported, and declared in ``/conformance``: basic CQL2 (comparisons, ``AND``/``OR``/``NOT``,
``IS NULL``), advanced comparison operators (``LIKE``, ``BETWEEN``, ``IN``) and the spatial
functions (``S_INTERSECTS``, ``S_DISJOINT``, ``S_CONTAINS``, ``S_WITHIN``, ``S_TOUCHES``,
``S_CROSSES``, ``S_OVERLAPS``, ``S_EQUALS`` on any geometry literal or ``BBOX``) and ``CASEI``.
Anything else — temporal operators, arithmetic, other functions, array operators, ``RELATE``,
``DWITHIN`` — is refused with :class:`FilterError` (HTTP 400), never silently ignored.

Attribute names are checked against the published fields and quoted with
:class:`psycopg2.sql.Identifier`; every literal is a bind parameter.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from psycopg2 import sql
from pygeofilter import ast, values

from api_config.providers.tables import Field
from gis.crs import STORAGE_SRID

#: The filter conformance classes this translator really implements.
FILTER_CONFORMANCE = (
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
    "http://www.opengis.net/spec/cql2/1.0/conf/case-insensitive-comparison",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus",
    "http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions",
)

_SPATIAL = {
    ast.GeometryIntersects: "ST_Intersects",
    ast.GeometryDisjoint: "ST_Disjoint",
    ast.GeometryContains: "ST_Contains",
    ast.GeometryWithin: "ST_Within",
    ast.GeometryTouches: "ST_Touches",
    ast.GeometryCrosses: "ST_Crosses",
    ast.GeometryOverlaps: "ST_Overlaps",
    ast.GeometryEquals: "ST_Equals",
}


class FilterError(ValueError):
    """The filter uses something this collection cannot evaluate."""


class SqlFilter:
    """Translate one pygeofilter tree into SQL for a table aliased ``t``.

    Parameters
    ----------
    fields:
        The published fields (name → :class:`Field`); other names are refused.
    geom_field:
        The geometry column.
    prefix:
        Prefix of the bind-parameter names (several filters can share one query).
    """

    def __init__(self, fields: dict[str, Field], *, geom_field: str = "geom", prefix: str = "f") -> None:
        self.fields = fields
        self.geom_field = geom_field
        self.prefix = prefix
        self.params: dict[str, Any] = {}
        self._handlers: dict[type, Callable[[Any], sql.Composable]] = {
            ast.And: self._combination,
            ast.Or: self._combination,
            ast.Not: self._not,
            ast.Between: self._between,
            ast.Like: self._like,
            ast.In: self._in,
            ast.IsNull: self._isnull,
            ast.Include: self._include,
            ast.BBox: self._bbox,
        }

    def compile(self, node: Any) -> sql.Composable:
        """SQL for ``node``; raises :class:`FilterError` for what is not supported."""
        if isinstance(node, ast.Comparison):
            return self._comparison(node)
        if type(node) in _SPATIAL:
            return self._spatial(node)
        handler = self._handlers.get(type(node))
        if handler is None:
            raise FilterError(f"{_name(node)} is not supported by this server.")
        return handler(node)

    # -- values -------------------------------------------------------------------------------
    def _bind(self, value: Any) -> sql.Composable:
        name = f"{self.prefix}{len(self.params)}"
        self.params[name] = value
        return sql.Placeholder(name)

    def _column(self, node: ast.Attribute) -> tuple[sql.Composable, Field | None]:
        if node.name == self.geom_field:
            return sql.SQL("t.{}").format(sql.Identifier(self.geom_field)), None
        field = self.fields.get(node.name)
        if field is None:
            known = ", ".join(sorted(self.fields))
            raise FilterError(f"unknown property {node.name!r}; queryable properties: {known}.")
        if field.type == "array":
            raise FilterError(
                f"property {node.name!r} is a list and cannot be filtered with CQL2 here; "
                f"use the query parameter {node.name}=VALUE (items whose list holds VALUE)."
            )
        return sql.SQL("t.{}").format(sql.Identifier(node.name)), field

    def _scalar(self, node: Any, like: Field | None = None) -> sql.Composable:
        if isinstance(node, ast.Attribute):
            return self._column(node)[0]
        if isinstance(node, bool | int | float | str | date | datetime) or node is None:
            return self._bind(_coerce(node, like))
        if isinstance(node, ast.Function) and node.name == "lower" and len(node.arguments) == 1:
            # pygeofilter parses CQL2 CASEI(x) as lower(x)
            return sql.SQL("lower({}::text)").format(self._scalar(node.arguments[0], like))
        raise FilterError(f"{_name(node)} cannot be used as a value here.")

    def _pair(self, lhs: Any, rhs: Any) -> tuple[sql.Composable, sql.Composable]:
        left_field = self._column(lhs)[1] if isinstance(lhs, ast.Attribute) else None
        right_field = self._column(rhs)[1] if isinstance(rhs, ast.Attribute) else None
        return self._scalar(lhs, right_field), self._scalar(rhs, left_field)

    def _geometry(self, node: Any) -> sql.Composable:
        if isinstance(node, ast.Attribute):
            column, field = self._column(node)
            if field is not None:
                raise FilterError(f"property {node.name!r} is not a geometry.")
            return column
        if isinstance(node, values.Envelope):
            return sql.SQL("ST_MakeEnvelope({}, {}, {}, {}, {})").format(
                self._bind(float(node.x1)),
                self._bind(float(node.y1)),
                self._bind(float(node.x2)),
                self._bind(float(node.y2)),
                sql.Literal(STORAGE_SRID),
            )
        if isinstance(node, values.Geometry):
            return sql.SQL("ST_SetSRID(ST_GeomFromGeoJSON({}), {})").format(
                self._bind(json.dumps(node.geometry)), sql.Literal(STORAGE_SRID)
            )
        if isinstance(node, ast.Function) and node.name == "bbox" and len(node.arguments) == 4:
            try:
                x1, y1, x2, y2 = (float(v) for v in node.arguments)
            except (TypeError, ValueError):
                raise FilterError("BBOX() needs four numbers.") from None
            return self._geometry(values.Envelope(x1, x2, y1, y2))
        raise FilterError(f"{_name(node)} is not a geometry.")

    # -- predicates ---------------------------------------------------------------------------
    def _combination(self, node: ast.Combination) -> sql.Composable:
        joiner = sql.SQL(" AND " if isinstance(node, ast.And) else " OR ")
        parts = [self.compile(node.lhs), self.compile(node.rhs)]
        return sql.SQL("({})").format(joiner.join(parts))

    def _not(self, node: ast.Not) -> sql.Composable:
        return sql.SQL("(NOT {})").format(self.compile(node.sub_node))

    def _comparison(self, node: ast.Comparison) -> sql.Composable:
        left, right = self._pair(node.lhs, node.rhs)
        return sql.SQL("({} {} {})").format(left, sql.SQL(node.op.value), right)

    def _between(self, node: ast.Between) -> sql.Composable:
        field = self._column(node.lhs)[1] if isinstance(node.lhs, ast.Attribute) else None
        return sql.SQL("({} {}BETWEEN {} AND {})").format(
            self._scalar(node.lhs),
            sql.SQL("NOT " if node.not_ else ""),
            self._scalar(node.low, field),
            self._scalar(node.high, field),
        )

    def _like(self, node: ast.Like) -> sql.Composable:
        if not isinstance(node.pattern, str):
            raise FilterError("LIKE needs a text pattern.")
        # CQL2 wildcards are PostgreSQL's: % any string, _ one character, \\ escapes.
        pattern = node.pattern
        op = ("NOT " if node.not_ else "") + ("ILIKE" if node.nocase else "LIKE")
        return sql.SQL("({}::text {} {})").format(self._scalar(node.lhs), sql.SQL(op), self._bind(pattern))

    def _in(self, node: ast.In) -> sql.Composable:
        field = self._column(node.lhs)[1] if isinstance(node.lhs, ast.Attribute) else None
        items = sql.SQL(", ").join(self._scalar(v, field) for v in node.sub_nodes)
        return sql.SQL("({} {}IN ({}))").format(
            self._scalar(node.lhs), sql.SQL("NOT " if node.not_ else ""), items
        )

    def _isnull(self, node: ast.IsNull) -> sql.Composable:
        return sql.SQL("({} IS {}NULL)").format(self._scalar(node.lhs), sql.SQL("NOT " if node.not_ else ""))

    def _include(self, node: ast.Include) -> sql.Composable:
        return sql.SQL("FALSE" if node.not_ else "TRUE")

    def _spatial(self, node: ast.SpatialComparisonPredicate) -> sql.Composable:
        function = sql.SQL(_SPATIAL[type(node)])
        return sql.SQL("{}({}, {})").format(function, self._geometry(node.lhs), self._geometry(node.rhs))

    def _bbox(self, node: ast.BBox) -> sql.Composable:
        if node.crs not in (None, "", "http://www.opengis.net/def/crs/OGC/1.3/CRS84"):
            raise FilterError(f"BBOX with CRS {node.crs!r} is not supported; use filter-crs instead.")
        envelope = values.Envelope(node.minx, node.maxx, node.miny, node.maxy)
        return sql.SQL("ST_Intersects({}, {})").format(self._geometry(node.lhs), self._geometry(envelope))


def _name(node: Any) -> str:
    if isinstance(node, ast.Function):
        return f"function {node.name.upper()}()"
    return type(node).__name__


def _coerce(value: Any, field: Field | None) -> Any:
    """Convert a literal to the type of the property it is compared with."""
    if field is None or value is None:
        return value
    try:
        if field.type == "integer" and not isinstance(value, bool):
            if isinstance(value, float) and not value.is_integer():
                return value  # compared as numeric by PostgreSQL
            return int(value)
        if field.type == "number" and not isinstance(value, bool):
            return float(value)
    except (TypeError, ValueError):
        raise FilterError(f"{value!r} is not a valid {field.type} for property {field.name!r}.") from None
    if field.type == "boolean" and not isinstance(value, bool):
        raise FilterError(f"{value!r} is not a boolean for property {field.name!r}.")
    if field.type == "string" and not isinstance(value, str):
        return str(value)
    return value
