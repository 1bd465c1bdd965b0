"""SDG 11.3.1: ratio of land consumption rate to population growth rate (LCRPGR), built-up per capita.

**Formula** (UN-Habitat metadata of SDG indicator 11.3.1, logarithmic rates)::

    LCR = ln(Urb_t2 / Urb_t1) / (t2 − t1)    PGR = ln(Pop_y2 / Pop_y1) / (y2 − y1)    LCRPGR = LCR / PGR

*Built-up area* ``Urb``: the sum over the ``built_up`` raster's cells of built-up share × cell area,
each cell assigned to the unit containing its centre. *Population* ``Pop``: the census time series
``land.population_census``. Units of the boundary vintage the counts are attached to take them by
unit code; units of any other vintage (the five wards of 2025) get them by areal interpolation of
the census units (people spread evenly within each census unit). The city row uses the sums over
its units, never a mean of ward ratios.

**Years paired.** The census years ``y1 < y2`` (default: the earliest and the latest census loaded)
are paired with the built-up epochs ``t1 < t2`` nearest to them: the same years when the raster has
them (the demo's synthetic built-up is made for 2009 and 2019, the census years), otherwise the
closest epochs, e.g. GHSL epochs 2010 and 2020 for the censuses of 2009 and 2019. Each rate is
annual over its own period, so a one-year offset changes little; the years used are in the columns
``year_start``/``year_end`` (built-up) and ``census_year_start``/``census_year_end`` and the
``pairing`` column says how they were paired (same years, nearest epochs, or chosen by the user
with the ``year_*`` and ``census_year_*`` parameters). No value is interpolated between epochs.

**No value, and why.** LCRPGR is left empty (NULL, never ∞ or NaN) and ``reason_vi``/``reason_en``
say why when: a unit has no built-up area at ``t1`` or ``t2`` (LCR undefined); a census count is
zero, negative or missing (PGR undefined); the population did not change (PGR = 0); no census time
series is loaded. A negative PGR is a value, not an empty state: LCRPGR < 0 then means built-up
land grew while the population fell — not "efficient" growth.

**Caveats.** (1) Boundaries: the 2009 counts belong to the census units of 2009 and are attached to
the outlines of the same-coded units as digitised about 2013–2015 (censusVN2009); a boundary change
between 2009 and 2019 inside the city would move people between units without showing here (the
city total is unaffected). Several central wards lost population between the censuses (Phường 1, 2,
3, 4, 7), so their PGR and LCRPGR are negative. (2) The 2025 wards have no census: both counts are
areal estimates from the 17 units of 2019. (3) Ward rates of small units are sensitive to a few
cells of built-up area. (4) The demo's built-up rasters are synthetic (derived from generated
buildings and their year of construction): the demo's LCR and LCRPGR are illustrations only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis.indicators.density import areal_interpolation
from analysis.indicators.population import population_origins
from analysis.indicators.rasters import Raster, cell_centres
from analysis.indicators.reporting import assemble, point_sums_by_unit, ward_and_city_rows
from gis.crs import require_metric

Inputs = Mapping[str, Any]
#: |PGR| below this (per year) counts as no change: the ratio is undefined, not huge.
PGR_ZERO = 1e-12


def log_rate(start: Any, end: Any, years: float) -> np.ndarray:
    """Annual logarithmic growth rate ``ln(end / start) / years``; NaN (never ±∞) where undefined.

    Undefined: ``start`` or ``end`` not positive (zero, negative, missing) or ``years`` ≤ 0.

    Examples
    --------
    >>> round(float(log_rate(100.0, 200.0, 10)) * 100, 4)  # % per year
    6.9315
    >>> log_rate([0.0, 100.0, -5.0], [10.0, 0.0, 10.0], 10).tolist()
    [nan, nan, nan]
    """
    a = np.asarray(start, dtype=float)
    b = np.asarray(end, dtype=float)
    ok = (a > 0) & (b > 0) & np.isfinite(a) & np.isfinite(b) & (years > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.log(np.where(ok, b, 1.0) / np.where(ok, a, 1.0)) / (years if years > 0 else 1.0)
    return np.where(ok, rate, np.nan)


@dataclass(frozen=True)
class Pairing:
    """Which built-up epochs go with which census years, and how they were chosen."""

    t1: int
    t2: int
    y1: int | None = None
    y2: int | None = None
    how: str = "same"  # same | nearest | chosen | no_census

    def label(self) -> str | None:
        """The bilingual ``pairing`` column (vi / en); None without a census series."""
        if self.y1 is None:
            return None
        built, census = f"{self.t1}→{self.t2}", f"{self.y1}→{self.y2}"
        vi, en = {
            "same": ("cùng năm", "same years"),
            "nearest": ("kỳ gần năm điều tra nhất; tốc độ theo năm", "nearest epochs; annual rates"),
            "chosen": ("năm do người dùng chọn; tốc độ theo năm", "years chosen by the user; annual rates"),
        }[self.how]
        return (
            f"đất xây dựng {built} ↔ điều tra dân số {census} ({vi}) / "
            f"built-up {built} ↔ census {census} ({en})"
        )


def pair_years(epochs: Sequence[int], y1: int, y2: int) -> tuple[int, int]:
    """The two built-up epochs ``t1 < t2`` closest to the census years ``y1 < y2``.

    Minimises ``|t1 − y1| + |t2 − y2|`` over pairs of distinct epochs (ties: the later pair).

    Examples
    --------
    >>> pair_years([2000, 2010, 2015, 2020], 2009, 2019)
    (2010, 2020)
    >>> pair_years([2009, 2015, 2019, 2025], 2009, 2019)
    (2009, 2019)
    >>> pair_years([2015, 2025], 2009, 2019)
    (2015, 2025)
    """
    years = sorted(set(epochs))
    if len(years) < 2:
        raise ValueError(f"raster environment.built_up needs at least two years (has {years})")
    pairs = [(a, b) for i, a in enumerate(years) for b in years[i + 1 :]]
    return min(pairs, key=lambda p: (abs(p[0] - y1) + abs(p[1] - y2), -p[0], -p[1]))


def _reasons(
    urb: tuple[np.ndarray, np.ndarray], pop: tuple[np.ndarray, np.ndarray] | None, pgr: np.ndarray, p: Pairing
) -> tuple[list[str | None], list[str | None]]:
    """Why LCRPGR is undefined, per row (vi, en); None where it has a value."""
    checks: list[tuple[np.ndarray, str, str]] = [
        (
            ~(urb[0] > 0),
            f"không có đất xây dựng năm {p.t1}: không xác định được tốc độ tiêu thụ đất",
            f"no built-up area in {p.t1}: the land consumption rate is undefined",
        ),
        (
            (urb[0] > 0) & ~(urb[1] > 0),
            f"không còn đất xây dựng năm {p.t2}: không xác định được tốc độ tiêu thụ đất",
            f"no built-up area left in {p.t2}: the land consumption rate is undefined",
        ),
    ]
    if pop is None:
        n = len(urb[0])
        checks.append(
            (
                np.ones(n, dtype=bool),
                "chưa có chuỗi dân số theo các kỳ điều tra (lớp land.population_census; "
                "nạp bằng dothi load mytho): không tính được tốc độ tăng dân số",
                "no census population time series (layer land.population_census; load it with "
                "dothi load mytho): the population growth rate cannot be computed",
            )
        )
    else:
        for values, year in ((pop[0], p.y1), (pop[1], p.y2)):
            checks.append(
                (
                    ~(values > 0),
                    f"dân số bằng 0, âm hoặc không có trong Tổng điều tra {year}: "
                    "không xác định được tốc độ tăng dân số",
                    f"population is zero, negative or missing in the {year} census: "
                    "the population growth rate is undefined",
                )
            )
        checks.append(
            (
                (pop[0] > 0) & (pop[1] > 0) & (np.abs(np.nan_to_num(pgr, nan=1.0)) < PGR_ZERO),
                f"dân số không đổi giữa {p.y1} và {p.y2} (PGR = 0): tỷ số không xác định",
                f"the population did not change between {p.y1} and {p.y2} (PGR = 0): the ratio is undefined",
            )
        )
    vi: list[str | None] = []
    en: list[str | None] = []
    for i in range(len(urb[0])):
        hits = [(v, e) for mask, v, e in checks if mask[i]]
        vi.append("; ".join(v for v, _ in hits) or None)
        en.append("; ".join(e for _, e in hits) or None)
    return vi, en


def lcrpgr(
    urb_t1: Any, urb_t2: Any, pop_y1: Any, pop_y2: Any, *, pairing: Pairing, has_census: bool = True
) -> pd.DataFrame:
    """LCR, PGR (both % per year), LCRPGR and the reason (vi, en) wherever LCRPGR is undefined.

    Parameters
    ----------
    urb_t1, urb_t2:
        Built-up area at the epochs ``pairing.t1`` and ``pairing.t2`` (any one unit, e.g. m²).
    pop_y1, pop_y2:
        Population at the census years ``pairing.y1`` and ``pairing.y2``.
    pairing:
        The years; LCR is annualised over ``t2 − t1``, PGR over ``y2 − y1``.
    has_census:
        False when no census time series exists: PGR and LCRPGR are empty, with that reason.

    Returns
    -------
    DataFrame with ``lcr_pct``, ``pgr_pct``, ``lcrpgr`` (NaN where undefined — stored as NULL),
    ``reason_vi`` and ``reason_en`` (None where LCRPGR has a value).

    Examples
    --------
    >>> p = Pairing(2010, 2020, 2009, 2019)
    >>> out = lcrpgr([100.0, 0.0], [200.0, 50.0], [1000.0, 10.0], [2000.0, 10.0], pairing=p)
    >>> out["lcrpgr"].round(6).tolist()[0], out["reason_en"].tolist()[0]
    (1.0, None)
    >>> out["reason_en"].tolist()[1].split(":")[0]
    'no built-up area in 2010'
    """
    urb = (np.asarray(urb_t1, dtype=float), np.asarray(urb_t2, dtype=float))
    lcr = log_rate(urb[0], urb[1], float(pairing.t2 - pairing.t1))
    pop = (np.asarray(pop_y1, dtype=float), np.asarray(pop_y2, dtype=float)) if has_census else None
    if pop is None or pairing.y1 is None or pairing.y2 is None:
        pgr = np.full(len(urb[0]), np.nan)
    else:
        pgr = log_rate(pop[0], pop[1], float(pairing.y2 - pairing.y1))
    defined = np.isfinite(lcr) & np.isfinite(pgr) & (np.abs(np.nan_to_num(pgr)) >= PGR_ZERO)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(defined, lcr / np.where(defined, pgr, 1.0), np.nan)
    vi, en = _reasons(urb, pop, pgr, pairing)
    return pd.DataFrame(
        {"lcr_pct": lcr * 100, "pgr_pct": pgr * 100, "lcrpgr": ratio, "reason_vi": vi, "reason_en": en}
    )


def built_up_points(raster: Raster, crs: Any) -> gpd.GeoDataFrame:
    """Built-up m² of each cell (share × cell area) at the cell centre, in ``crs``."""
    require_metric(raster.crs, what=f"raster {raster.layer} {raster.year}")
    cells = cell_centres(raster, positive_only=True)
    return gpd.GeoDataFrame(
        {"built": cells["value"].to_numpy() * raster.cell_area}, geometry=cells.geometry, crs=raster.crs
    ).to_crs(crs)


def _raster_of(rasters: list[Raster], year: int, *, which: str) -> Raster:
    for r in rasters:
        if r.year == year:
            return r
    raise ValueError(
        f"sdg_11_3_1.year_{which}={year}: raster environment.built_up has years {[r.year for r in rasters]}"
    )


def _census_years(census: gpd.GeoDataFrame | None, params: dict[str, Any]) -> tuple[int, int] | None:
    if census is None:
        return None
    years = sorted(int(y) for y in pd.to_numeric(census["census_year"]).dropna().unique())
    y1 = params.get("census_year_start") or years[0]
    y2 = params.get("census_year_end") or years[-1]
    for given in (y1, y2):
        if given not in years:
            raise ValueError(
                f"sdg_11_3_1.census_year_*={given}: land.population_census has census years {years}"
            )
    if y2 <= y1:
        raise ValueError(
            f"sdg_11_3_1: census years {y1} → {y2} do not increase; land.population_census has {years} "
            "(two censuses are needed for a growth rate)"
        )
    return int(y1), int(y2)


def choose_years(
    rasters: list[Raster], census_years: tuple[int, int] | None, params: dict[str, Any]
) -> Pairing:
    """The built-up epochs and census years to use (see the module docstring)."""
    epochs = sorted(int(r.year) for r in rasters if r.year is not None)
    if len(set(epochs)) < 2:
        raise ValueError(f"raster environment.built_up needs at least two years (has {epochs})")
    if census_years is None:
        t1, t2, how = epochs[0], epochs[-1], "no_census"
    else:
        t1, t2 = pair_years(epochs, *census_years)
        how = "same" if (t1, t2) == census_years else "nearest"
    if params.get("year_start") is not None or params.get("year_end") is not None:
        t1 = _raster_of(rasters, params["year_start"] or t1, which="start").year or t1
        t2 = _raster_of(rasters, params["year_end"] or t2, which="end").year or t2
        how = "no_census" if census_years is None else "chosen"
    if t2 <= t1:
        raise ValueError(f"sdg_11_3_1: built_up years {t1} → {t2} do not increase")
    y1, y2 = census_years if census_years else (None, None)
    return Pairing(t1, t2, y1, y2, how)


def census_by_unit(
    census: gpd.GeoDataFrame, units: gpd.GeoDataFrame, year: int
) -> tuple[pd.Series, dict[int, str]]:
    """Population of ``year`` per unit (aligned to ``units``) and, per boundary vintage, how.

    Units of the census's boundary vintage take the counts by unit code; units of another vintage
    by areal interpolation of the census units.  A unit code absent from the census stays NaN.
    """
    rows = census[pd.to_numeric(census["census_year"]) == year]
    latest = int(pd.to_numeric(rows["vintage"]).max())
    out = pd.Series(np.nan, index=units.index, dtype=float)
    how: dict[int, str] = {}
    for vintage, group in units.groupby("vintage"):
        same = rows[pd.to_numeric(rows["vintage"]) == int(vintage)]
        if len(same):
            counts = pd.to_numeric(same.set_index(same["code"].astype(str))["population"])
            out[group.index] = group["code"].astype(str).map(counts).to_numpy(dtype=float)
            how[int(vintage)] = "by unit code"
        else:
            source = rows[pd.to_numeric(rows["vintage"]) == latest]
            out[group.index] = areal_interpolation(source, group, column="population").to_numpy()
            how[int(vintage)] = f"areal interpolation from the {latest} census units"
    return out, how


def _population(
    inputs: Inputs, units: gpd.GeoDataFrame, p: Pairing
) -> tuple[pd.DataFrame, dict[int, str] | str]:
    """Per-unit ``pop_t1``/``pop_t2`` (census) — or, with no census, current population points."""
    census = inputs.get("population_census")
    if census is None or p.y1 is None or p.y2 is None:
        origins = population_origins(inputs)
        sums = point_sums_by_unit(origins.points, units, ["population"])
        return pd.DataFrame(
            {"pop_t1": np.nan, "pop_t2": sums["population"]}, index=units.index
        ), origins.method
    require_metric(census.crs, what="layer land.population_census")
    pop1, how1 = census_by_unit(census, units, p.y1)
    pop2, how2 = census_by_unit(census, units, p.y2)
    source = {
        v: f"land.population_census {p.y1} & {p.y2}: {how1[v]}"
        + ("" if how1[v] == how2[v] else f" / {how2[v]}")
        for v in how1
    }
    return pd.DataFrame({"pop_t1": pop1, "pop_t2": pop2}, index=units.index), source


def lcrpgr_recipe(inputs: Inputs, params: dict[str, Any]) -> gpd.GeoDataFrame:
    """LCR, PGR and LCRPGR per ward (every vintage) and city, from the built-up layers and the
    census time series; built-up per capita at the end census."""
    units = inputs["admin_units"]
    rasters: list[Raster] = inputs["built_up"]
    census = inputs.get("population_census")
    p = choose_years(rasters, _census_years(census, params), params)
    r1, r2 = _raster_of(rasters, p.t1, which="start"), _raster_of(rasters, p.t2, which="end")
    pts = pd.concat(
        [
            built_up_points(r1, units.crs).assign(built_t2=0.0).rename(columns={"built": "built_t1"}),
            built_up_points(r2, units.crs).assign(built_t1=0.0).rename(columns={"built": "built_t2"}),
        ],
        ignore_index=True,
    )
    built = point_sums_by_unit(
        gpd.GeoDataFrame(pts, geometry="geometry", crs=units.crs), units, ["built_t1", "built_t2"]
    )
    pops, source = _population(inputs, units, p)
    missing = pops["pop_t1"].isna() | pops["pop_t2"].isna()
    sums = pd.concat([built, pops.fillna(0.0)], axis=1).assign(missing=missing.astype(float))
    has_census = p.y1 is not None

    def finish(s: pd.DataFrame) -> pd.DataFrame:
        pop1 = s["pop_t1"].astype(float).where(s["missing"] == 0)
        pop2 = s["pop_t2"].astype(float).where(s["missing"] == 0) if has_census else s["pop_t2"].astype(float)
        rates = lcrpgr(s["built_t1"], s["built_t2"], pop1, pop2, pairing=p, has_census=has_census)
        return pd.DataFrame(
            {
                "year_start": p.t1,
                "year_end": p.t2,
                "census_year_start": p.y1,
                "census_year_end": p.y2,
                "built_up_t1_km2": (s["built_t1"] / 1e6).to_numpy(),
                "built_up_t2_km2": (s["built_t2"] / 1e6).to_numpy(),
                "population_t1": pop1.to_numpy(),
                "population": pop2.to_numpy(),
                "built_up_per_capita_m2": (s["built_t2"] / pop2.where(pop2 > 0)).to_numpy(),
                **{c: rates[c].to_numpy() for c in ("lcr_pct", "pgr_pct", "lcrpgr")},
                "pairing": p.label(),
                "reason_vi": rates["reason_vi"].to_numpy(),
                "reason_en": rates["reason_en"].to_numpy(),
            }
        )

    rows = assemble(ward_and_city_rows(units, sums, finish), units.crs)
    rows["population_source"] = (
        rows["vintage"].map(lambda v: source.get(int(v))) if isinstance(source, dict) else source
    )
    return rows
