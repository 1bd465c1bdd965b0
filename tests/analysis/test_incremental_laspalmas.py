"""Incremental scenario answers equal a full recomputation on the real Las Palmas data (pure: no
database): OpenStreetMap streets, schools, health facilities and parks of the bundled extract, the
municipal boundary with a census population, random edit sets drawn by hypothesis."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, box

from analysis.indicators.incremental_recipes import Edits, edited_frame, evaluate, prepare
from analysis.registry import get_indicator
from layers.catalog import LAYERS
from layers.osm import read_osm

DATA = Path(__file__).resolve().parents[1] / "data" / "las_palmas"
#: (edited layer, indicator) → a new feature's attributes.
CASES = {
    ("schools", "education_access"): {"level": "primary", "capacity": 300},
    ("health_facilities", "health_access"): {"type": "health_station"},
    ("green_spaces", "open_space_access"): {"type": "park", "public": True},
    ("health_facilities", "health_beds_2sfca"): {"type": "hospital", "beds": 40},
}
#: Examples per case: the full recomputation of 2SFCA on the whole island takes seconds (the
#: walkability index and the open-space overlay, a minute or more: they are tested on the demo).
EXAMPLES = {"health_beds_2sfca": 2}
ID_FIELDS = {name: spec.id_field for name, spec in LAYERS.items()}


@pytest.fixture(scope="module")
def city() -> dict[str, Any]:
    boundary = gpd.read_file(DATA / "las_palmas_boundary.geojson").to_crs(4326)
    osm = read_osm(DATA / "las_palmas_2023-02-21.osm.pbf", boundary=boundary.union_all())
    metric = boundary.estimate_utm_crs()
    units = gpd.GeoDataFrame(
        {
            "unit_id": ["2015-LP"],
            "vintage": [2015],
            "name_vi": ["Las Palmas"],
            "name_en": ["Las Palmas"],
            "population": [378_000],  # order of the 2015 population; equality does not depend on it
        },
        geometry=[boundary.union_all()],
        crs=4326,
    ).to_crs(metric)
    frames = {k: v.to_crs(metric).reset_index(drop=True) for k, v in osm.frames.items()}
    for name, frame in frames.items():
        if name in ID_FIELDS and ID_FIELDS[name] in frame:
            frame[ID_FIELDS[name]] = frame[ID_FIELDS[name]].astype(str)
    return {"admin_units": units, **frames}


def _geometry(layer: str, x: float, y: float) -> Any:
    return box(x, y, x + 200, y + 150) if layer == "green_spaces" else Point(x, y)


def _edits(draw: st.DrawFn, layer: str, attrs: dict[str, Any], inputs: dict[str, Any]) -> Edits:
    frame = inputs[layer]
    minx, miny, maxx, maxy = inputs["admin_units"].total_bounds
    xs = st.floats(minx + 0.3 * (maxx - minx), minx + 0.7 * (maxx - minx))
    ys = st.floats(miny + 0.3 * (maxy - miny), miny + 0.7 * (maxy - miny))
    id_field = ID_FIELDS[layer]
    ids = frame[id_field].tolist()
    removed = draw(st.lists(st.sampled_from(ids), max_size=3, unique=True))
    changed = [i for i in removed if draw(st.booleans())]
    rows = [{id_field: f"new-{n}", **attrs} for n in range(draw(st.integers(0, 2)))]
    rows += [{id_field: i, **attrs} for i in changed]
    geoms = [_geometry(layer, draw(xs), draw(ys)) for _ in rows]
    if not rows and not removed:
        rows, geoms = [{id_field: "new-x", **attrs}], [_geometry(layer, draw(xs), draw(ys))]
    added = gpd.GeoDataFrame(pd.DataFrame(rows), geometry=geoms, crs=frame.crs) if rows else None
    return Edits(frozenset(f"{layer}:{i}" for i in removed), {layer: added} if added is not None else {})


def _assert_rows_equal(spec: Any, fast: gpd.GeoDataFrame, full: gpd.GeoDataFrame) -> None:
    a = fast.set_index(["level", "unit_id"]).sort_index()
    b = full.set_index(["level", "unit_id"]).sort_index()
    assert a.index.equals(b.index)
    for column in (c.name for c in spec.result_columns):
        if pd.api.types.is_numeric_dtype(b[column]):
            np.testing.assert_allclose(
                a[column].astype(float), b[column].astype(float), rtol=1e-9, atol=1e-6, err_msg=column
            )


@pytest.mark.parametrize(("layer", "indicator"), sorted(CASES))
def test_incremental_equals_full_on_las_palmas(city: dict[str, Any], layer: str, indicator: str) -> None:
    spec = get_indicator(indicator)
    if any(city.get(name) is None for name in spec.inputs if name not in ("admin_units",)):
        pytest.fail(f"the Las Palmas extract lacks an input of {indicator}: {spec.inputs}")
    if indicator == "health_beds_2sfca":  # OSM gives no beds: every third facility gets some
        facilities = city["health_facilities"]
        city = {
            **city,
            "health_facilities": facilities.assign(
                beds=[(i % 3 == 0) * (5 + i % 40) for i in range(len(facilities))]
            ),
        }
    params = spec.resolve_params(None)
    codes = tuple(getattr(spec.recipe, "keywords", {}).get("open_codes", ()))
    base = prepare(indicator, spec.recipe, city, params, ID_FIELDS, open_codes=codes)
    assert len(base.rows) > 1

    @settings(max_examples=EXAMPLES.get(indicator, 4), deadline=None, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        edits = _edits(data.draw, layer, CASES[layer, indicator], city)
        fast = evaluate(base, edits, ID_FIELDS)
        edited = {**city, layer: edited_frame(city[layer], layer, edits, ID_FIELDS[layer])}
        _assert_rows_equal(spec, fast, spec.recipe(edited, params))

    check()
