"""Density results in PostGIS checked against an independent computation in SQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from analysis.errors import ParameterError
from analysis.registry import POPULATION_DENSITY
from analysis.runner import run_indicator


def test_ward_density_matches_postgis_geography_area(loaded: Engine) -> None:
    with loaded.connect() as conn:
        rows = conn.execute(
            sa.text("""
            SELECT r.unit_id, r.density_per_km2, r.area_km2,
                   u.population / (ST_Area(u.geom::geography) / 1e6) AS independent,
                   ST_Area(u.geom::geography) / 1e6 AS geog_km2
            FROM analysis.population_density r
            JOIN land.admin_units u USING (unit_id)
            WHERE r.level = 'ward' AND u.vintage = 2019""")
        ).all()
    assert len(rows) == 17
    for row in rows:
        # UTM area vs ellipsoidal area: within 0.1 % at Mỹ Tho (scale factor ~0.9996²)
        assert row.area_km2 == pytest.approx(row.geog_km2, rel=1e-3)
        assert row.density_per_km2 == pytest.approx(row.independent, rel=1e-3)


def test_city_rows_and_interpolated_2025_wards(loaded: Engine) -> None:
    with loaded.connect() as conn:
        city = conn.execute(
            sa.text(
                "SELECT population, area_km2, density_per_km2 FROM analysis.population_density "
                "WHERE unit_id = '2019-city'"
            )
        ).one()
        wards_2025 = conn.execute(
            sa.text(
                "SELECT sum(population), count(*), min(population_method) "
                "FROM analysis.population_density WHERE level = 'ward' AND vintage = 2025"
            )
        ).one()
    assert city.population == 228_109
    assert city.density_per_km2 == pytest.approx(city.population / city.area_km2)
    assert 80 < city.area_km2 < 86  # official 81.5–82.2 km²; boundaries of ~2013–2015
    assert wards_2025[1] == 5
    # areal interpolation keeps (nearly) everyone: the two vintages' outlines differ slightly
    assert wards_2025[0] == pytest.approx(228_109, rel=0.02)
    assert wards_2025[2].startswith("areal interpolation")


def test_rerun_with_same_inputs_is_a_no_op_and_provenance_is_kept(loaded: Engine) -> None:
    report = run_indicator(loaded, POPULATION_DENSITY)
    assert report.unchanged
    with loaded.connect() as conn:
        run = conn.execute(
            sa.text("SELECT inputs, parameters, analysis_crs FROM analysis.indicator_runs WHERE run_id = :r"),
            {"r": report.run_id},
        ).one()
    assert "land.admin_units" in run.inputs
    assert run.analysis_crs == "EPSG:32648"
    assert "census_vintage" in run.parameters


def test_bad_parameters_are_refused_by_name(loaded: Engine) -> None:
    with pytest.raises(ParameterError, match="population_density.census_vintage"):
        run_indicator(loaded, POPULATION_DENSITY, params={"census_vintage": "soon"})
    with pytest.raises(ParameterError, match="no parameter"):
        run_indicator(loaded, POPULATION_DENSITY, params={"radius": 5})
