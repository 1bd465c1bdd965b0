"""Loading the real Mỹ Tho admin units: counts, census totals, idempotence, atomicity."""

from __future__ import annotations

import geopandas as gpd
import pytest
import sqlalchemy as sa
from shapely.geometry import Polygon
from sqlalchemy.engine import Engine

from layers.catalog import ADMIN_UNITS
from layers.errors import LoadError, ValidationError
from layers.load import SourceInfo, content_checksum, load_frame
from layers.sources import mytho


def _counts(engine: Engine) -> dict[int, tuple[int, int | None]]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT vintage, count(*), sum(population) FROM land.admin_units GROUP BY vintage")
        )
        return {int(v): (int(n), None if p is None else int(p)) for v, n, p in rows}


def _checksum(engine: Engine) -> tuple[int, str]:
    with engine.connect() as conn:
        return content_checksum(conn, ADMIN_UNITS)


def test_real_data_is_loaded_with_census_totals(loaded: Engine) -> None:
    counts = _counts(loaded)
    assert counts[2019] == (17, 228_109)
    assert counts[2025][0] == 5
    with loaded.connect() as conn:
        names = set(
            conn.execute(sa.text("SELECT name_vi FROM land.admin_units WHERE vintage = 2025")).scalars()
        )
        hh = conn.execute(
            sa.text("SELECT sum(households) FROM land.admin_units WHERE vintage = 2019")
        ).scalar_one()
        invalid = conn.execute(
            sa.text("SELECT count(*) FROM land.admin_units WHERE NOT ST_IsValid(geom)")
        ).scalar_one()
    assert "Phường Đạo Thạnh" in names and "Phường Mỹ Tho" in names  # diacritics intact
    assert hh == 71_555
    assert invalid == 0


def test_provenance_is_recorded(loaded: Engine) -> None:
    with loaded.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT layer, source_path, source_checksum, features_read, features_written, scope, "
                "loaded_by, dothi_version FROM catalog.load_provenance ORDER BY load_id"
            )
        ).all()
    assert len(rows) >= 2
    first = rows[0]
    assert first.layer == "land.admin_units"
    assert "my_tho_wards_2009bnd" in first.source_path and len(first.source_checksum) == 64
    assert first.features_read == first.features_written == 17
    assert first.scope == '{"vintage": 2019}'
    assert first.loaded_by and first.dothi_version


def test_loading_the_same_files_again_is_a_no_op(loaded: Engine) -> None:
    before = _checksum(loaded)
    with loaded.connect() as conn:
        n_loads = conn.execute(sa.text("SELECT count(*) FROM catalog.load_provenance")).scalar_one()
    for bundle in mytho.admin_unit_bundles():
        report = load_frame(loaded, ADMIN_UNITS, bundle.frame, source=bundle.source, scope=bundle.scope)
        assert report.unchanged
    with loaded.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM catalog.load_provenance")).scalar_one() == n_loads
    assert _checksum(loaded) == before


def _bad_bundle() -> mytho.Bundle:
    good = mytho.admin_units_2019()
    frame = good.frame.astype({"population": object})
    frame.loc[3, "level"] = "hamlet"  # not an allowed value
    frame.loc[5, "name_vi"] = None  # required
    frame.loc[7, "geometry"] = Polygon()  # empty
    frame.loc[8, "population"] = "many"  # wrong type
    frame.loc[9, "unit_id"] = frame.loc[10, "unit_id"]  # duplicate id
    src = SourceInfo(path="bad.geojson", checksum="x" * 64)
    return mytho.Bundle(frame=frame, source=src, scope={"vintage": 2019})


def test_bad_input_is_refused_with_every_problem_named_and_nothing_changes(loaded: Engine) -> None:
    before = _checksum(loaded)
    bad = _bad_bundle()
    with pytest.raises(ValidationError) as err:
        load_frame(loaded, ADMIN_UNITS, bad.frame, source=bad.source, scope=bad.scope)
    text = str(err.value)
    assert "bad.geojson: feature #4" in text and "'level'" in text and "hamlet" in text
    assert "feature #6" in text and "'name_vi'" in text and "required" in text
    assert "feature #8" in text and "empty geometry" in text
    assert "feature #9" in text and "'population'" in text
    assert "duplicate id" in text
    assert _checksum(loaded) == before


def test_a_failure_inside_the_transaction_leaves_the_previous_data(loaded: Engine) -> None:
    """A constraint violation after the old rows were deleted rolls everything back."""
    before = _checksum(loaded)
    good = mytho.admin_units_2019()
    frame = good.frame.copy()
    frame["unit_id"] = "2025-28249"  # same id as a 2025 ward: valid file, but PK clash in the table
    frame = frame.iloc[:1]
    src = SourceInfo(path="clash.geojson", checksum="y" * 64)
    with pytest.raises(LoadError, match="previous data is unchanged"):
        load_frame(loaded, ADMIN_UNITS, frame, source=src, scope={"vintage": 2019})
    assert _checksum(loaded) == before


def test_invalid_geometry_is_repaired_and_polygons_become_multipolygons(engine: Engine) -> None:
    bowtie = Polygon([(106.30, 10.30), (106.31, 10.31), (106.31, 10.30), (106.30, 10.31)])
    frame = gpd.GeoDataFrame(
        {"unit_id": ["t-1"], "vintage": [1999], "code": ["1"], "name_vi": ["Thử"], "level": ["ward"]},
        geometry=[bowtie],
        crs="EPSG:4326",
    )
    report = load_frame(
        engine, ADMIN_UNITS, frame, source=SourceInfo("bowtie.geojson", "z" * 64), scope={"vintage": 1999}
    )
    assert report.repaired == 1 and report.written == 1
    assert "Self-intersection" in report.repairs[0]
    with engine.begin() as conn:
        gtype, valid = conn.execute(
            sa.text("SELECT GeometryType(geom), ST_IsValid(geom) FROM land.admin_units WHERE unit_id = 't-1'")
        ).one()
        conn.execute(sa.text("DELETE FROM land.admin_units WHERE vintage = 1999"))
    assert (gtype, valid) == ("MULTIPOLYGON", True)


def test_missing_crs_is_refused(engine: Engine) -> None:
    from gis.errors import CrsError

    frame = mytho.admin_units_2025().frame.set_crs(None, allow_override=True)
    with pytest.raises(CrsError, match="no coordinate reference system"):
        load_frame(engine, ADMIN_UNITS, frame, source=SourceInfo("nocrs.shp", "n" * 64))
