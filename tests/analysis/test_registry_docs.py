"""The registry is complete and consistent, and docs/indicators.md is generated from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.docs import render_markdown
from analysis.errors import ParameterError
from analysis.registry import INDICATORS, TRANSIT_ACCESS
from layers.catalog import LAYERS, RASTERS

ROOT = Path(__file__).resolve().parents[2]


def test_docs_file_is_up_to_date() -> None:
    committed = (ROOT / "docs" / "indicators.md").read_text(encoding="utf-8")
    assert committed == render_markdown(), "run `dothi indicators docs` and commit docs/indicators.md"


@pytest.mark.parametrize("spec", INDICATORS.values(), ids=list(INDICATORS))
def test_every_indicator_is_fully_declared(spec) -> None:
    assert spec.title_vi and spec.title_en and spec.description_vi and spec.description_en
    assert spec.standard and spec.unit and spec.formula and spec.limitations
    assert spec.value_column in {c.name for c in spec.result_columns}
    assert "admin_units" in spec.inputs  # the study area
    for name in (*spec.inputs, *spec.optional_inputs):
        assert name in LAYERS or name in RASTERS, name
    defaults = spec.resolve_params()
    for p in spec.parameters:  # every default passes its own bounds
        if defaults[p.name] is not None:
            assert p.coerce(defaults[p.name], indicator=spec.id) == defaults[p.name]
    section = render_markdown().split(f"## `{spec.id}`")[1].split("\n## ")[0]
    for p in spec.parameters:
        assert f"`{p.name}`" in section


def test_parameters_are_checked_by_name_and_range() -> None:
    assert TRANSIT_ACCESS.resolve_params({"low_capacity_m": "400"})["low_capacity_m"] == 400.0
    with pytest.raises(ParameterError, match=r"transit_access\.low_capacity_m: 5\.0 is below"):
        TRANSIT_ACCESS.resolve_params({"low_capacity_m": "5"})
    with pytest.raises(ParameterError, match="no parameter"):
        TRANSIT_ACCESS.resolve_params({"radius": 1})
