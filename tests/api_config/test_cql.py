"""CQL2 → SQL translation (pure: no database, no server)."""

from __future__ import annotations

import pytest
from psycopg2 import sql
from pygeofilter.parsers.cql2_json import parse as parse_json
from pygeofilter.parsers.cql2_text import parse as parse_text

from api_config.providers.cql import FilterError, SqlFilter
from api_config.providers.tables import describe

FIELDS = describe("layer", "admin_units").fields


def _compile(text: str) -> tuple[sql.Composable, dict]:
    translator = SqlFilter(FIELDS)
    return translator.compile(parse_text(text)), translator.params


def _idents(node: sql.Composable) -> list[str]:
    """Every identifier in a composed statement (identifiers are the only names that reach SQL)."""
    if isinstance(node, sql.Identifier):
        return list(node.strings)
    if isinstance(node, sql.Composed):
        return [name for part in node.seq for name in _idents(part)]
    return []


def test_literals_are_bind_parameters() -> None:
    clause, params = _compile("name_vi = 'x); DROP TABLE land.admin_units; --' AND population >= 10")
    assert params == {"f0": "x); DROP TABLE land.admin_units; --", "f1": 10}
    assert _idents(clause) == ["name_vi", "population"]


def test_literals_are_coerced_to_the_property_type() -> None:
    assert _compile("vintage = '2019'")[1] == {"f0": 2019}
    with pytest.raises(FilterError, match="not a valid integer for property 'vintage'"):
        _compile("vintage = 'abc'")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('"name_vi; DROP TABLE x" = 1', "unknown property"),
        ("population + 1 > 3", "Add"),
        ("S_INTERSECTS(population, POINT(1 2))", "not a geometry"),
    ],
)
def test_unsupported_or_unknown_is_refused(text: str, message: str) -> None:
    with pytest.raises(FilterError, match=message):
        _compile(text)


@pytest.mark.parametrize(
    ("cql", "message"),
    [
        (
            '{"op": "t_after", "args": [{"property": "vintage"}, {"timestamp": "2020-01-01T00:00:00Z"}]}',
            "TimeAfter",
        ),
        ('{"op": "a_contains", "args": [{"property": "level"}, ["ward"]]}', "ArrayContains"),
    ],
)
def test_temporal_and_array_operators_are_refused(cql: str, message: str) -> None:
    with pytest.raises(FilterError, match=message):
        SqlFilter(FIELDS).compile(parse_json(cql))


def test_spatial_and_json_filters() -> None:
    clause, params = _compile("S_INTERSECTS(geom, BBOX(106.3, 10.3, 106.4, 10.4))")
    assert _idents(clause) == ["geom"]
    assert params == {"f0": 106.3, "f1": 10.3, "f2": 106.4, "f3": 10.4}
    translator = SqlFilter(FIELDS)
    translator.compile(parse_json('{"op": "in", "args": [{"property": "level"}, ["ward", "commune"]]}'))
    assert translator.params == {"f0": "ward", "f1": "commune"}
