"""SDG 11.3.1 (LCRPGR): the rate functions on hand-checked values, the empty states with their
reasons, the pairing of built-up epochs with census years, and the recipe on the tiny city."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from affine import Affine
from pyproj import CRS

from analysis.indicators.landconsumption import Pairing, lcrpgr, log_rate, pair_years
from analysis.indicators.rasters import Raster
from analysis.registry import SDG_11_3_1
from tests.analysis import city

LN2 = float(np.log(2))


def test_log_rate_hand_values_and_nan_never_infinity() -> None:
    assert float(log_rate(100.0, 200.0, 10)) == pytest.approx(LN2 / 10)
    assert float(log_rate(200.0, 100.0, 5)) == pytest.approx(-LN2 / 5)
    assert float(log_rate(7.0, 7.0, 3)) == 0.0
    out = log_rate([0.0, 100.0, -1.0, np.nan, 10.0], [10.0, 0.0, 10.0, 10.0, 20.0], 10)
    assert np.isnan(out[:4]).all() and out[4] == pytest.approx(LN2 / 10)
    assert np.isnan(log_rate(1.0, 2.0, 0)).all()


def test_lcrpgr_hand_values() -> None:
    p = Pairing(2010, 2020, 2009, 2019)
    out = lcrpgr(
        [100.0, 100.0, 100.0], [200.0, 200.0, 200.0], [1000, 1000, 2000], [2000, 1500, 1000], pairing=p
    )
    assert out["lcr_pct"].tolist() == pytest.approx([LN2 * 10] * 3)  # ln 2 / 10 years, in %
    assert out["pgr_pct"].tolist() == pytest.approx([LN2 * 10, np.log(1.5) * 10, -LN2 * 10])
    # same rates → 1; population ×1.5 → ln 2 / ln 1.5 = 1.7095; population halved → −1
    assert out["lcrpgr"].tolist() == pytest.approx([1.0, 1.709511291351455, -1.0])
    assert out["reason_en"].isna().all() and out["reason_vi"].isna().all()  # a negative ratio is a value
    # each rate over its own period: built-up doubles in 5 years (2010→2015), people in 10
    short = lcrpgr([100.0], [200.0], [1000], [2000], pairing=Pairing(2010, 2015, 2009, 2019))
    assert short["lcrpgr"].iloc[0] == pytest.approx(2.0)


@pytest.mark.parametrize(
    ("urb", "pop", "lcr_defined", "pgr_defined", "reason", "reason_vi"),
    [
        (
            (0.0, 50.0),
            (1000, 2000),
            False,
            True,
            "no built-up area in 2010",
            "không có đất xây dựng năm 2010",
        ),
        ((0.0, 0.0), (1000, 2000), False, True, "no built-up area in 2010", "không có đất xây dựng năm 2010"),
        (
            (50.0, 0.0),
            (1000, 2000),
            False,
            True,
            "no built-up area left in 2020",
            "không còn đất xây dựng năm 2020",
        ),
        (
            (50.0, 100.0),
            (0, 2000),
            True,
            False,
            "zero, negative or missing in the 2009 census",
            "Tổng điều tra 2009",
        ),
        (
            (50.0, 100.0),
            (1000, -5),
            True,
            False,
            "zero, negative or missing in the 2019 census",
            "Tổng điều tra 2019",
        ),
        (
            (50.0, 100.0),
            (np.nan, 2000),
            True,
            False,
            "zero, negative or missing in the 2009 census",
            "Tổng điều tra 2009",
        ),
        (
            (50.0, 100.0),
            (1000, 1000),
            True,
            True,
            "did not change between 2009 and 2019 (PGR = 0)",
            "dân số không đổi giữa 2009 và 2019",
        ),
    ],
)
def test_lcrpgr_undefined_is_null_with_a_reason(
    urb: tuple[float, float],
    pop: tuple[float, float],
    lcr_defined: bool,
    pgr_defined: bool,
    reason: str,
    reason_vi: str,
) -> None:
    out = lcrpgr([urb[0]], [urb[1]], [pop[0]], [pop[1]], pairing=Pairing(2010, 2020, 2009, 2019)).iloc[0]
    assert np.isnan(out["lcrpgr"])
    assert np.isfinite(out["lcr_pct"]) == lcr_defined
    assert np.isfinite(out["pgr_pct"]) == pgr_defined
    assert reason in out["reason_en"]
    assert reason_vi in out["reason_vi"]
    numbers = out[["lcr_pct", "pgr_pct", "lcrpgr"]].astype(float).to_numpy()
    assert not np.isinf(numbers).any()


def test_both_rates_undefined_give_both_reasons_and_no_census_says_so() -> None:
    out = lcrpgr([0.0], [0.0], [0], [0], pairing=Pairing(2010, 2020, 2009, 2019)).iloc[0]
    assert "no built-up area in 2010" in out["reason_en"] and "2009 census" in out["reason_en"]
    alone = lcrpgr([10.0], [20.0], [np.nan], [500.0], pairing=Pairing(2015, 2025), has_census=False).iloc[0]
    assert alone["lcr_pct"] == pytest.approx(LN2 * 10)
    assert np.isnan(alone["pgr_pct"]) and np.isnan(alone["lcrpgr"])
    assert "land.population_census" in alone["reason_en"] and "land.population_census" in alone["reason_vi"]


def test_pair_years_nearest_epochs() -> None:
    assert pair_years([1990, 2000, 2010, 2015, 2020, 2025], 2009, 2019) == (2010, 2020)  # GHSL epochs
    assert pair_years([2009, 2015, 2019, 2025], 2009, 2019) == (2009, 2019)
    assert pair_years([2015, 2025], 2009, 2019) == (2015, 2025)  # never the same epoch twice
    with pytest.raises(ValueError, match="at least two years"):
        pair_years([2020], 2009, 2019)
    label = Pairing(2010, 2020, 2009, 2019, "nearest").label() or ""
    assert "built-up 2010→2020 ↔ census 2009→2019 (nearest epochs" in label and "đất xây dựng" in label
    assert Pairing(2015, 2025).label() is None


# -- the recipe on the tiny city (W1, W2: 1 km² each; see tests/analysis/city.py) -------------------


def _built(year: int, w1: float, w2: float) -> Raster:
    arr = np.hstack([np.full((10, 10), w1), np.full((10, 10), w2)])
    return Raster(
        "environment.built_up",
        arr,
        Affine(100, 0, city.X0, 0, -100, city.Y0 + 1000),
        CRS.from_epsg(32648),
        year,
    )


def census(counts: dict[int, tuple[float, float]]) -> gpd.GeoDataFrame:
    """The census series of W1 and W2 on the 2019 boundaries: {year: (W1, W2)}."""
    units = city.units()
    parts = [
        gpd.GeoDataFrame(
            {
                "census_unit_id": [f"{year}-W1", f"{year}-W2"],
                "code": ["W1", "W2"],
                "vintage": 2019,
                "census_year": year,
                "name_vi": units["name_vi"],
                "population": list(pops),
            },
            geometry=units.geometry.to_numpy(),
            crs=city.CRS,
        )
        for year, pops in counts.items()
    ]
    return gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), geometry="geometry", crs=city.CRS)


def _units_with_2025() -> gpd.GeoDataFrame:
    units = city.units()
    merged = gpd.GeoDataFrame(
        {
            "unit_id": ["2025-M"],
            "vintage": [2025],
            "code": ["M"],
            "name_vi": ["Phường Gộp"],
            "name_en": ["Merged ward"],
            "level": ["ward"],
        },
        geometry=[city.rect(0, 0, 2000, 1000)],
        crs=city.CRS,
    )
    return gpd.GeoDataFrame(pd.concat([units, merged], ignore_index=True), geometry="geometry", crs=city.CRS)


def _row(rows: gpd.GeoDataFrame, unit: str) -> Any:
    return rows[rows["unit_id"] == unit].iloc[0]


def test_recipe_wards_city_and_2025_from_the_census_series() -> None:
    inputs = {
        "admin_units": _units_with_2025(),
        "built_up": [_built(2010, 0.25, 0.1), _built(2015, 0.3, 0.1), _built(2020, 0.5, 0.2)],
        "population_census": census({2009: (500, 3000), 2019: (1000, 3000)}),
    }
    rows = SDG_11_3_1.recipe(inputs, SDG_11_3_1.resolve_params())
    w1, w2, c = (_row(rows, u) for u in ("2019-W1", "2019-W2", "2019-city"))
    assert (w1["year_start"], w1["year_end"], w1["census_year_start"], w1["census_year_end"]) == (
        2010,
        2020,
        2009,
        2019,
    )
    assert "nearest epochs" in w1["pairing"]
    assert w1["built_up_t1_km2"] == pytest.approx(0.25) and w1["built_up_t2_km2"] == pytest.approx(0.5)
    assert (w1["population_t1"], w1["population"]) == (500, 1000)
    assert w1["lcrpgr"] == pytest.approx(1.0) and pd.isna(w1["reason_en"])
    assert w1["built_up_per_capita_m2"] == pytest.approx(500.0)
    assert "by unit code" in w1["population_source"]
    # W2: 3000 → 3000, PGR = 0 → no ratio, and why
    assert w2["pgr_pct"] == 0.0 and np.isnan(w2["lcrpgr"]) and "PGR = 0" in w2["reason_en"]
    # city: built-up 0.35 → 0.70 km², population 3500 → 4000: ln 2 / ln(8/7)
    assert c["lcrpgr"] == pytest.approx(LN2 / np.log(8 / 7))
    assert (c["population_t1"], c["population"]) == (3500, 4000)
    # the 2025 ward covering both: census counts by areal interpolation, same totals as the city
    merged = _row(rows, "2025-M")
    assert merged["population_t1"] == pytest.approx(3500) and merged["population"] == pytest.approx(4000)
    assert merged["lcrpgr"] == pytest.approx(LN2 / np.log(8 / 7))
    assert "areal interpolation from the 2019 census units" in merged["population_source"]
    assert not np.isinf(rows[["lcr_pct", "pgr_pct", "lcrpgr"]].to_numpy(dtype=float)).any()


def test_recipe_same_years_chosen_years_and_bad_years() -> None:
    inputs = {
        "admin_units": city.units(),
        "built_up": [_built(2009, 0.25, 0.1), _built(2019, 0.5, 0.2), _built(2025, 0.6, 0.3)],
        "population_census": census({2009: (500, 1500), 2019: (1000, 3000)}),
    }
    rows = SDG_11_3_1.recipe(inputs, SDG_11_3_1.resolve_params())
    assert "(same years)" in _row(rows, "2019-W1")["pairing"]
    assert _row(rows, "2019-city")["lcrpgr"] == pytest.approx(1.0)
    chosen = SDG_11_3_1.recipe(inputs, SDG_11_3_1.resolve_params({"year_end": "2025"}))
    c = _row(chosen, "2019-city")
    assert (c["year_start"], c["year_end"]) == (2009, 2025) and "chosen by the user" in c["pairing"]
    assert c["lcr_pct"] == pytest.approx(np.log(0.9 / 0.35) / 16 * 100)
    with pytest.raises(ValueError, match="year_start=2015"):
        SDG_11_3_1.recipe(inputs, SDG_11_3_1.resolve_params({"year_start": "2015"}))
    with pytest.raises(ValueError, match="census years \\[2009, 2019\\]"):
        SDG_11_3_1.recipe(inputs, SDG_11_3_1.resolve_params({"census_year_start": "1999"}))
    with pytest.raises(ValueError, match="do not increase"):
        SDG_11_3_1.recipe(
            {**inputs, "population_census": census({2019: (1000, 3000)})}, SDG_11_3_1.resolve_params()
        )
    with pytest.raises(ValueError, match="at least two years"):
        SDG_11_3_1.recipe({**inputs, "built_up": inputs["built_up"][:1]}, SDG_11_3_1.resolve_params())


def test_recipe_without_census_series_gives_lcr_and_says_why_there_is_no_ratio() -> None:
    units = city.units().assign(population_year=2019)
    inputs = {"admin_units": units, "built_up": [_built(2010, 0.25, 0.1), _built(2020, 0.5, 0.2)]}
    rows = SDG_11_3_1.recipe(inputs, SDG_11_3_1.resolve_params())
    w1 = _row(rows, "2019-W1")
    assert w1["lcr_pct"] == pytest.approx(LN2 * 10)
    assert w1["population"] == pytest.approx(1000)  # the census of the admin units, spread over cells
    assert np.isnan(w1["lcrpgr"]) and "land.population_census" in w1["reason_en"]
    assert w1["pairing"] is None and pd.isna(w1["census_year_start"])


def test_unit_missing_from_the_census_has_no_value_and_neither_has_the_city() -> None:
    series = census({2009: (500, 1500), 2019: (1000, 3000)})
    series = series[series["code"] != "W2"]
    inputs = {
        "admin_units": city.units(),
        "built_up": [_built(2009, 0.25, 0.1), _built(2019, 0.5, 0.2)],
        "population_census": series,
    }
    rows = SDG_11_3_1.recipe(inputs, SDG_11_3_1.resolve_params())
    assert _row(rows, "2019-W1")["lcrpgr"] == pytest.approx(1.0)
    for unit in ("2019-W2", "2019-city"):
        row = _row(rows, unit)
        assert np.isnan(row["lcrpgr"]) and "missing in the 2009 census" in row["reason_en"]
