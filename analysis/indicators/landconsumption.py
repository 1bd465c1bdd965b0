"""SDG 11.3.1: ratio of land consumption rate to population growth rate, and built-up per capita.

``LCR = ln(Urb_t2 / Urb_t1) / (t2 − t1)``, ``PGR = ln(Pop_t2 / Pop_t1) / (y2 − y1)`` and
``LCRPGR = LCR / PGR`` (UN-Habitat metadata, logarithmic rates).  Built-up area is the sum of each
``built_up`` cell's built-up share × cell area (cells assigned by their centre).  Both rates are
annual, so the built-up years and the population years need not coincide exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis.indicators.population import population_origins
from analysis.indicators.rasters import Raster, cell_centres
from analysis.indicators.reporting import assemble, point_sums_by_unit, ward_and_city_rows
from gis.crs import require_metric

Inputs = Mapping[str, Any]


def log_rate(start: Any, end: Any, years: float) -> Any:
    """Annual logarithmic growth rate ``ln(end / start) / years``.

    Examples
    --------
    >>> round(float(log_rate(100.0, 200.0, 10)) * 100, 4)  # % per year
    6.9315
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(np.asarray(end, dtype=float) / np.asarray(start, dtype=float)) / years


def built_up_points(raster: Raster, crs: Any) -> gpd.GeoDataFrame:
    """Built-up m² of each cell (share × cell area) at the cell centre, in ``crs``."""
    require_metric(raster.crs, what=f"raster {raster.layer} {raster.year}")
    cells = cell_centres(raster, positive_only=True)
    return gpd.GeoDataFrame(
        {"built": cells["value"].to_numpy() * raster.cell_area}, geometry=cells.geometry, crs=raster.crs
    ).to_crs(crs)


def _pick(rasters: list[Raster], year: int | None, *, which: str) -> Raster:
    if year is None:
        return rasters[0] if which == "start" else rasters[-1]
    for r in rasters:
        if r.year == year:
            return r
    raise ValueError(
        f"sdg_11_3_1.year_{which}={year}: raster environment.built_up has years {[r.year for r in rasters]}"
    )


def _population_end_year(inputs: Inputs, given: int | None) -> int:
    if given is not None:
        return given
    grid = inputs.get("population_grid")
    if grid is not None and grid.year:
        return int(grid.year)
    years = pd.to_numeric(inputs["admin_units"].get("population_year"), errors="coerce").dropna()
    if years.empty:
        raise ValueError("sdg_11_3_1.population_end_year: unknown; give the year of the current population")
    return int(years.max())


def lcrpgr_recipe(inputs: Inputs, params: dict[str, Any]) -> gpd.GeoDataFrame:
    """LCR per ward and city; PGR and LCRPGR for the city (population at two dates needed)."""
    units = inputs["admin_units"]
    rasters: list[Raster] = inputs["built_up"]
    if len(rasters) < 2:
        raise ValueError("raster environment.built_up needs at least two years for SDG 11.3.1")
    r1 = _pick(rasters, params["year_start"], which="start")
    r2 = _pick(rasters, params["year_end"], which="end")
    if r1.year is None or r2.year is None or r2.year <= r1.year:
        raise ValueError(f"sdg_11_3_1: built_up years {r1.year} → {r2.year} do not increase")
    origins = population_origins(inputs)
    pts = pd.concat(
        [
            built_up_points(r1, units.crs)
            .assign(built_t2=0.0, population=0.0)
            .rename(columns={"built": "built_t1"}),
            built_up_points(r2, units.crs)
            .assign(built_t1=0.0, population=0.0)
            .rename(columns={"built": "built_t2"}),
            origins.points.assign(built_t1=0.0, built_t2=0.0),
        ],
        ignore_index=True,
    )
    pts = gpd.GeoDataFrame(pts, geometry="geometry", crs=units.crs)
    sums = point_sums_by_unit(pts, units, ["built_t1", "built_t2", "population"])
    years = float(r2.year - r1.year)
    pop_start = params["population_start"]
    pop_years = None
    if pop_start is not None:
        start_year = params["population_start_year"]
        if start_year is None:
            raise ValueError("sdg_11_3_1.population_start_year is needed with population_start")
        pop_years = float(_population_end_year(inputs, params["population_end_year"]) - int(start_year))

    def finish(s: pd.DataFrame) -> pd.DataFrame:
        pop = s["population"].astype(float)
        lcr = np.asarray(log_rate(s["built_t1"], s["built_t2"], years), dtype=float)
        return pd.DataFrame(
            {
                "year_start": r1.year,
                "year_end": r2.year,
                "built_up_t1_km2": (s["built_t1"] / 1e6).to_numpy(),
                "built_up_t2_km2": (s["built_t2"] / 1e6).to_numpy(),
                "population": pop.to_numpy(),
                "built_up_per_capita_m2": (s["built_t2"] / pop.where(pop > 0)).to_numpy(),
                "lcr_pct": lcr * 100,
                "pgr_pct": np.nan,
                "lcrpgr": np.nan,
                "population_source": origins.method,
            }
        )

    rows = assemble(ward_and_city_rows(units, sums, finish), units.crs)
    if pop_start is not None and pop_years:
        city = rows["level"] == "city"
        pgr = np.asarray(log_rate(float(pop_start), rows.loc[city, "population"], pop_years), dtype=float)
        rows.loc[city, "pgr_pct"] = pgr * 100
        rows.loc[city, "lcrpgr"] = rows.loc[city, "lcr_pct"] / (pgr * 100)
    return rows
