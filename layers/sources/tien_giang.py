"""The former Tiền Giang province (before 1 July 2025) as a study area: all 173 communes and wards.

Bundled in ``data/mytho`` (see ``data/mytho/SOURCES.md``): the boundaries of censusVN2009 (MIT)
with the 2009 census, the 2019 census population and households of the General Statistics Office
(joined by district and commune name: all 173 match), and the 57 wards of 2025 that cover the former
province (vietnamese-provinces-database, MIT).  Loaded as study area ``tien_giang`` (≈ 1.76 million
people, ≈ 2,416 km²) or, with ``communes``, as a small subset area for tests and trials.

Ids are prefixed ``<area>:`` (``tien_giang:2019-8070101``): feature ids stay unique per table, so
the province and Mỹ Tho (a part of it) live side by side.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd
from sqlalchemy.engine import Engine

from layers.areas import ensure_area, refresh_boundary
from layers.catalog import ADMIN_UNITS, POPULATION_CENSUS
from layers.errors import SourceError
from layers.load import FrameLoad, LoadReport, SourceInfo, file_checksum, load_frames
from layers.sources.mytho import Bundle, _read, _require, data_dir

AREA = "tien_giang"
NAME_VI = "Tỉnh Tiền Giang (cũ, đến 30/6/2025)"
NAME_EN = "Former Tiền Giang province (until 30 June 2025)"
COMMUNES = "tien_giang_communes_2009_censusVN2009.geojson"
POPULATION = "tien_giang_wards_population_census2019.csv"
HOUSEHOLDS = "tien_giang_wards_households_census2019.csv"
WARDS_2025 = "dong_thap2025_wards_in_former_tien_giang_vpd.geojson"
LICENCE = "MIT (censusVN2009, vietnamese-provinces-database); census figures are official public statistics"
SOURCE = "censusVN2009 boundaries and 2009 census; GSO census 2019; vietnamese-provinces-database (2025)"
_LEVELS = {"Phường": "ward", "Xã": "commune", "Thị": "town"}


def _units(folder: Path, communes: Sequence[str] | None) -> tuple[gpd.GeoDataFrame, list[Path]]:
    """The communes joined with the 2019 census tables (one row per commune)."""
    paths = [folder / COMMUNES, _require(folder / POPULATION), _require(folder / HOUSEHOLDS)]
    units = _read(paths[0])
    keys = ["district", "ward"]
    census = pd.read_csv(paths[1]).merge(
        pd.read_csv(paths[2])[[*keys, "households_total"]], on=keys, how="left", validate="one_to_one"
    )
    units = units.merge(
        census, left_on=["district_vn", "commune_vn"], right_on=keys, how="left", validate="one_to_one"
    )
    unmatched = units.loc[units["pop_total_2019"].isna(), "commune_vn"].tolist()
    if unmatched:
        raise SourceError(f"{paths[1]}: no 2019 census row for commune(s) {', '.join(unmatched[:10])}.")
    units["commune_id"] = units["commune_id"].astype("int64").astype(str)
    if communes:
        wanted = {str(c) for c in communes}
        unknown = sorted(wanted - set(units["commune_id"]))
        if unknown:
            raise SourceError(
                f"--communes: không có mã xã / unknown commune code(s) {', '.join(unknown)}.",
                hint="Codes are censusVN2009 commune_id values, e.g. 8070101 (Phường 5, Mỹ Tho).",
            )
        units = units[units["commune_id"].isin(wanted)].reset_index(drop=True)
    return units, paths


def _checksum(paths: list[Path], label: str) -> str:
    """The files' checksum and the selection of communes (in ``label``): another subset is a new
    source."""
    return hashlib.sha256(f"{file_checksum(paths)} {label}".encode()).hexdigest()


def admin_units_2019(area: str, units: gpd.GeoDataFrame, paths: list[Path], label: str) -> Bundle:
    level = units["commune_vn"].str.split().str[0].map(_LEVELS).fillna("commune")
    frame = gpd.GeoDataFrame(
        {
            "unit_id": f"{area}:2019-" + units["commune_id"],
            "vintage": 2019,
            "code": units["commune_id"],
            "name_vi": units["commune_vn"],
            "name_en": units["commune"],
            "level": level,
            "parent_name_vi": units["district_vn"],
            "population": units["pop_total_2019"],
            "population_urban": units["pop_urban_2019"].fillna(0),
            "population_rural": units["pop_rural_2019"].fillna(0),
            "households": units["households_total"],
            "population_year": 2019,
            "official_area_km2": units["area_ha_attr"] / 100.0,
            "synthetic": False,
            "source": "censusVN2009 boundaries; GSO census 2019",
        },
        geometry=units.geometry,
        crs=units.crs,
    )
    source = SourceInfo(
        path=label,
        checksum=_checksum(paths, label),
        crs=str(units.crs),
        licence=LICENCE,
        attribution=ADMIN_UNITS.attribution,
    )
    return Bundle(frame=frame, source=source, scope={"vintage": 2019})


def population_census(area: str, units: gpd.GeoDataFrame, paths: list[Path], label: str) -> Bundle:
    """2009 and 2019 census counts of every commune on the 2019 boundaries."""
    parts = [
        gpd.GeoDataFrame(
            {
                "census_unit_id": f"{area}:{year}-" + units["commune_id"],
                "code": units["commune_id"],
                "vintage": 2019,
                "census_year": year,
                "name_vi": units["commune_vn"],
                "population": pd.to_numeric(units[column]),
                "synthetic": False,
                "source": source,
            },
            geometry=units.geometry,
            crs=units.crs,
        )
        for year, column, source in (
            (2009, "pop_2009_census", "GSO census 2009 by commune (censusVN2009)"),
            (2019, "pop_total_2019", "GSO census 2019"),
        )
    ]
    frame = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), geometry="geometry", crs=units.crs)
    source_info = SourceInfo(
        path=label,
        checksum=_checksum(paths, label),
        crs=str(units.crs),
        licence=LICENCE,
        attribution=POPULATION_CENSUS.attribution,
    )
    return Bundle(frame=frame, source=source_info, scope={"vintage": 2019}, spec=POPULATION_CENSUS)


def admin_units_2025(area: str, folder: Path) -> Bundle:
    """The 57 wards of 2025 covering the former province (no census)."""
    path = folder / WARDS_2025
    wards = _read(path)
    frame = gpd.GeoDataFrame(
        {
            "unit_id": f"{area}:2025-" + wards["code"].astype(str),
            "vintage": 2025,
            "code": wards["code"].astype(str),
            "name_vi": wards["fullName"],
            "name_en": wards["fullNameEn"],
            "level": wards["fullName"].str.split().str[0].map(_LEVELS).fillna("commune"),
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


def bundles(
    area: str = AREA, *, communes: Sequence[str] | None = None, folder: Path | None = None
) -> list[Bundle]:
    """Admin units 2019 (+ 2025 for the whole province) and the census series of ``area``."""
    folder = folder or data_dir()
    units, paths = _units(folder, communes)
    label = f"data/mytho/{COMMUNES} + {POPULATION} + {HOUSEHOLDS}"
    if communes:
        label += f" (communes {','.join(sorted(units['commune_id']))})"
    items = [admin_units_2019(area, units, paths, label), population_census(area, units, paths, label)]
    if not communes:
        items.insert(1, admin_units_2025(area, folder))
    return items


def load(
    engine: Engine,
    *,
    area: str = AREA,
    communes: Sequence[str] | None = None,
    folder: Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[LoadReport]:
    """Register study area ``area`` and load its units and census in one transaction (the other
    areas' rows are not touched)."""
    items = bundles(area, communes=communes, folder=folder)
    subset = f" — {len(items[0].frame)} xã / communes" if communes else ""
    with engine.begin() as conn:
        ensure_area(
            conn, area, name_vi=NAME_VI + subset, name_en=NAME_EN + subset, source=SOURCE, licence=LICENCE
        )
    loads = [FrameLoad(b.spec, b.frame, b.source, scope=b.scope, area=area) for b in items]
    reports = load_frames(engine, loads, progress=progress)
    with engine.begin() as conn:
        refresh_boundary(conn, area, vintage=2019)
    return reports
