"""A fast PostGIS feature provider for pygeoapi (OGC API – Features).

One SQL statement per page builds the GeoJSON features in the database (``json_build_object`` +
``ST_AsGeoJSON``): no shapely, no per-row Python.  Filters are index-friendly (``ST_Intersects`` on the
GiST-indexed ``geom``), output CRSs are integer SRIDs transformed in PostGIS, paging uses a deferred
join, connections come from one pooled engine per process with a ``statement_timeout``.

``numberMatched`` is exact when that is cheap — the table holds fewer than :data:`EXACT_COUNT_ROWS`
rows (``pg_class.reltuples``), or the planner estimates fewer matching rows than that — and is omitted
otherwise, as OGC API – Features allows (clients then follow ``next`` links).

Configured by dotted path, e.g.::

    providers:
      - type: feature
        name: api_config.providers.postgis.PostGISProvider
        data: {host: …, port: …, dbname: …, user: …, password: ${DOTHI_PG_PASSWORD}}
        id_field: unit_id
        geom_field: geom
        storage_crs: http://www.opengis.net/def/crs/OGC/1.3/CRS84
        include_extra_query_parameters: true   # so unknown parameters reach us and get a 400
        options: {kind: layer, name: admin_units, statement_timeout_ms: 15000}
"""

from __future__ import annotations

import json
import time
from http import HTTPStatus
from typing import Any

import psycopg2
from psycopg2 import sql
from pygeoapi.provider.base import (
    BaseProvider,
    ProviderGenericError,
    ProviderInvalidQueryError,
    ProviderItemNotFoundError,
    SchemaType,
)
from sqlalchemy.engine import Engine

from api_config.guard.unavailable import DatabaseUnavailableError, is_unavailable
from api_config.limits.budget import BudgetCursor, BudgetExceededError
from api_config.limits.budget import current as request_budget
from api_config.providers import params as qp
from api_config.providers.areas import area_values, check_areas
from api_config.providers.cql import FilterError, SqlFilter
from api_config.providers.crs import OutputCrs, output_crs
from api_config.providers.db import engine_for, is_read_only
from api_config.providers.failover import FailoverCursor
from api_config.providers.tables import TableInfo, describe
from gis.sqlfiles import load_sql

#: Below this many rows (table, or planner estimate of the matches) ``numberMatched`` is exact.
EXACT_COUNT_ROWS = 100_000
#: Seconds a table's size is remembered by a worker.
_SIZE_TTL_S = 60.0
_SIZES: dict[str, tuple[float, int]] = {}
#: Composed single-item statements (identifiers quoted once).
_ITEM_SQL: dict[tuple[Any, ...], str] = {}


class ProviderTimeoutError(ProviderGenericError):
    """The query ran longer than the API's statement timeout."""

    http_status_code = HTTPStatus.SERVICE_UNAVAILABLE
    default_msg = "The query took too long; narrow it with bbox, filter or a smaller limit."


def invalid(message: str) -> ProviderInvalidQueryError:
    """A 400 error whose message is shown to the client."""
    return ProviderInvalidQueryError(message, user_msg=message)


