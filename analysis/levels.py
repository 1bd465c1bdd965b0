"""One reporting level (and boundary vintage) at a time: the views and collections of an indicator.

An indicator's results table holds every level: wards of each boundary vintage, one city row per
vintage, grid cells.  A reader wants one of them.  For every (level, vintage) present in the table
the runner publishes a view ``analysis.<table>_<level>[_<vintage>]`` (``health_access_ward_2025``,
``health_access_ward_2019``, ``health_access_city``, ``health_access_grid``), with every real value
rounded to the column's stated precision (:meth:`IndicatorSpec.digits`) and grid cells named; the
API publishes each view as a collection (``health_access-ward-2025`` …) next to the combined one.

The views are derived objects, re-created by the runner in the transaction that publishes the rows
(their columns follow the results table, their rounding follows the registry); they are not part of
the frozen migrations.  A revision that changes a results table's columns drops the table's level
views first (``DROP VIEW IF EXISTS analysis.<table>_ward_2025, …``); the next run re-creates them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from psycopg2 import sql

from analysis.registry import INDICATORS, IndicatorSpec
from analysis.tables import SCHEMA, result_table
from gis.sqlfiles import load_sql

#: Levels published as their own view and collection, in the order they are listed.
VIEW_LEVELS = ("ward", "city", "grid", "block")
#: Rank of each level in the combined collection (wards first, then the city, then small units).
LEVEL_RANK = {"ward": 0, "city": 1, "block": 2, "grid": 3}
#: The group role that reads the published schemas (migration 0007_roles).
READER_ROLE = "dothi_reader"

_LEVEL_TITLES = {
    "ward": ("phường/xã", "wards"),
    "city": ("toàn thành phố", "whole city"),
    "grid": ("ô lưới", "grid cells"),
    "block": ("ô phố", "blocks"),
}
_COLLECTION_ID = re.compile(r"^(?P<id>[a-z0-9_]+)-(?P<level>ward|city|grid|block)(?:-(?P<vintage>\d{4}))?$")


@dataclass(frozen=True)
class LevelView:
    """One level (and, for wards, one boundary vintage) of an indicator's results."""

    spec: IndicatorSpec
    level: str
    vintage: int | None = None

    @property
    def collection_id(self) -> str:
        """``<indicator>-ward-2025``, ``<indicator>-city``, ``<indicator>-grid``."""
        return f"{self.spec.id}-{self.level}" + (f"-{self.vintage}" if self.vintage is not None else "")

    @property
    def view(self) -> str:
        """``<table>_ward_2025``, ``<table>_city``, ``<table>_grid`` (schema ``analysis``)."""
        return f"{self.spec.table}_{self.level}" + (f"_{self.vintage}" if self.vintage is not None else "")

    @property
    def qualified_name(self) -> str:
        return f"{SCHEMA}.{self.view}"

    def title(self, lang: str) -> str:
        """What the view holds, e.g. ``wards (2025 boundaries)`` / ``phường/xã (ranh giới 2025)``."""
        vi, en = _LEVEL_TITLES[self.level]
        if self.vintage is None:
            return vi if lang == "vi" else en
        return f"{vi} (ranh giới {self.vintage})" if lang == "vi" else f"{en} ({self.vintage} boundaries)"

    def sort_key(self) -> tuple[int, int]:
        """Wards (newest vintage first), then the city, then small units."""
        return (LEVEL_RANK[self.level], -(self.vintage or 0))


def parse_collection_id(collection_id: str) -> LevelView | None:
    """The level view a collection id names (None for anything else, e.g. the combined one)."""
    match = _COLLECTION_ID.match(collection_id)
    if match is None or match["id"] not in INDICATORS:
        return None
    level, vintage = match["level"], match["vintage"]
    if (level == "ward") != (vintage is not None):
        return None
    return LevelView(INDICATORS[match["id"]], level, int(vintage) if vintage else None)


def levels_present(cur: Any, spec: IndicatorSpec) -> list[LevelView]:
    """The level views the current results call for, in the order they are listed."""
    cur.execute(
        sql.SQL(load_sql("analysis", "levels_present")).format(table=sql.Identifier(SCHEMA, spec.table))
    )
    views = {
        LevelView(spec, level, int(vintage) if level == "ward" and vintage is not None else None)
        for level, vintage in cur.fetchall()
        if level in VIEW_LEVELS and (level != "ward" or vintage is not None)
    }
    return sorted(views, key=LevelView.sort_key)


def published_views(cur: Any, spec: IndicatorSpec) -> list[LevelView]:
    """The level views that exist now (in the database) for ``spec``, in listing order."""
    return [v for v in levels_present(cur, spec) if _exists(cur, v)]


