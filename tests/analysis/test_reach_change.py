"""Who gains and who loses (pure: no database), on the real Las Palmas data: removing half the health
facilities and adding one elsewhere, the people counted as newly within reach minus those no longer
within reach equal the change of ``population_within`` by a full recomputation of the indicator."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Point

from analysis.indicators.incremental_recipes import Edits, edited_frame, prepare
from analysis.indicators.reach_change import GROUPS, reach_change
from analysis.registry import get_indicator
from tests.analysis.test_incremental_laspalmas import ID_FIELDS, city

__all__ = ["city"]  # the module fixture: the Las Palmas extract with a census population


def test_gained_minus_lost_equals_full_recomputation(city: dict[str, Any]) -> None:
    spec = get_indicator("health_access")
    params = spec.resolve_params(None)
    base = prepare("health_access", spec.recipe, city, params, ID_FIELDS)
    facilities = city["health_facilities"]
    served = facilities[facilities["type"].isin(params["facility_types"].split(","))]
    removed = frozenset(f"health_facilities:{i}" for i in served["facility_id"].iloc[::2])
    minx, miny, maxx, maxy = city["admin_units"].total_bounds
    site = Point(minx + 0.5 * (maxx - minx), miny + 0.35 * (maxy - miny))
    added = gpd.GeoDataFrame(
        {"facility_id": ["new-1"], "type": ["health_station"]}, geometry=[site], crs=facilities.crs
    )
    edits = Edits(removed, {"health_facilities": added})

    counts = reach_change(base, edits, ID_FIELDS)
    assert set(counts["group"]) == set(GROUPS["health_access"])
    city_row = counts[counts["level"] == "city"].iloc[0]
    edited = {
        **city,
        "health_facilities": edited_frame(facilities, "health_facilities", edits, "facility_id"),
    }
    full = spec.recipe(edited, params)
    before = base.rows.set_index(["level", "unit_id"])["population_within"]
    after = full.set_index(["level", "unit_id"])["population_within"]
    key = ("city", city_row["unit_id"])
    assert city_row["net"] == pytest.approx(after[key] - before[key], abs=1e-6)
    assert city_row["population"] == pytest.approx(
        base.rows.set_index(["level", "unit_id"])["population"][key]
    )
    assert city_row["gained"] >= 0 and city_row["lost"] >= 0
    assert city_row["lost"] > 0  # half the facilities gone: someone loses access
    assert np.isnan(city_row["children_gained"])

    only_add = reach_change(base, Edits(frozenset(), {"health_facilities": added}), ID_FIELDS)
    row = only_add[only_add["level"] == "city"].iloc[0]
    assert row["lost"] == 0 and row["gained"] >= 0
    assert row["gained"] == pytest.approx(
        spec.recipe(
            {
                **city,
                "health_facilities": edited_frame(
                    facilities,
                    "health_facilities",
                    Edits(frozenset(), {"health_facilities": added}),
                    "facility_id",
                ),
            },
            params,
        ).set_index(["level", "unit_id"])["population_within"][key]
        - before[key],
        abs=1e-6,
    )