class PostGISProvider(BaseProvider):
    """OGC API – Features on a dothi layer or indicator table."""

    def __init__(self, provider_def: dict[str, Any]) -> None:
        super().__init__(provider_def)
        options = provider_def.get("options") or {}
        try:
            self.info: TableInfo = describe(options["kind"], options["name"])
        except KeyError as exc:
            raise ProviderGenericError(f"provider options need kind and name: {exc}") from exc
        self.engine: Engine = engine_for(self.data, options, read_only=True)
        self.geom_field = provider_def.get("geom_field", "geom")
        self.id_field: str = provider_def.get("id_field") or self.info.id_field
        self.time_field: str | None = provider_def.get("time_field") or self.info.time_field
        self._fields = self.get_fields()

    # -- metadata -------------------------------------------------------------------------------
    def get_fields(self) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for name, f in self.info.fields.items():
            entry: dict[str, Any] = {"type": f.type, "title": f"{f.title_vi} / {f.title_en}"}
            if f.format:
                entry["format"] = f.format
            if f.unit:
                entry["x-ogc-unit"] = f.unit
            out[name] = entry
        return out

    def get_domains(
        self, properties: list[str] | None = None, current: bool = False
    ) -> tuple[dict[str, list[Any]], bool]:
        """Allowed values declared in the catalog (queryables ``enum``)."""
        domains = {
            name: list(f.enum)
            for name, f in self.info.fields.items()
            if f.enum and (not properties or name in properties)
        }
        return domains, False

    def get_schema(self, schema_type: SchemaType = SchemaType.item) -> tuple[str, dict[str, Any]]:
        props: dict[str, Any] = {name: dict(f) for name, f in self._fields.items()}
        for name, values in self.get_domains()[0].items():
            props[name]["enum"] = values
        props[self.id_field] = props.get(self.id_field, {"type": "string"}) | {"x-ogc-role": "id"}
        # OGC API Features Part 5 style: a format naming the geometry type, no remote $ref
        props["geometry"] = {
            "format": f"geometry-{self.info.geometry_type.lower()}",
            "x-ogc-role": "primary-geometry",
        }
        return "application/geo+json", {"type": "object", "properties": props}

    # -- queries --------------------------------------------------------------------------------
    def query(
        self,
        offset: int = 0,
        limit: int = 10,
        resulttype: str = "results",
        bbox: list[float] | None = None,
        datetime_: str | None = None,
        properties: list[tuple[str, str]] | None = None,
        sortby: list[dict[str, str]] | None = None,
        select_properties: list[str] | None = None,
        skip_geometry: bool = False,
        q: str | None = None,
        filterq: Any = None,
        crs_transform_spec: Any = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """One page of features (pygeoapi's provider interface)."""
        if q:
            raise invalid("Parameter 'q' (free-text search) is not supported by this collection.")
        if resulttype not in ("results", "hits"):
            raise invalid(f"Parameter 'resulttype': {resulttype!r} is not one of results, hits.")
        where, params = self._where(bbox, datetime_, properties or [], filterq)
        out = output_crs(getattr(crs_transform_spec, "target_crs_uri", None))
        result: dict[str, Any] = {"type": "FeatureCollection", "features": []}
        with self._cursor() as cur:
            check_areas(cur, area_values(properties or []))
            matched = self._count(cur, where, params, force=resulttype == "hits")
            if matched is not None:
                result["numberMatched"] = matched
            if resulttype == "results":
                statement = self._statement(
                    "items",
                    where=where,
                    order=self._order(sortby or []),
                    geometry=self._geometry(out, skip=skip_geometry),
                    properties=self._properties(select_properties or []),
                )
                cur.execute(statement, {**params, "limit": limit, "offset": offset})
                result["features"] = cur.fetchone()[0]
        result["numberReturned"] = len(result["features"])
        return result

    def page_text(
        self,
        *,
        offset: int,
        limit: int,
        bbox: list[float] | None = None,
        properties: list[tuple[str, str]] | None = None,
        select_properties: list[str] | None = None,
    ) -> tuple[int | None, int, str]:
        """The page :meth:`query` returns (default CRS, ``results``), as ``(numberMatched or None,
        numberReturned, features)`` where ``features`` is the text of the GeoJSON features
        array without its brackets, written by PostgreSQL (no JSON decoded or encoded here)."""
        where, params = self._where(bbox, None, properties or [], None)
        with self._cursor() as cur:
            check_areas(cur, area_values(properties or []))
            matched = self._count(cur, where, params, force=False)
            statement = self._statement(
                "items_text",
                where=where,
                order=self._order([]),
                geometry=self._geometry_text(output_crs(None)),
                properties=self._properties_text(select_properties or []),
            )
            cur.execute(statement, {**params, "limit": limit, "offset": offset})
            returned, features = cur.fetchone()
        return matched, int(returned), features

    def get(self, identifier: str, **kwargs: Any) -> dict[str, Any]:
        """One feature by id; 404 when there is none."""
        out = output_crs(getattr(kwargs.get("crs_transform_spec"), "target_crs_uri", None))
        key = self._identifier(identifier)
        with self._cursor() as cur:
            cur.execute(self._item_sql(cur, out), {"id": key})
            row = cur.fetchone()
        if row is None:
            raise ProviderItemNotFoundError(
                f"No feature {identifier!r}",
                user_msg=f"No feature with id {identifier!r} in this collection.",
            )
        return dict(row[0])

    def get_text(self, identifier: str) -> str | None:
        """One feature (default CRS) as the text of a GeoJSON Feature without its closing brace,
        written by PostgreSQL (statement ``item_text.sql``); None when there is none."""
        key = self._identifier(identifier)
        with self._cursor() as cur:
            cur.execute(self._item_sql(cur, output_crs(None), text=True), {"id": key})
            row = cur.fetchone()
        return None if row is None else str(row[0])

    # -- SQL pieces -----------------------------------------------------------------------------
    def _item_sql(self, cur: Any, out: OutputCrs, *, text: bool = False) -> str:
        """The single-item statement (``item.sql``, or ``item_text.sql`` when ``text``) as text,
        composed once per table and output CRS per worker."""
        key = (self.info.schema, self.info.table, self.id_field, self.geom_field, out, text)
        statement_text = _ITEM_SQL.get(key)
        if statement_text is None:
            if text:
                statement = self._statement(
                    "item_text", geometry=self._geometry_text(out), properties=self._properties_text([])
                )
            else:
                statement = self._statement(
                    "item", geometry=self._geometry(out, skip=False), properties=self._properties([])
                )
            statement_text = _ITEM_SQL[key] = statement.as_string(cur.connection)
        return statement_text

    def _statement(self, name: str, **parts: sql.Composable) -> sql.Composed:
        table = sql.Identifier(self.info.schema, self.info.table)
        return sql.SQL(load_sql("api_config.providers", name)).format(
            table=table, id=sql.Identifier(self.id_field), **parts
        )

    def _where(
        self,
        bbox: list[float] | None,
        datetime_: str | None,
        properties: list[tuple[str, str]],
        filterq: Any,
    ) -> tuple[sql.Composable, dict[str, Any]]:
        clauses: list[sql.Composable] = []
        params: dict[str, Any] = {}
        if bbox:
            clauses.append(qp.bbox_clause(bbox, self.geom_field, params))
        if datetime_:
            if not self.time_field:
                raise invalid("Parameter 'datetime': this collection has no time dimension.")
            clauses.append(qp.datetime_clause(datetime_, self.time_field, params))
        for name, value in properties:
            clauses.append(qp.property_clause(name, value, self.info.fields, params))
        if filterq is not None:
            translator = SqlFilter(self.info.fields, geom_field=self.geom_field)
            try:
                clauses.append(translator.compile(filterq))
            except FilterError as exc:
                raise invalid(f"Parameter 'filter': {exc}") from exc
            params.update(translator.params)
        if not clauses:
            return sql.SQL("TRUE"), params
        return sql.SQL(" AND ").join(clauses), params

    def _order(self, sortby: list[dict[str, str]]) -> sql.Composable:
        keys: list[sql.Composable] = []
        for item in sortby:
            name = item["property"]
            if name not in self.info.fields:
                raise invalid(f"Parameter 'sortby': unknown property {name!r}.")
            direction = "DESC NULLS LAST" if item.get("order") == "-" else "ASC NULLS LAST"
            keys.append(sql.SQL("t.{} {}").format(sql.Identifier(name), sql.SQL(direction)))
        if self.info.level_order:
            keys.append(sql.SQL(load_sql("api_config.providers", "level_order")))
        keys.append(sql.SQL("t.{}").format(sql.Identifier(self.id_field)))
        return sql.SQL(", ").join(keys)

    def _geometry(self, out: OutputCrs, *, skip: bool) -> sql.Composable:
        if skip:
            return sql.SQL("NULL::json")
        geom: sql.Composable = sql.SQL("t.{}").format(sql.Identifier(self.geom_field))
        if out.srid != 4326:
            geom = sql.SQL("ST_Transform({}, {})").format(geom, sql.Literal(out.srid))
        if out.flip_axes:
            geom = sql.SQL("ST_FlipCoordinates({})").format(geom)
        # options 0: no "crs" member (GeoJSON 2016); the CRS is in the Content-Crs header
        return sql.SQL("ST_AsGeoJSON({}, {}, 0)::json").format(geom, sql.Literal(out.digits))

    def _properties(self, select: list[str]) -> sql.Composable:
        names = [n for n in self.info.fields if not select or n in select]
        if not names:
            return sql.SQL("'{}'::json")
        pairs = [sql.SQL("{}, {}").format(sql.Literal(n), published_value(self.info, n)) for n in names]
        return sql.SQL("json_build_object({})").format(sql.SQL(", ").join(pairs))

    def _geometry_text(self, out: OutputCrs) -> sql.Composable:
        """:meth:`_geometry` as text (no ``::json`` parse)."""
        geom: sql.Composable = sql.SQL("t.{}").format(sql.Identifier(self.geom_field))
        if out.srid != 4326:
            geom = sql.SQL("ST_Transform({}, {})").format(geom, sql.Literal(out.srid))
        if out.flip_axes:
            geom = sql.SQL("ST_FlipCoordinates({})").format(geom)
        return sql.SQL("ST_AsGeoJSON({}, {}, 0)").format(geom, sql.Literal(out.digits))

    def _properties_text(self, select: list[str]) -> sql.Composable:
        """:meth:`_properties` as text, one ``to_json`` per column concatenated (cheaper than
        ``json_build_object`` and no json value to serialise)."""
        names = [n for n in self.info.fields if not select or n in select]
        if not names:
            return sql.SQL("'{}'")
        parts: list[sql.Composable] = []
        for i, name in enumerate(names):
            key = ("{" if i == 0 else ",") + json.dumps(name) + ":"
            parts.append(sql.Literal(key))
            # the published value (rounded to the indicator's precision), as in _properties
            parts.append(
                sql.SQL("coalesce(to_json({})::text, 'null')").format(published_value(self.info, name))
            )
        parts.append(sql.Literal("}"))
        return sql.SQL("({})").format(sql.SQL(" || ").join(parts))

    def _identifier(self, identifier: str) -> Any:
        field = self.info.fields.get(self.id_field)
        if field is not None and field.type == "integer":
            try:
                return int(identifier)
            except ValueError:
                raise ProviderItemNotFoundError(
                    f"No feature {identifier!r}", user_msg=f"No feature with id {identifier!r}."
                ) from None
        return identifier

    # -- counting -------------------------------------------------------------------------------
    def _count(self, cur: Any, where: sql.Composable, params: dict[str, Any], *, force: bool) -> int | None:
        """Exact count when cheap (or asked for with resulttype=hits), else None."""
        if not (force or self.count):
            return None
        small = self._table_rows(cur) < EXACT_COUNT_ROWS
        if not (force or small):
            cur.execute(self._statement("estimate", where=where), params)
            plan = cur.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            if plan[0]["Plan"]["Plan Rows"] >= EXACT_COUNT_ROWS:
                return None
        cur.execute(self._statement("count", where=where), params)
        return int(cur.fetchone()[0])

    def _table_rows(self, cur: Any) -> int:
        key = f"{self.info.schema}.{self.info.table}"
        now = time.monotonic()
        cached = _SIZES.get(key)
        if cached and now - cached[0] < _SIZE_TTL_S:
            return cached[1]
        cur.execute(load_sql("api_config.providers", "table_size"), {"table": key})
        reltuples, size = cur.fetchone()
        # never analysed (-1): judge by size, ~ 100 bytes a row
        rows = int(reltuples) if reltuples >= 0 else int(size) // 100
        _SIZES[key] = (now, rows)
        return rows

    # -- connections ----------------------------------------------------------------------------
    def _cursor(self) -> PooledCursor:
        return PooledCursor(self.engine)

    def __repr__(self) -> str:
        return f"<PostGISProvider> {self.info.schema}.{self.info.table}"


def published_value(info: TableInfo, name: str) -> sql.Composable:
    """Column ``name`` of alias ``t`` as published: rounded to its stated precision (indicators)."""
    digits = info.digits.get(name)
    if digits is None:
        return sql.SQL("t.{}").format(sql.Identifier(name))
    return sql.SQL(load_sql("api_config.providers", "rounded")).format(
        column=sql.Identifier(name), digits=sql.Literal(digits)
    )


class PooledCursor:
    """A pooled connection's cursor; database errors become pygeoapi errors with HTTP codes.

    Inside a request with a time budget (:mod:`api_config.limits.budget`) the cursor is a
    :class:`~api_config.limits.budget.BudgetCursor`: no statement outlasts what is left.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.budgeted: BudgetCursor | None = None
        self.lost = False

    def __enter__(self) -> Any:
        self._connect()
        active = self._active()
        if not is_read_only(self.engine):
            return active
        # reads run again once on a new connection when theirs was lost (a replica went away)
        return FailoverCursor(active, self.conn, self._reconnect)

    def _connect(self) -> None:
        try:
            self.conn = self.engine.raw_connection()
        except Exception as exc:
            if is_unavailable(exc):
                raise DatabaseUnavailableError.caused_by(exc) from exc
            raise
        self.cur = self.conn.cursor()
        budget = request_budget()
        self.budgeted = BudgetCursor(self.cur, budget) if budget is not None else None

    def _active(self) -> Any:
        return self.budgeted if self.budgeted is not None else self.cur

    def _reconnect(self, lost: BaseException) -> tuple[Any, Any]:
        self.conn.invalidate(lost)
        self.lost = True  # until a new connection is made: nothing to clean up on the old one
        self._connect()
        self.lost = False
        return self._active(), self.conn

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: Any) -> None:
        exhausted = self.budgeted is not None and self.budgeted.exhausted()
        try:
            if not self.lost and self._restored():
                self.cur.close()
                self.conn.rollback()
        except psycopg2.Error as cleanup:
            # the server went away under the statement (a restart): drop the connection, answer
            # for the statement's error; a statement that succeeded keeps its result
            self.conn.invalidate(cleanup)
        finally:
            self.conn.close()  # (a connection invalidated by a failed reconnect is only released)
        if isinstance(exc, psycopg2.InterfaceError):  # "connection already closed"
            raise DatabaseUnavailableError.caused_by(exc) from exc
        if isinstance(exc, psycopg2.errors.QueryCanceled):
            if exhausted and self.budgeted is not None:
                raise BudgetExceededError(self.budgeted.budget_ms) from exc
            raise ProviderTimeoutError(str(exc), user_msg=ProviderTimeoutError.default_msg) from exc
        if isinstance(exc, ValueError) and "NUL" in str(exc):
            # psycopg2 refuses to send a NUL inside a string literal (PostgreSQL text cannot hold one)
            raise invalid("A value in the request contains a NUL character, which is not allowed.") from exc
        if isinstance(exc, psycopg2.DataError):
            message = f"A value in the request does not fit its property: {str(exc).splitlines()[0]}"
            raise invalid(message) from exc
        if isinstance(exc, psycopg2.OperationalError):
            raise DatabaseUnavailableError.caused_by(exc) from exc
        if isinstance(exc, psycopg2.InternalError) and "GEOS" in str(exc):
            # PostGIS refuses a geometry literal of the filter (e.g. an unclosed polygon ring)
            message = f"Parameter 'filter': a geometry is not valid: {str(exc).splitlines()[0]}"
            raise invalid(message) from exc

    def _restored(self) -> bool:
        """Give the connection its own statement timeout back before it returns to the pool;
        False (and the connection dropped, not pooled) when that fails."""
        if self.budgeted is None or not self.budgeted.lowered:
            return True
        try:
            self.budgeted.restore()
        except psycopg2.Error:
            self.conn.invalidate()
            return False
        return True