def _exists(cur: Any, view: LevelView) -> bool:
    cur.execute("SELECT to_regclass(%(name)s) IS NOT NULL", {"name": view.qualified_name})
    return bool(cur.fetchone()[0])


def _column(spec: IndicatorSpec, name: str, kind: str) -> sql.Composable:
    ident = sql.Identifier(name)
    if kind == "real":
        return sql.SQL(load_sql("analysis", "rounded_column")).format(
            column=ident, digits=sql.Literal(spec.digits(name))
        )
    return sql.SQL("t.{} AS {}").format(ident, ident)


def _select_list(spec: IndicatorSpec, view: LevelView, columns: list[tuple[str, str]]) -> sql.Composable:
    parts = []
    for name, kind in columns:
        if view.level in ("grid", "block") and name in ("name_vi", "name_en"):
            label = _LEVEL_TITLES[view.level][0 if name == "name_vi" else 1]
            parts.append(
                sql.SQL("coalesce(t.{col}, {label} || ' ' || t.unit_id) AS {col}").format(
                    col=sql.Identifier(name), label=sql.Literal(label.capitalize())
                )
            )
        else:
            parts.append(_column(spec, name, kind))
    return sql.SQL(", ").join(parts)


def _table_columns(spec: IndicatorSpec) -> list[tuple[str, str]]:
    table = result_table(spec)
    kinds = {c.name: c.type for c in spec.result_columns}
    return [(str(c.name), kinds.get(str(c.name), "other")) for c in table.columns if c.name != "geom"]


def _create(cur: Any, view: LevelView, columns: list[tuple[str, str]]) -> None:
    where = sql.SQL("t.level = {level}").format(level=sql.Literal(view.level))
    if view.vintage is not None:
        where = sql.SQL("{} AND t.vintage = {}").format(where, sql.Literal(view.vintage))
    cur.execute(
        sql.SQL(load_sql("analysis", "create_level_view")).format(
            view=sql.Identifier(SCHEMA, view.view),
            columns=_select_list(view.spec, view, columns),
            table=sql.Identifier(SCHEMA, view.spec.table),
            where=where,
        )
    )
    comment = (
        f"{view.spec.title_en}: {view.title('en')} [{view.spec.unit}] / "
        f"{view.spec.title_vi}: {view.title('vi')} — rounded view of {SCHEMA}.{view.spec.table}"
    )
    cur.execute(
        sql.SQL("COMMENT ON VIEW {} IS {}").format(sql.Identifier(SCHEMA, view.view), sql.Literal(comment))
    )
    cur.execute("SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = %(role)s)", {"role": READER_ROLE})
    if cur.fetchone()[0]:
        cur.execute(
            sql.SQL("GRANT SELECT ON {} TO {}").format(
                sql.Identifier(SCHEMA, view.view), sql.Identifier(READER_ROLE)
            )
        )


def _stale(cur: Any, spec: IndicatorSpec) -> list[str]:
    """Names of the level views of ``spec`` that exist now (whatever the current rows)."""
    cur.execute(load_sql("analysis", "dependent_views"), {"table": f"{SCHEMA}.{spec.table}"})
    names = [row[0] for row in cur.fetchall()]
    return [n for n in names if (v := parse_view_name(spec, n)) is not None and v.view == n]


def parse_view_name(spec: IndicatorSpec, name: str) -> LevelView | None:
    """The level view of ``spec`` called ``name`` (None for any other view)."""
    prefix = f"{spec.table}_"
    if not name.startswith(prefix):
        return None
    return parse_collection_id(f"{spec.id}-" + name[len(prefix) :].replace("_", "-"))


def publish_views(cur: Any, spec: IndicatorSpec, *, replace: bool = True) -> list[LevelView]:
    """(Re-)create the level views of ``spec`` for the levels its results hold; drop the others.

    Runs in the caller's transaction (the one that wrote the rows), so readers see the new rows
    and views together.  With ``replace=False`` only missing views are created (nothing dropped
    but views of levels that are gone).
    """
    wanted = levels_present(cur, spec)
    names = {v.view for v in wanted}
    existing = set(_stale(cur, spec))
    drop = [n for n in existing if replace or n not in names]
    if drop:
        cur.execute(
            sql.SQL("DROP VIEW IF EXISTS {}").format(
                sql.SQL(", ").join(sql.Identifier(SCHEMA, n) for n in sorted(drop))
            )
        )
        existing -= set(drop)
    columns = _table_columns(spec)
    for view in wanted:
        if view.view not in existing:
            _create(cur, view, columns)
    return wanted
