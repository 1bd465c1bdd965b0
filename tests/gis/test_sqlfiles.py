"""The SQL-file loader: no placeholder can land in a comment or inside a literal (issue 11)."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from psycopg2 import sql
from sqlalchemy.engine import Engine

from gis.sqlfiles import SqlFileError, comments, load_sql, strip_comments, tokens

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("gis", "layers", "analysis", "api_config")
SQL_FILES = sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("sql/*.sql"))
HOSTILE = "\r\nSELECT pg_sleep(3); -- */ /* '\" $$ \\"
_PARAM = re.compile(r"%\((\w+)\)s")


def _package_and_name(path: Path) -> tuple[str, str]:
    package = ".".join(path.parent.parent.relative_to(ROOT).parts)
    return package, path.stem


def test_the_repository_has_sql_files() -> None:
    assert len(SQL_FILES) > 30


@pytest.mark.parametrize("path", SQL_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_sql_file_loads_without_comments(path: Path) -> None:
    text = load_sql(*_package_and_name(path))
    assert comments(text) == []
    # what remains is the same statement: only comments went
    assert "".join(
        t.text for t in tokens(path.read_text(encoding="utf-8")) if t.kind != "comment"
    ).split() == (text.split())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SELECT 1 -- {where}\r, 2", "SELECT 1 \r, 2"),
        ("SELECT 1 -- %(x)s\nFROM t", "SELECT 1 \nFROM t"),
        ("SELECT /* a /* nested */ {where} */ 1", "SELECT   1"),
        ("SELECT '--not a comment' AS x", "SELECT '--not a comment' AS x"),
        ("SELECT 'it''s -- here' -- gone", "SELECT 'it''s -- here' "),
        ("SELECT E'a\\' -- still literal' -- gone", "SELECT E'a\\' -- still literal' "),
        ('SELECT "col -- name" FROM t', 'SELECT "col -- name" FROM t'),
        ("DO $f$ BEGIN -- body kept\nEND $f$; -- gone", "DO $f$ BEGIN -- body kept\nEND $f$; "),
        ("SELECT $$ -- kept $$ -- gone", "SELECT $$ -- kept $$ "),
    ],
)
def test_strip_comments(text: str, expected: str) -> None:
    assert strip_comments(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * FROM t WHERE name = '{where}'",
        "SELECT * FROM t WHERE name = 'x %(value)s'",
        'SELECT "{column}" FROM t',
        "SELECT $$ {where} $$",
    ],
)
def test_a_placeholder_inside_quotes_is_refused(text: str) -> None:
    with pytest.raises(SqlFileError, match="placeholder"):
        strip_comments(text, where="x.sql")


@pytest.mark.parametrize("text", ["SELECT 'open", "SELECT /* open", 'SELECT "open', "SELECT $a$ open"])
def test_unterminated_pieces_are_errors(text: str) -> None:
    with pytest.raises(SqlFileError, match="unterminated"):
        strip_comments(text)


@pytest.mark.parametrize("path", SQL_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_composed_statement_is_comment_free_with_hostile_values(engine: Engine, path: Path) -> None:
    """Compose each file as the code does (identifiers for its fields), bind a hostile value to
    each of its parameters, and look at what the server would receive: no comment anywhere."""
    text = load_sql(*_package_and_name(path))
    fields = {f for _, f, _, _ in string.Formatter().parse(text) if f}
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        statement = sql.SQL(text).format(**{f: sql.Identifier(HOSTILE) for f in fields})
        params = dict.fromkeys(_PARAM.findall(text), HOSTILE)
        sent = cur.mogrify(statement, params or None).decode("utf-8")
    finally:
        raw.close()
    assert comments(sent) == [], sent
