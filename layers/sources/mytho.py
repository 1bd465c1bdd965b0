"""The real Mỹ Tho data bundled in ``data/mytho`` (see ``data/mytho/SOURCES.md``).

* 2019 vintage: the 17 wards/communes of Mỹ Tho city with the 2019 census (population total, urban,
  rural; households) — boundaries from censusVN2009 (MIT), census from the General Statistics Office.
* 2025 vintage: the five wards of the former city area after 1 July 2025, with official codes —
  vietnamese-provinces-database (MIT).  No census exists for them; population is left empty here
  and estimated by the indicators (areal interpolation) where needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from gis.settings import project_root
from layers.catalog import ADMIN_UNITS
from layers.errors import SourceError
from layers.load import SourceInfo, file_checksum

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
