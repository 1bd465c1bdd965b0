"""The DDL of a declared table, written out once into a new migration revision.

Migrations are frozen (a revision never reads the catalog), so a layer or indicator added later
needs a revision of its own: ``dothi db ddl NAME`` prints the statements its ``.sql`` file starts
from — exactly what the catalog-driven revisions of v0.1.0 executed (tested against them).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import create_mock_engine
from sqlalchemy.dialects.postgresql import psycopg2

from analysis.registry import INDICATORS
from analysis.tables import SCHEMA, result_table
from layers.catalog import LAYERS
from layers.errors import UnknownLayerError
from layers.tables import table_for


def declared_table(name: str) -> sa.Table:
    """The table of the catalog layer or the indicator called ``name``."""
    if name in LAYERS:
        return table_for(LAYERS[name], sa.MetaData())
    if name in INDICATORS:
        table = result_table(INDICATORS[name], sa.MetaData())
        sa.Index(f"{table.name}_level_idx", table.c.level)
        sa.Index(f"{table.name}_area_idx", table.c.area)
        return table
    raise UnknownLayerError(
        f"Không có lớp hay chỉ số {name!r} / no layer or indicator called {name!r}.",
        hint=f"Layers: {', '.join(sorted(LAYERS))}; indicators: {', '.join(sorted(INDICATORS))}.",
    )


def table_statements(table: sa.Table) -> list[str]:
    """CREATE TABLE, its indexes and comments, as ``table.create()`` would run them."""
    statements: list[str] = []
    dialect = psycopg2.dialect()

    def record(ddl: sa.schema.ExecutableDDLElement, *_: object, **__: object) -> None:
        text = str(ddl.compile(dialect=dialect)).replace("%%", "%").strip()
        statements.append("\n".join(line.rstrip().replace("\t", "    ") for line in text.splitlines()) + ";")

    table.create(create_mock_engine("postgresql+psycopg2://", record), checkfirst=False)
    return statements


def revision_sql(name: str) -> str:
    """The text of a new revision's ``.sql`` file for layer or indicator ``name``."""
    table = declared_table(name)
    tracked = f"SELECT catalog.track_changes('{table.schema}.{table.name}'::regclass);"
    kind = "results table" if table.schema == SCHEMA else "layer table"
    head = (
        f"-- The {kind} {table.schema}.{table.name}, written out from its declaration "
        "(dothi db ddl). Never regenerate it: a later change is a new revision.\n\n"
    )
    return head + "\n\n".join([*table_statements(table), tracked]) + "\n"
