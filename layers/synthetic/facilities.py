"""Facilities as Vietnam organises them, placed beside streets inside their ward.

* Health: one trạm y tế (health station, 5 beds) per 2019 ward/commune; four hospitals in the most
  populous urban wards; pharmacies ~1 per 1,500 urban / 4,000 rural residents.
* Schools: mầm non, tiểu học, THCS per ward/commune in proportion to its children, with seats; a few
  city-wide THPT.  Children = population × cohort share (see :data:`COHORT_SHARE`) × cohorts.
* Markets: one chợ per ward/commune, the central market, supermarkets and convenience shops.
* Public facilities: UBND, police and a cultural house per ward, pagodas, city-level services.
* Transit: bus stops every ~500 m along primary/secondary streets with weekday frequencies, and a
  ferry landing on each islet.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from layers.synthetic.context import METRIC_SRID, City

#: Share of the population in one single-year age cohort, for the ages 3–17.  Assumption: Tiền
#: Giang's 2019 age structure (below-replacement fertility; ~1.4 % per year of age for children).
COHORT_SHARE = 0.014


@dataclass(frozen=True)
class SchoolLevel:
    level: str
    name_vi: str
    cohorts: int  # single-year ages attending
    enrolment: float
    school_size: int  # typical seats per school
    land_use: str = "DGD"


SCHOOL_LEVELS = (
    SchoolLevel("kindergarten", "Trường Mầm non", 3, 0.90, 250),
    SchoolLevel("primary", "Trường Tiểu học", 5, 1.00, 650),
    SchoolLevel("lower_secondary", "Trường THCS", 4, 0.95, 800),
)
UPPER_SECONDARY = SchoolLevel("upper_secondary", "Trường THPT", 3, 0.70, 1200)
HOSPITALS = (
    ("Bệnh viện Đa khoa (tổng hợp)", 1000),
    ("Bệnh viện Nhi (tổng hợp)", 300),
    ("Bệnh viện Y học cổ truyền (tổng hợp)", 200),
    ("Bệnh viện tư nhân (tổng hợp)", 120),
)
BUS_STOP_SPACING_M = 500.0


class Sites:
    """Draws points beside the streets of a ward (never in water, parks or outside the ward)."""

    def __init__(self, city: City, roads: gpd.GeoDataFrame, blocked: BaseGeometry) -> None:
        self.city = city
        segs = roads.geometry.to_numpy()
        mids = shapely.line_interpolate_point(segs, 0.5, normalized=True)
        idx, ward = shapely.STRtree(city.wards.geometry.to_numpy()).query(mids, predicate="within")
        self.segs_of = {w: idx[ward == w] for w in range(len(city.wards))}
        self.segs, self.half = segs, roads["width_m"].to_numpy() / 2
        self.blocked = blocked
        shapely.prepare(blocked)

    def draw(self, ward: int, n: int, rng: np.random.Generator) -> list[BaseGeometry]:
        geom = self.city.wards.geometry.iloc[ward]
        pool = self.segs_of[ward]
        out: list[BaseGeometry] = []
        for _attempt in range(50):
            if len(out) >= n or len(pool) == 0:
                break
            pick = rng.choice(pool, size=2 * (n - len(out)) + 2)
            frac = rng.uniform(0.2, 0.8, len(pick))
            a = shapely.get_coordinates(
                shapely.line_interpolate_point(self.segs[pick], frac, normalized=True)
            )
            b = shapely.get_coordinates(
                shapely.line_interpolate_point(self.segs[pick], np.minimum(frac + 0.05, 1.0), normalized=True)
            )
            d = (b - a) / np.maximum(np.hypot(*(b - a).T), 1e-9)[:, None]
            side = rng.choice([-1.0, 1.0], len(pick))
            pts = shapely.points(
                a + np.column_stack([-d[:, 1], d[:, 0]]) * (side * (self.half[pick] + 12.0))[:, None]
            )
            ok = shapely.within(pts, geom) & ~shapely.intersects(pts, self.blocked)
            out.extend(pts[ok][: n - len(out)])
        if len(out) < n:
            raise RuntimeError(
                f"facility generator: no room beside streets in {self.city.wards.at[ward, 'name_vi']}"
            )
        return out


def _frame(rows: Iterable[dict[str, object]], id_field: str, prefix: str) -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame(list(rows), geometry="geometry", crs=METRIC_SRID)
    frame.insert(0, id_field, [f"{prefix}{i:05d}" for i in range(1, len(frame) + 1)])
    return frame


def _by_population(city: City, n: int) -> list[int]:
    """The ``n`` most populous urban wards (cycling when n is larger)."""
    urban = [i for i in np.argsort(-city.wards["population"].to_numpy(), kind="stable") if city.urban[i]]
    return [int(urban[k % len(urban)]) for k in range(n)]


def health(city: City, sites: Sites) -> gpd.GeoDataFrame:
    rng = city.rng("health")
    rows: list[dict[str, object]] = []
    for ward, name in enumerate(city.wards["name_vi"]):
        (pt,) = sites.draw(ward, 1, rng)
        rows.append({"name": f"Trạm Y tế {name}", "type": "health_station", "beds": 5, "geometry": pt})
    for (name, beds), ward in zip(HOSPITALS, _by_population(city, len(HOSPITALS)), strict=True):
        (pt,) = sites.draw(ward, 1, rng)
        rows.append({"name": name, "type": "hospital", "beds": beds, "geometry": pt})
    for ward, (pop, urban) in enumerate(zip(city.wards["population"], city.urban, strict=True)):
        n = max(1, round(pop * city.scale / (1500 if urban else 4000)))
        rows.extend(
            {"name": "Nhà thuốc", "type": "pharmacy", "beds": 0, "geometry": pt}
            for pt in sites.draw(ward, n, rng)
        )
    frame = _frame(rows, "facility_id", "H")
    frame["land_use"] = np.where(frame["type"] == "pharmacy", "", "DYT")
    return frame


def children(population: float, level: SchoolLevel) -> float:
    """Pupils of a level expected in a population (cohort share × cohorts × enrolment).

    Examples
    --------
    >>> round(children(10_000, SCHOOL_LEVELS[1]))
    700
    """
    return population * COHORT_SHARE * level.cohorts * level.enrolment


def _schools_for(level: SchoolLevel, pupils: float, rng: np.random.Generator) -> list[int]:
    """Seats of each school: enough for the pupils plus 5–15 % slack, in schools of about the usual size."""
    n = max(1, round(pupils / level.school_size))
    seats = pupils * rng.uniform(1.05, 1.15) / n
    return [int(round(seats * f / 10.0) * 10) for f in rng.uniform(0.9, 1.1, n)]


def schools(city: City, sites: Sites) -> gpd.GeoDataFrame:
    rng = city.rng("schools")
    rows: list[dict[str, object]] = []
    for ward, (name, pop) in enumerate(zip(city.wards["name_vi"], city.wards["population"], strict=True)):
        for level in SCHOOL_LEVELS:
            seats = _schools_for(level, children(pop * city.scale, level), rng)
            for k, (cap, pt) in enumerate(
                zip(seats, sites.draw(ward, len(seats), rng), strict=True), start=1
            ):
                public = level.level != "kindergarten" or rng.random() < 0.8
                rows.append(
                    {
                        "name": f"{level.name_vi} {name} {k}",
                        "level": level.level,
                        "capacity": cap,
                        "public": public,
                        "geometry": pt,
                    }
                )
    total = children(float(city.wards["population"].sum()) * city.scale, UPPER_SECONDARY)
    seats = _schools_for(UPPER_SECONDARY, total, rng)
    for k, (cap, ward) in enumerate(zip(seats, _by_population(city, len(seats)), strict=True), start=1):
        (pt,) = sites.draw(ward, 1, rng)
        rows.append(
            {
                "name": f"{UPPER_SECONDARY.name_vi} số {k}",
                "level": "upper_secondary",
                "capacity": cap,
                "public": True,
                "geometry": pt,
            }
        )
    frame = _frame(rows, "school_id", "S")
    frame["land_use"] = "DGD"
    return frame


def markets(city: City, sites: Sites) -> gpd.GeoDataFrame:
    rng = city.rng("markets")
    rows: list[dict[str, object]] = []
    for ward, (name, pop, urban) in enumerate(
        zip(city.wards["name_vi"], city.wards["population"], city.urban, strict=True)
    ):
        (pt,) = sites.draw(ward, 1, rng)
        rows.append(
            {"name": f"Chợ {name}", "type": "market", "stalls": int(rng.integers(60, 250)), "geometry": pt}
        )
        n = max(1, round(pop * city.scale / (2500 if urban else 8000)))
        rows.extend(
            {"name": "Cửa hàng tiện lợi", "type": "convenience", "stalls": 0, "geometry": pt}
            for pt in sites.draw(ward, n, rng)
        )
    central, *shops = _by_population(city, 4)
    (pt,) = sites.draw(central, 1, rng)
    rows.append({"name": "Chợ trung tâm (tổng hợp)", "type": "wholesale", "stalls": 1000, "geometry": pt})
    for k, ward in enumerate(shops, start=1):
        (pt,) = sites.draw(ward, 1, rng)
        rows.append({"name": f"Siêu thị {k}", "type": "supermarket", "stalls": 0, "geometry": pt})
    frame = _frame(rows, "market_id", "M")
    frame["land_use"] = np.where(frame["type"].isin(["market", "wholesale"]), "DCH", "")
    return frame


def public_facilities(city: City, sites: Sites) -> gpd.GeoDataFrame:
    rng = city.rng("public_facilities")
    rows: list[dict[str, object]] = []
    per_ward = (("government", "UBND {}"), ("police", "Công an {}"), ("community_centre", "Nhà văn hóa {}"))
    for ward, name in enumerate(city.wards["name_vi"]):
        pts = sites.draw(ward, len(per_ward) + 1, rng)
        rows.extend(
            {"name": label.format(name), "type": kind, "geometry": pt}
            for (kind, label), pt in zip(per_ward, pts, strict=False)
        )
        rows.append({"name": "Chùa", "type": "place_of_worship", "geometry": pts[-1]})
    city_level = (
        ("fire_station", "Phòng cháy chữa cháy"),
        ("library", "Thư viện"),
        ("post_office", "Bưu điện"),
        ("sports", "Nhà thi đấu"),
    )
    for (kind, label), ward in zip(city_level, _by_population(city, len(city_level)), strict=True):
        (pt,) = sites.draw(ward, 1, rng)
        rows.append({"name": f"{label} (tổng hợp)", "type": kind, "geometry": pt})
    frame = _frame(rows, "facility_id", "P")
    frame["land_use"] = np.where(frame["type"].isin(["government", "police"]), "TSC", "")
    return frame


def transit_stops(city: City, roads: gpd.GeoDataFrame, water: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Bus stops every ~500 m along the arterials, and a ferry landing on each islet."""
    rng = city.rng("transit")
    rows: list[dict[str, object]] = []
    for route, cls, headway in ((1, "primary", 15.0), (2, "secondary", 30.0)):
        lines = shapely.get_parts(
            shapely.line_merge(shapely.union_all(roads.geometry[roads["road_class"] == cls].to_numpy()))
        )
        for line in sorted(lines, key=lambda g: -g.length):
            if line.length < BUS_STOP_SPACING_M:
                continue
            start = rng.uniform(50, 200)
            for dist in np.arange(start, line.length - 50, BUS_STOP_SPACING_M * rng.uniform(0.85, 1.15)):
                peak = headway * float(rng.choice([1.0, 1.0, 1.5]))
                rows.append(
                    {
                        "name": f"Trạm {route}.{len(rows) + 1}",
                        "mode": "bus",
                        "capacity": "low",
                        "weekday_departures": int(2 * 15 * 60 / (peak * 1.5)),
                        "peak_headway_min": peak,
                        "routes": f"Tuyến {route}",
                        "geometry": line.interpolate(dist),
                    }
                )
    rows.extend(_ferries(city, roads, water))
    return _frame(rows, "stop_id", "T")


def _ferries(city: City, roads: gpd.GeoDataFrame, water: gpd.GeoDataFrame) -> list[dict[str, object]]:
    branch = water.geometry[water["name"].str.contains("nhánh")].union_all()
    rows = []
    for name in ("Phường Tân Long", "Xã Thới Sơn"):
        ward = city.wards.geometry[city.wards["name_vi"] == name]
        if ward.empty:
            continue
        ends = shapely.get_coordinates(roads.geometry.to_numpy())
        pts = shapely.points(ends)
        inside = pts[shapely.within(pts, ward.iloc[0])]
        if len(inside) == 0:
            continue
        landing = inside[int(np.argmin(shapely.distance(inside, branch)))]
        rows.append(
            {
                "name": f"Bến đò {name}",
                "mode": "ferry",
                "capacity": "high",
                "weekday_departures": 40,
                "peak_headway_min": 20.0,
                "routes": "Đò ngang",
                "geometry": landing,
            }
        )
    return rows
