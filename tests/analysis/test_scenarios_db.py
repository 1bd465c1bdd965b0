"""Scenarios on the Mỹ Tho demo database: incremental answers equal a full recomputation on the
edited layers (property-based), edits are validated like loads, storage round trips, stale edits
and baseline changes are reported."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, box
from sqlalchemy.engine import URL, Engine

from analysis.registry import get_indicator
from analysis.scenarios import evaluate as ev
from analysis.scenarios import store
from analysis.scenarios.edits import Edit, validate_edits
from analysis.scenarios.errors import ScenarioError
from gis.engine import create_engine

#: Layers whose edits the access indicators answer incrementally, and a valid new feature's attributes.
NEW = {
    "schools": ("education_access", {"level": "primary", "capacity": 400}),
    "health_facilities": ("health_access", {"type": "health_station", "beds": 5}),
    "transit_stops": ("transit_access", {"capacity": "low", "mode": "bus"}),
    "green_spaces": ("open_space_access", {"type": "park", "public": True}),
}
#: (edited layer, indicator) of the other incremental answers → examples: 2SFCA catchments, the
#: walkability daily-living sets, the tiles of the open-space overlay, the land-use mix per ward and
#: cell (fewer examples: their full recomputation takes seconds).
MORE = {
    ("health_facilities", "health_beds_2sfca"): 5,
    ("transit_stops", "walkability"): 4,
    ("green_spaces", "open_space_share"): 3,
    ("land_use", "land_use_mix"): 3,
}
#: A valid new feature's attributes per edited layer (the demo's land use is all planned).
ATTRS = {
    **{layer: attrs for layer, (_, attrs) in NEW.items()},
    "land_use": {"code": "DKV", "status": "planned"},
}


@pytest.fixture(scope="module")
def demo(demo_url: URL) -> Iterator[Engine]:
    eng = create_engine(demo_url)
    yield eng
    eng.dispose()


def _city_box(engine: Engine) -> tuple[float, float, float, float]:
    frame = gpd.read_postgis(
        "SELECT geom FROM land.admin_units WHERE vintage = 2025", engine, geom_col="geom"
    )
    minx, miny, maxx, maxy = frame.total_bounds
    return float(minx), float(miny), float(maxx), float(maxy)


def _baseline_ids(engine: Engine, layer: str) -> list[str]:
    spec = ev.get_layer(layer)
    with engine.connect() as conn:
        cur = conn.connection.driver_connection.cursor()
        cur.execute(f"SELECT {spec.id_field}::text FROM {spec.schema}.{spec.table} ORDER BY 1")  # noqa: S608 - catalog names
        return [r[0] for r in cur.fetchall()]


def _geometry(layer: str, x: float, y: float) -> Any:
    if layer in ("green_spaces", "land_use"):
        return box(x, y, x + 0.002, y + 0.0015)  # about 220 m × 165 m: above the minimum area
    return Point(x, y)


@st.composite
def edit_sets(draw: st.DrawFn, layer: str, ids: list[str], bounds: tuple[float, ...]) -> list[Edit]:
    minx, miny, maxx, maxy = bounds
    xs = st.floats(minx + 0.2 * (maxx - minx), minx + 0.8 * (maxx - minx))
    ys = st.floats(miny + 0.2 * (maxy - miny), miny + 0.8 * (maxy - miny))
    attrs = ATTRS[layer]
    edits: list[Edit] = []
    for n in range(draw(st.integers(0, 3))):
        edits.append(Edit(layer, "add", f"prop-{n}", _geometry(layer, draw(xs), draw(ys)), attrs))
    touched = draw(st.lists(st.sampled_from(ids), max_size=3, unique=True))
    for fid in touched:
        if draw(st.booleans()):
            edits.append(Edit(layer, "remove", fid))
        else:
            edits.append(Edit(layer, "change", fid, _geometry(layer, draw(xs), draw(ys)), attrs))
    return edits or [Edit(layer, "add", "prop-x", _geometry(layer, draw(xs), draw(ys)), attrs)]


def _assert_same(incremental: gpd.GeoDataFrame, full: gpd.GeoDataFrame) -> None:
    a = incremental.sort_values(["level", "unit_id"]).reset_index(drop=True)
    b = full.sort_values(["level", "unit_id"]).reset_index(drop=True)
    assert a["unit_id"].tolist() == b["unit_id"].tolist()
    np.testing.assert_allclose(a["after"].to_numpy(), b["after"].to_numpy(), rtol=1e-9, atol=1e-6)
    for va, vb in zip(a["values"], b["values"], strict=True):
        for k in va:
            x, y = va[k], vb[k]
            if isinstance(x, float) and isinstance(y, float):
                assert x == pytest.approx(y, rel=1e-9, abs=1e-6, nan_ok=True), k
            else:
                assert x == y, k


def _check_incremental(demo: Engine, data_dir: Path, layer: str, indicator: str, examples: int) -> None:
    spec = get_indicator(indicator)
    ids = _baseline_ids(demo, layer)
    bounds = _city_box(demo)
    assert ids

    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck))
    @given(edits=edit_sets(layer, ids, bounds))
    def check(edits: list[Edit]) -> None:
        clean = validate_edits(demo, edits)
        # full precision (published=False): the answers' rounding would hide differences
        fast = ev.evaluate_indicator(demo, spec, clean, data_dir=data_dir, published=False)
        full = ev.evaluate_indicator(demo, spec, clean, data_dir=data_dir, force_full=True, published=False)
        assert fast.method == "incremental" and full.method == "full"
        _assert_same(fast.rows, full.rows)

    check()


@pytest.mark.parametrize("layer", sorted(NEW))
def test_incremental_equals_full_recomputation(demo: Engine, demo_data_dir: Path, layer: str) -> None:
    _check_incremental(demo, demo_data_dir, layer, NEW[layer][0], 12)


@pytest.mark.parametrize(("layer", "indicator"), sorted(MORE))
def test_more_incremental_answers_equal_full_recomputation(
    demo: Engine, demo_data_dir: Path, layer: str, indicator: str
) -> None:
    _check_incremental(demo, demo_data_dir, layer, indicator, MORE[layer, indicator])


def _published_state(engine: Engine) -> list[Any]:
    with engine.connect() as conn:
        cur = conn.connection.driver_connection.cursor()
        cur.execute("SELECT table_name, version FROM catalog.data_versions ORDER BY 1")
        versions = cur.fetchall()
        cur.execute("SELECT count(*), max(run_id) FROM analysis.indicator_runs")
        return [versions, cur.fetchone()]


def test_one_added_school_changes_only_nearby_units_and_raises_access(
    demo: Engine, demo_data_dir: Path
) -> None:
    published = _published_state(demo)
    minx, miny, maxx, maxy = _city_box(demo)
    edit = Edit(
        "schools", "add", "new-school", Point((minx + maxx) / 2, (miny + maxy) / 2), {"level": "primary"}
    )
    (change,) = ev.evaluate_edits(
        demo, validate_edits(demo, [edit]), only=["education_access"], data_dir=demo_data_dir
    )
    assert change.method == "incremental" and change.synthetic
    assert len(change.rows) > 0
    assert (change.rows["change"].fillna(0) >= -1e-9).all()  # adding a school never lowers access
    cells = change.rows[change.rows["level"] == "grid"]
    base = ev.baseline(demo, get_indicator("education_access"), data_dir=demo_data_dir).rows
    assert 0 < len(cells) < (base["level"] == "grid").sum() / 2  # only where it can change
    assert _published_state(demo) == published  # the baseline and its published results are untouched


def test_a_road_edit_is_recomputed_in_full(demo: Engine, demo_data_dir: Path) -> None:
    minx, miny, maxx, maxy = _city_box(demo)
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    from shapely.geometry import LineString

    road = Edit(
        "roads",
        "add",
        "new-road",
        LineString([(cx, cy), (cx + 0.01, cy + 0.01)]),
        {"road_class": "residential", "walkable": True},
    )
    changes = ev.evaluate_edits(
        demo, validate_edits(demo, [road]), only=["health_access"], data_dir=demo_data_dir
    )
    assert [c.method for c in changes] == ["full"]


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (Edit("nope", "add", "x", Point(106.36, 10.36)), "unknown layer"),
        (Edit("schools", "add", "x", Point(106.36, 10.36), {"level": "nursery"}), "nursery"),
        (Edit("schools", "add", "x", box(106.36, 10.36, 106.37, 10.37), {"level": "primary"}), "geometry"),
        (
            Edit("schools", "add", "x", Point(105.0, 9.0), {"level": "primary"}),
            "outside the study area mytho",
        ),
        (Edit("schools", "remove", "no-such-school"), "not in the baseline"),
    ],
)
def test_bad_edits_are_refused_naming_the_problem(demo: Engine, edit: Edit, words: str) -> None:
    with pytest.raises(ScenarioError) as info:
        validate_edits(demo, [edit])
    assert words in str(info.value)


def test_store_round_trip_copy_rename_parent_stale_and_nothing_half_applied(demo: Engine) -> None:
    ids = _baseline_ids(demo, "schools")
    s = store.create(demo, "t-phase1", title_vi="Giai đoạn 1", title_en="Phase 1", author="alice")
    assert s.edits == 0 and s.baseline_versions
    store.add_edits(demo, "t-phase1", [Edit("schools", "remove", ids[0])], author="alice")
    with pytest.raises(ScenarioError):  # one bad edit: nothing of the batch is stored
        store.add_edits(
            demo,
            "t-phase1",
            [
                Edit("schools", "remove", ids[1]),
                Edit("schools", "add", "y", Point(106.36, 10.36), {"level": "x"}),
            ],
            author="alice",
        )
    assert [e.key for e in store.effective_edits(demo, "t-phase1")] == [f"schools:{ids[0]}"]
    store.create(
        demo, "t-phase2", title_vi="Giai đoạn 2", title_en="Phase 2", author="bob", parent="t-phase1"
    )
    store.add_edits(demo, "t-phase2", [Edit("schools", "remove", ids[2])], author="bob")
    assert {e.key for e in store.effective_edits(demo, "t-phase2")} == {
        f"schools:{ids[0]}",
        f"schools:{ids[2]}",
    }
    with pytest.raises(ScenarioError, match="parent"):
        store.delete(demo, "t-phase1")
    store.copy(demo, "t-phase2", "t-phase2b", author="carol")
    store.rename(demo, "t-phase2b", "t-phase2c")
    assert store.get(demo, "t-phase2c").parent == "t-phase1"
    with pytest.raises(ScenarioError, match="already exists"):
        store.create(demo, "t-phase2c", title_vi="x", title_en="x", author="a")
    assert store.baseline_changes(demo, store.get(demo, "t-phase2c")) == []
    assert store.stale_edits(demo, store.effective_edits(demo, "t-phase2c")) == []
    for name in ("t-phase2c", "t-phase2", "t-phase1"):
        store.delete(demo, name)
    with pytest.raises(ScenarioError, match="No scenario"):
        store.get(demo, "t-phase1")


def test_baseline_change_and_gone_feature_are_reported_not_dropped(demo: Engine) -> None:
    fid = _baseline_ids(demo, "schools")[-1]
    store.create(demo, "t-stale", title_vi="Cũ", title_en="Stale", author="alice")
    store.add_edits(demo, "t-stale", [Edit("schools", "remove", fid)], author="alice")
    with demo.begin() as conn:
        cur = conn.connection.driver_connection.cursor()
        cur.execute("SELECT to_jsonb(s) FROM infrastructure.schools s WHERE school_id = %(id)s", {"id": fid})
        (saved,) = cur.fetchone()
        cur.execute("DELETE FROM infrastructure.schools WHERE school_id = %(id)s", {"id": fid})
    try:
        s = store.get(demo, "t-stale")
        assert store.baseline_changes(demo, s) == ["infrastructure.schools"]
        edits = store.effective_edits(demo, "t-stale")
        assert [e.key for e in store.stale_edits(demo, edits)] == [f"schools:{fid}"]
        assert [e.key for e in edits] == [f"schools:{fid}"]  # still stored: reported, not dropped
    finally:
        with demo.begin() as conn:
            cur = conn.connection.driver_connection.cursor()
            cur.execute(
                "INSERT INTO infrastructure.schools "
                "SELECT * FROM jsonb_populate_record(NULL::infrastructure.schools, %(row)s)",
                {"row": __import__("json").dumps(saved)},
            )
        store.delete(demo, "t-stale")


def test_an_edit_saved_through_the_qgis_view_records_the_areas_versions(demo: Engine) -> None:
    """The INSTEAD OF trigger of the QGIS edit views draws the scenario anew on its area's versions
    (``catalog.baseline_versions``), not on whole-table versions."""
    store.create(demo, "t-view", title_vi="Lớp sửa", title_en="Edit view", author="alice")
    try:
        with demo.begin() as conn:
            cur = conn.connection.driver_connection.cursor()
            # a statement that changes no row: the whole table's version moves, Mỹ Tho's does not
            cur.execute("UPDATE infrastructure.schools SET name = name WHERE false")
            cur.execute(
                "INSERT INTO scenario.edit_schools (scenario, level, capacity, geom) "
                "SELECT 't-view', 'primary', 400, ST_PointOnSurface(geom) FROM land.admin_units "
                "WHERE area = 'mytho' ORDER BY unit_id LIMIT 1"
            )
            cur.execute(
                "SELECT (SELECT version FROM catalog.data_versions WHERE table_name = 'infrastructure.schools'), "
                "(SELECT version FROM catalog.area_data_versions "
                " WHERE table_name = 'infrastructure.schools' AND area = 'mytho')"
            )
            whole, mytho = cur.fetchone()
        assert whole != mytho
        s = store.get(demo, "t-view")
        assert s.edits == 1
        assert s.baseline_versions["infrastructure.schools"] == mytho
        assert s.baseline_versions == store.data_versions(demo, "mytho")
        assert store.baseline_changes(demo, s) == []
    finally:
        store.delete(demo, "t-view")
