"""Scenario values are rounded as the published views round them: PostgreSQL's
``round(double precision::numeric, digits)`` — checked against the embedded PostGIS itself."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from analysis.registry import get_indicator
from analysis.scenarios.published import json_value, published_digits, round_published


def _postgres_round(engine: Engine, values: list[float], digits: int) -> list[float | None]:
    with engine.connect() as conn:
        cur = conn.connection.driver_connection.cursor()
        cur.execute(
            "SELECT round(v::numeric, %(d)s)::double precision FROM unnest(%(v)s::double precision[]) "
            "WITH ORDINALITY AS t(v, n) ORDER BY n",
            {"v": values, "d": digits},
        )
        return [r[0] for r in cur.fetchall()]


def test_halves_and_binary_neighbours_round_as_postgres(engine: Engine) -> None:
    values = [2.675, 1.005, 0.125, -0.125, -2.5, 2.5, 0.0049999, -0.004, 1234567.8945, 0.3 - 0.1]
    for digits in (0, 1, 2, 3):
        assert round_published(values, digits).tolist() == _postgres_round(engine, values, digits)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=50),
    st.integers(0, 3),
)
def test_random_values_round_as_postgres(engine: Engine, values: list[float], digits: int) -> None:
    # values on a grid of the published precision and its halves, and anywhere
    values = values + [round(v, digits + 1) for v in values]
    assert round_published(values, digits).tolist() == _postgres_round(engine, values, digits)


def test_no_negative_zero_and_no_value_for_non_finite() -> None:
    out = round_published([-0.004, -0.0, math.nan, math.inf, -math.inf], 2)
    assert math.copysign(1.0, out[0]) == 1.0 and math.copysign(1.0, out[1]) == 1.0
    assert np.isnan(out[2:]).all()
    assert [json_value(v) for v in out] == [0.0, 0.0, None, None, None]


def test_digits_follow_the_registry() -> None:
    spec = get_indicator("health_beds_2sfca")
    digits = published_digits(spec, ["population", "beds_per_1000"])
    assert digits == {"population": spec.digits("population"), "beds_per_1000": spec.precision}
