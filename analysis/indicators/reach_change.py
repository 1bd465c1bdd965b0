"""Who gains and who loses: people newly within (or no longer within) reach of a destination.

Pure: no database.  From an incremental baseline (:class:`~analysis.indicators.incremental_recipes.
Baseline`: per origin the distance to the nearest destination of each set, within the indicator's
threshold) and a batch of edits, :func:`reach_change` counts per ward and for the city the residents
who are within the threshold after the edits and were not before (``gained``), and those who were
and are no longer (``lost``, after removals).  Only the destination sets whose layers were edited
are searched again, from the edited destinations only (the same bounded search the evaluation
runs), so this never re-runs the indicator.

Groups (:data:`GROUPS`): which destination sets make "within reach" for an indicator — any stop
(low- or high-capacity, each within its own distance) for ``transit_access``, a primary school and a
lower-secondary school for ``education_access``, a health facility for ``health_access``, an open
space for ``open_space_access``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from analysis.indicators.incremental_recipes import Baseline, Edits, _served

#: Indicator id → group name → the destination sets (rule names) whose union is "within reach".
GROUPS: dict[str, dict[str, tuple[str, ...]]] = {
    "transit_access": {"stop": ("low", "high")},
    "health_access": {"health": ("f",)},
    "education_access": {"primary": ("primary",), "lower_secondary": ("lower_secondary",)},
    "open_space_access": {"open_space": ("open",)},
}

#: What each group's destination is, for reports.
DESTINATIONS: dict[str, dict[str, str]] = {
    "stop": {"vi": "điểm dừng xe buýt", "en": "a transit stop"},
    "health": {"vi": "cơ sở y tế", "en": "a health facility"},
    "primary": {"vi": "trường tiểu học", "en": "a primary school"},
    "lower_secondary": {"vi": "trường THCS", "en": "a lower-secondary school"},
    "open_space": {"vi": "không gian mở / công viên", "en": "an open space or park"},
}


def served_before(base: Baseline) -> dict[str, np.ndarray]:
    """Per destination set, whether each origin is within the threshold at baseline."""
    return {name: np.isfinite(state.dist) for name, state in base.sets.items()}


def reach_change(base: Baseline, edits: Edits, id_fields: Mapping[str, str]) -> pd.DataFrame:
    """People newly within reach (``gained``) and no longer within reach (``lost``) per group, for
    the city and every ward (all rows of the baseline at those levels, zeros included).

    Columns: ``group``, ``limits_m`` (the thresholds of the group's sets), ``level``, ``unit_id``,
    ``vintage``, ``name_vi``, ``name_en``, ``population`` (residents counted in the row),
    ``gained``, ``lost``, ``net``; for the school groups also ``children_gained`` and
    ``children_lost`` (the residents times the indicator's school-age share, as the indicator counts
    children), else NaN.
    """
    groups = GROUPS.get(base.indicator_id)
    if groups is None:
        raise KeyError(f"indicator {base.indicator_id!r} has no 'who gains' groups")
    before = served_before(base)
    after = _served(base, edits, id_fields)
    rows = base.rows.reset_index(drop=True)
    keep = rows["level"].isin(["city", "ward"]).to_numpy()
    member = base.membership[np.flatnonzero(keep)]
    pop = np.asarray(base.origins.population, dtype=float)
    limits = {rule.name: rule.limit for rule in base.rules}
    frames = []
    for group, sets in groups.items():
        was = np.logical_or.reduce([before[s] for s in sets])
        now = np.logical_or.reduce([after[s] for s in sets])
        frame = rows.loc[keep, ["level", "unit_id", "vintage", "name_vi", "name_en"]].copy()
        frame.insert(0, "group", group)
        frame.insert(1, "limits_m", ", ".join(f"{limits[s]:.0f}" for s in sets))
        frame["population"] = member @ pop
        frame["gained"] = member @ (pop * (now & ~was))
        frame["lost"] = member @ (pop * (was & ~now))
        frame["net"] = frame["gained"] - frame["lost"]
        age = float(base.params.get(f"{group}_age_share", np.nan))
        frame["children_gained"] = frame["gained"] * age
        frame["children_lost"] = frame["lost"] * age
        frames.append(frame)
    return pd.DataFrame(pd.concat(frames, ignore_index=True))
