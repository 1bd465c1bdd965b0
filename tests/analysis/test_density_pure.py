"""Population density on tiny hand-computed fixtures (no database)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import box

from analysis.indicators.density import areal_interpolation, city_density, population_density
from analysis.indicators.recipes import population_density_recipe
from gis.errors import CrsError


def _units() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"population": [2000, 500, None]},
        geometry=[box(0, 0, 1000, 1000), box(1000, 0, 3000, 1000), box(0, 1000, 1000, 2000)],
        crs="EPSG:32648",
        index=["a", "b", "c"],
    )


def test_density_per_unit_hand_computed() -> None:
    out = population_density(_units())
    assert list(out.index) == ["a", "b", "c"]
    assert out.loc["a", "area_km2"] == pytest.approx(1.0)
    assert out.loc["a", "density_per_km2"] == pytest.approx(2000.0)
    assert out.loc["b", "density_per_km2"] == pytest.approx(250.0)
    assert np.isnan(out.loc["c", "density_per_km2"])


def test_city_density_is_total_over_total_not_mean_of_ratios() -> None:
    units = _units().iloc[:2]
    assert city_density(units)["density_per_km2"] == pytest.approx(2500 / 3)


def test_geographic_crs_is_refused() -> None:
    with pytest.raises(CrsError, match="geographic"):
        population_density(_units().to_crs(4326))


def test_doubling_population_doubles_density() -> None:
    units = _units()
    doubled = units.assign(population=units["population"] * 2)
    a = population_density(units)["density_per_km2"]
    b = population_density(doubled)["density_per_km2"]
    assert np.allclose(b.dropna(), 2 * a.dropna())


def test_areal_interpolation_conserves_totals() -> None:
    src = gpd.GeoDataFrame(
        {"pop": [100.0, 300.0]}, geometry=[box(0, 0, 2, 2), box(2, 0, 4, 2)], crs="EPSG:32648"
    )
    tgt = gpd.GeoDataFrame(geometry=[box(0, 0, 1, 2), box(1, 0, 4, 2)], crs="EPSG:32648")
    out = areal_interpolation(src, tgt, column="pop")
    assert out.tolist() == pytest.approx([50.0, 350.0])
    assert out.sum() == pytest.approx(400.0)


def test_recipe_interpolates_units_without_census() -> None:
    census = gpd.GeoDataFrame(
        {
            "unit_id": ["c1", "c2"],
            "vintage": [2019, 2019],
            "name_vi": ["A", "B"],
            "name_en": ["A", "B"],
            "population": [1000.0, 3000.0],
        },
        geometry=[box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000)],
        crs="EPSG:32648",
    )
    new = gpd.GeoDataFrame(
        {"unit_id": ["n1"], "vintage": [2025], "name_vi": ["Mới"], "name_en": ["New"], "population": [None]},
        geometry=[box(500, 0, 1500, 1000)],
        crs="EPSG:32648",
    )
    units = gpd.GeoDataFrame(__import__("pandas").concat([census, new], ignore_index=True), crs="EPSG:32648")
    rows = population_density_recipe({"admin_units": units}, {"census_vintage": None})
    n1 = rows[rows["unit_id"] == "n1"].iloc[0]
    assert n1["population"] == pytest.approx(2000.0)  # half of each
    assert n1["population_method"].startswith("areal interpolation")
    city = rows[(rows["level"] == "city") & (rows["vintage"] == 2019)].iloc[0]
    assert city["density_per_km2"] == pytest.approx(2000.0)
    with pytest.raises(ValueError, match="census_vintage=2000"):
        population_density_recipe({"admin_units": units}, {"census_vintage": 2000})
