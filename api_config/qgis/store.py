"""dothi's styles into QGIS's ``public.layer_styles`` table, as the default style of each table.

QGIS reads this table when a layer is added from a PostgreSQL connection and applies the style marked
``useasdefault`` (newest first), so planners get the catalog's colours and the indicator choropleths
without doing anything.  Writing is idempotent: dothi's own rows (same table and style name) are
replaced, other users' styles are kept (no longer the default, as when QGIS saves a default style).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from psycopg2 import sql
from sqlalchemy.engine import Engine

from analysis.registry import INDICATORS
from analysis.tables import SCHEMA as ANALYSIS_SCHEMA
from api_config.qgis.results import result_styles
from api_config.qgis.styles import Style, indicator_style, layer_style
from api_config.styling.breaks import Method
from gis.sqlfiles import load_sql
from layers.catalog import LAYERS

PACKAGE = "api_config.qgis"


@dataclass
class StylesReport:
    """What :func:`write_styles` did."""

    written: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"written": self.written, "skipped": self.skipped}


def table_exists(cur: Any, schema: str, table: str) -> bool:
    cur.execute("SELECT to_regclass(%(name)s) IS NOT NULL", {"name": f'"{schema}"."{table}"'})
    return bool(cur.fetchone()[0])


def table_has_rows(cur: Any, schema: str, table: str) -> bool:
    """True when the table exists and holds at least one row."""
    if not table_exists(cur, schema, table):
        return False
    cur.execute(sql.SQL(load_sql(PACKAGE, "table_has_rows")).format(table=sql.Identifier(schema, table)))
    return bool(cur.fetchone()[0])


class WardValues(NamedTuple):
    """What an indicator's classes are computed from: the ward values of the newest boundary
    vintage (the map shown first), and the range of all ward values (older vintages included), so
    the outer classes cover every ward of every vintage."""

    newest: list[float]
    low: float
    high: float


def ward_values(cur: Any, table: str, value_column: str) -> WardValues | None:
    """The ward values of an indicator's results table (``None`` when it has none)."""
    query = sql.SQL(load_sql(PACKAGE, "ward_values")).format(
        table=sql.Identifier(ANALYSIS_SCHEMA, table), value=sql.Identifier(value_column)
    )
    cur.execute(query)
    rows = [(float(value), bool(newest)) for value, newest in cur.fetchall()]
    if not rows:
        return None
    every = [v for v, _ in rows]
    return WardValues([v for v, newest in rows if newest] or every, min(every), max(every))


def build_styles(cur: Any, *, method: Method = "jenks", classes: int = 5) -> tuple[list[Style], StylesReport]:
    """Every style that can be built now: all catalog layers whose table exists, and every
    indicator with ward values (class breaks need values)."""
    report = StylesReport()
    styles: list[Style] = []
    for spec in LAYERS.values():
        if table_exists(cur, spec.schema, spec.table):
            styles.append(layer_style(spec))
        else:
            report.skipped[spec.qualified_name] = "table missing (run `dothi db upgrade`)"
    for ind in INDICATORS.values():
        if not table_exists(cur, ANALYSIS_SCHEMA, ind.table):
            report.skipped[f"{ANALYSIS_SCHEMA}.{ind.table}"] = "table missing (run `dothi db upgrade`)"
            continue
        values = ward_values(cur, ind.table, ind.value_column)
        if values is None:
            report.skipped[f"{ANALYSIS_SCHEMA}.{ind.table}"] = (
                "no ward values to classify (run `dothi indicators run`)"
            )
            continue
        style = indicator_style(
            ind, values.newest, method=method, classes=classes, span=(values.low, values.high)
        )
        # the table's and each ward view's default style, with the synthetic notice when it applies
        styles += result_styles(cur, ind, style)
    return styles, report


def write_styles(engine: Engine, *, method: Method = "jenks", classes: int = 5) -> StylesReport:
    """Create ``public.layer_styles`` if missing and store dothi's default styles (one transaction).

    Parameters
    ----------
    engine:
        The dothi database.
    method:
        Class breaks of the indicator choropleths: ``jenks`` (natural breaks) or ``quantile``.
    classes:
        Number of classes of the choropleths.
    """
    with engine.begin() as conn:
        cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        cur.execute(load_sql(PACKAGE, "layer_styles_create"))
        styles, report = build_styles(cur, method=method, classes=classes)
        replace = load_sql(PACKAGE, "layer_styles_replace")
        for style in styles:
            cur.execute(
                replace,
                {
                    "schema": style.schema,
                    "table": style.table,
                    "geom": style.geometry_column,
                    "name": style.name,
                    "qml": style.qml,
                    "description": style.description,
                },
            )
            report.written.append(f"{style.schema}.{style.table}")
    return report
