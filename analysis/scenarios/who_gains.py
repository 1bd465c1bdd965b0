"""Who gains from a scenario: per access indicator, people newly within reach (and no longer, after
removals), per ward and for the city — from the evaluation's incremental baseline, not a re-run.

The baselines are the ones :func:`analysis.scenarios.evaluate.evaluate_edits` just used (kept in
memory, keyed by the input versions), so this adds one bounded search per edited destination set;
the counting itself is the pure :func:`analysis.indicators.reach_change.reach_change`.  Indicators
evaluated in full (an edit to their roads, say) have no per-origin distances and are left out.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy.engine import Engine

from analysis.indicators.incremental_recipes import Baseline
from analysis.indicators.reach_change import GROUPS, reach_change
from analysis.registry import INDICATORS
from analysis.scenarios.edits import Edit
from analysis.scenarios.evaluate import IndicatorChange, baseline, edits_in_crs, id_fields
from layers.catalog.types import DEFAULT_AREA


def who_gains(
    engine: Engine,
    changes: list[IndicatorChange],
    edits: list[Edit],
    *,
    data_dir: Any = None,
    area: str = DEFAULT_AREA,
) -> dict[str, pd.DataFrame]:
    """Indicator id → :func:`reach_change` rows, for the incrementally evaluated access indicators."""
    out = {}
    for change in changes:
        if change.method != "incremental" or change.indicator_id not in GROUPS:
            continue
        spec = INDICATORS[change.indicator_id]
        layers = {*spec.inputs, *spec.optional_inputs}
        cached = baseline(engine, spec, data_dir=data_dir, incremental=True, area=area)
        if not isinstance(cached.incremental, Baseline):  # network baselines only
            continue
        batch = edits_in_crs([e for e in edits if e.layer in layers], cached.epsg)
        out[change.indicator_id] = reach_change(cached.incremental, batch, id_fields())
    return out
