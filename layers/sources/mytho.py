"""The real Mỹ Tho data bundled in ``data/mytho`` (see ``data/mytho/SOURCES.md``).

* 2019 vintage: the 17 wards/communes of Mỹ Tho city with the 2019 census (population total, urban,
  rural; households) — boundaries from censusVN2009 (MIT), census from the General Statistics Office.
* 2025 vintage: the five wards of the former city area after 1 July 2025, with official codes —
  vietnamese-provinces-database (MIT).  No census exists for them; population is left empty here
  and estimated by the indicators (areal interpolation) where needed.
* Census time series (``land.population_census``): the 2009 and 2019 counts of the 17 units, on
  the 2019 boundaries — 2009 from censusVN2009 (MIT, GSO census 2009 by commune), 2019 from the
  General Statistics Office's census tables.

:func:`bundles` lists everything; :func:`load_bundles` loads it in one transaction (``dothi load
mytho``, ``dothi demo``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from sqlalchemy.engine import Engine

from gis.settings import project_root
from layers.catalog import ADMIN_UNITS, POPULATION_CENSUS, LayerSpec
from layers.errors import SourceError, ValidationError
from layers.load import FrameLoad, LoadReport, SourceInfo, file_checksum, load_frames

WARDS_2019 = "my_tho_wards_2009bnd_pop2009_pop2019.geojson"
HOUSEHOLDS_2019 = "tien_giang_wards_households_census2019.csv"
WARDS_2025 = "my_tho_area_wards_2025_vpd.geojson"
CITY_VI = "Thành phố Mỹ Tho"


def data_dir() -> Path:
    return project_root() / "data" / "mytho"


def _require(path: Path) -> Path:
    if not path.is_file():
        raise SourceError(
            f"Bundled Mỹ Tho data file is missing: {path}",
            hint="Restore it from the repository (git checkout -- data/mytho).",
        )
    return path


def _read(path: Path) -> gpd.GeoDataFrame:
    try:
        return gpd.read_file(_require(path), engine="pyogrio")
    except SourceError:
        raise
    except Exception as exc:
        raise SourceError(f"Cannot read {path}: {exc}") from exc


@dataclass(frozen=True)
class Bundle:
    """One vintage ready to load: features, provenance and the scope it replaces."""

    frame: gpd.GeoDataFrame
    source: SourceInfo
    scope: dict[str, int]
    spec: LayerSpec = ADMIN_UNITS


def admin_units_2019(folder: Path | None = None) -> Bundle:
    """The 17 units of 2019 with census population and households."""
    folder = folder or data_dir()
    wards_path, hh_path = folder / WARDS_2019, _require(folder / HOUSEHOLDS_2019)
    wards = _read(wards_path)
    households = pd.read_csv(hh_path)
    households = households[households["district"] == CITY_VI].set_index("ward")
    missing = sorted(set(wards["ward"]) - set(households.index))
    if missing:
        raise SourceError(f"{hh_path}: no household row for ward(s) {', '.join(missing)}.")
    is_ward = wards["commune_vn"].str.startswith("Phường")
    frame = gpd.GeoDataFrame(
        {
            "unit_id": "2019-" + wards["commune_id"].astype(str),
            "vintage": 2019,
            "code": wards["commune_id"].astype(str),
            "name_vi": wards["commune_vn"],
            "name_en": wards["commune"].where(
                ~is_ward, "Ward " + wards["commune"].str.replace("Phuong ", "", regex=False)
            ),
            "level": is_ward.map({True: "ward", False: "commune"}),
            "parent_name_vi": wards["district_vn"],
            "population": wards["pop_total_2019"],
            "population_urban": wards["pop_urban_2019"].fillna(0),
            "population_rural": wards["pop_rural_2019"].fillna(0),
            "households": wards["ward"].map(households["households_total"]),
            "population_year": 2019,
            "official_area_km2": wards["area_ha_attr"] / 100.0,
            "synthetic": False,
            "source": "censusVN2009 boundaries; GSO census 2019",
        },
        geometry=wards.geometry,
        crs=wards.crs,
    )
    source = SourceInfo(
        path=f"data/mytho/{WARDS_2019} + data/mytho/{HOUSEHOLDS_2019}",
        checksum=file_checksum([wards_path, hh_path]),
        crs=str(wards.crs),
        licence="MIT (censusVN2009); census figures are official public statistics",
        attribution=ADMIN_UNITS.attribution,
    )
    return Bundle(frame=frame, source=source, scope={"vintage": 2019})


def admin_units_2025(folder: Path | None = None) -> Bundle:
    """The five wards of 2025 (no census population)."""
    folder = folder or data_dir()
    path = folder / WARDS_2025
    wards = _read(path)
    frame = gpd.GeoDataFrame(
        {
            "unit_id": "2025-" + wards["code"].astype(str),
            "vintage": 2025,
            "code": wards["code"].astype(str),
            "name_vi": wards["fullName"],
            "name_en": wards["fullNameEn"],
            "level": "ward",
            "parent_name_vi": "Tỉnh Đồng Tháp",
            "population": None,
            "official_area_km2": wards["areaKm2"],
            "synthetic": False,
            "source": "vietnamese-provinces-database (2025 administrative units)",
        },
        geometry=wards.geometry,
        crs=wards.crs,
    )
    source = SourceInfo(
        path=f"data/mytho/{WARDS_2025}",
        checksum=file_checksum([path]),
        crs=str(wards.crs),
        licence="MIT (vietnamese-provinces-database)",
        attribution=ADMIN_UNITS.attribution,
    )
    return Bundle(frame=frame, source=source, scope={"vintage": 2025})


def admin_unit_bundles(folder: Path | None = None) -> list[Bundle]:
    return [admin_units_2019(folder), admin_units_2025(folder)]


#: Census year → column of the ward file holding that census's total population.
CENSUS_COLUMNS = {2009: "pop_2009_census", 2019: "pop_total_2019"}
CENSUS_SOURCES = {
    2009: "GSO census 2009 by commune (censusVN2009)",
    2019: "GSO census 2019",
}
#: The boundary vintage (in land.admin_units) the ward file's outlines and codes belong to.
CENSUS_BOUNDARY_VINTAGE = 2019


def _census_problems(wards: gpd.GeoDataFrame, path: Path) -> list[str]:
    """Every feature of the ward file without a unit code or with a missing/negative count."""
    problems = []
    for column in ("commune_id", *CENSUS_COLUMNS.values()):
        if column not in wards.columns:
            problems.append(f"{path}: column {column!r} missing")
    if problems:
        return problems
    numeric = pd.to_numeric(wards["commune_id"], errors="coerce")
    code = wards["commune_id"].astype(object).where(numeric.isna(), numeric.astype("Int64").astype(str))
    no_code = code.isna() | (code.astype(str).str.strip().isin(["", "nan", "None"]))
    for pos in np.flatnonzero(no_code.to_numpy()):
        name = wards["commune_vn"].iloc[pos]
        problems.append(f"{path}: feature #{pos + 1} ({name!r}): no unit code (commune_id).")
    for column in CENSUS_COLUMNS.values():
        values = pd.to_numeric(wards[column], errors="coerce")
        for pos in np.flatnonzero((values.isna() | (values < 0)).to_numpy()):
            raw = wards[column].iloc[pos]
            shown = (
                "empty"
                if pd.isna(raw)
                else (f"{values.iloc[pos]:g}" if pd.notna(values.iloc[pos]) else repr(raw))
            )
            problems.append(
                f"{path}: feature #{pos + 1} (code {code.iloc[pos]}), field {column!r}: "
                f"{shown} is not a population (a whole number ≥ 0 is needed)."
            )
    return problems


def population_census(folder: Path | None = None) -> Bundle:
    """The census time series of the 17 units on the 2019 boundaries: one row per unit and census.

    Raises :class:`ValidationError` naming the file, the feature and the field when a feature has
    no unit code or a missing or negative count (nothing is loaded then).
    """
    folder = folder or data_dir()
    path = folder / WARDS_2019
    wards = _read(path)
    problems = _census_problems(wards, path)
    if problems:
        raise ValidationError(
            f"{path}: {len(problems)} problem(s) in the census time series; nothing was written.",
            problems=problems,
            hint="Fix the file (each feature needs commune_id and both census counts) and load again.",
        )
    code = wards["commune_id"].astype("int64").astype(str)
    parts = [
        gpd.GeoDataFrame(
            {
                "census_unit_id": f"{year}-" + code,
                "code": code,
                "vintage": CENSUS_BOUNDARY_VINTAGE,
                "census_year": year,
                "name_vi": wards["commune_vn"],
                "population": pd.to_numeric(wards[column]),
                "synthetic": False,
                "source": CENSUS_SOURCES[year],
            },
            geometry=wards.geometry,
            crs=wards.crs,
        )
        for year, column in CENSUS_COLUMNS.items()
    ]
    frame = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), geometry="geometry", crs=wards.crs)
    source = SourceInfo(
        path=f"data/mytho/{WARDS_2019}",
        checksum=file_checksum([path]),
        crs=str(wards.crs),
        licence="MIT (censusVN2009); census figures are official public statistics",
        attribution=POPULATION_CENSUS.attribution,
    )
    return Bundle(
        frame=frame, source=source, scope={"vintage": CENSUS_BOUNDARY_VINTAGE}, spec=POPULATION_CENSUS
    )


def bundles(folder: Path | None = None) -> list[Bundle]:
    """Everything bundled: admin units 2019 and 2025, and the census time series."""
    return [*admin_unit_bundles(folder), population_census(folder)]


def load_bundles(
    engine: Engine, items: list[Bundle] | None = None, *, progress: Callable[[str], None] | None = None
) -> list[LoadReport]:
    """Load ``items`` (default: :func:`bundles`) in one transaction: all of it or nothing."""
    loads = [FrameLoad(b.spec, b.frame, b.source, scope=b.scope) for b in items or bundles()]
    return load_frames(engine, loads, progress=progress)
