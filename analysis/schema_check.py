"""Every declared table against the database: catalog layers and indicator results.

The migrations are frozen (each revision writes its tables out), so the catalog and the registry
can run ahead of them.  :func:`check_schema` lists what differs — a table no revision creates, a
missing or extra column, a type, a nullability, a geometry type or SRID — so that `dothi db check`
and the tests say exactly which revision is missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection, Engine

from analysis.registry import INDICATORS
from analysis.tables import result_table
from gis.sqlfiles import load_sql
from layers.catalog import LAYERS
from layers.tables import table_for

#: SQLAlchemy's spelling of a type → PostgreSQL's ``format_type`` spelling (lower case).
_PG_SPELLING = {"float": "double precision"}


@dataclass(frozen=True)
class SchemaProblem:
    """One difference between a declaration and the database."""

    table: str
    declared_by: str
    problem: str

    def __str__(self) -> str:
        return f"{self.table} ({self.declared_by}): {self.problem}"


def declared_tables() -> list[tuple[str, sa.Table]]:
    """``(declared by, table)`` for every catalog layer and every indicator."""
    metadata = sa.MetaData()
    layers = [(f"layer {name}", table_for(spec, metadata)) for name, spec in LAYERS.items()]
    indicators = [(f"indicator {iid}", result_table(spec, metadata)) for iid, spec in INDICATORS.items()]
    return layers + indicators


def check_schema(engine: Engine) -> list[SchemaProblem]:
    """Every difference between the declared tables and the database (empty when they agree)."""
    problems: list[SchemaProblem] = []
    with engine.connect() as conn:
        for declared_by, table in declared_tables():
            problems += _check_table(conn, table, declared_by)
    return problems


def _check_table(conn: Connection, table: sa.Table, declared_by: str) -> Iterator[SchemaProblem]:
    name = f"{table.schema}.{table.name}"
    rows = conn.execute(sa.text(load_sql("analysis", "table_columns")), {"qualified_name": name}).all()
    if not rows:
        yield SchemaProblem(name, declared_by, "table missing: no migration revision creates it")
        return
    actual = {r.name: (r.type.lower(), bool(r.not_null)) for r in rows}
    for column in table.columns:
        found = actual.pop(column.name, None)
        if found is None:
            yield SchemaProblem(name, declared_by, f"column {column.name!r} missing")
            continue
        expected_type = _pg_type(column)
        if found[0] != expected_type:
            yield SchemaProblem(
                name, declared_by, f"column {column.name!r} is {found[0]}, declared {expected_type}"
            )
        if found[1] != (not column.nullable):
            declared = "NOT NULL" if not column.nullable else "nullable"
            yield SchemaProblem(name, declared_by, f"column {column.name!r} is not {declared} as declared")
    for extra in actual:
        yield SchemaProblem(name, declared_by, f"column {extra!r} exists but is not declared")


def _pg_type(column: sa.Column[object]) -> str:
    spelled = column.type.compile(dialect=postgresql.dialect()).lower()
    return _PG_SPELLING.get(spelled, spelled)
