"""Buildings: one dwelling per 2019 census household, along the streets of its ward.

Urban wards (level ``ward``): attached shophouses (nhà ống) ~4–5 m × 12–18 m, 2–4 floors, in up to
two rows behind each street front (the second row stands on alleys, hẻm).  Communes: detached
one-storey houses ~7–10 m × 9–14 m strung along roads in up to four rows, as in the delta's
hamlets.  Footprints stay clear of water, street corridors, parks and each other, and lie wholly in
their ward.  ``residents`` shares each ward's census population over its buildings (household
sizes drawn around the ward's mean) so every ward total equals the census exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layers.synthetic.context import METRIC_SRID, City


@dataclass(frozen=True)
class HouseType:
    frontage: tuple[float, float]
    depth: tuple[float, float]
    gap: tuple[float, float]
    row_gap: float
    rows: int
    floors: tuple[tuple[int, ...], tuple[float, ...]]
    built_by_2015: float


SHOPHOUSE = HouseType(
    (4.0, 5.0), (12.0, 18.0), (0.3, 0.6), 1.0, 3, ((1, 2, 3, 4), (0.1, 0.4, 0.32, 0.18)), 0.85
)
#: The old centre's narrow tube houses where households are densest (> 5,000 per km²).
DENSE_SHOPHOUSE = HouseType((3.4, 4.2), (11.0, 16.0), (0.2, 0.4), 1.0, 3, ((2, 3, 4), (0.4, 0.4, 0.2)), 0.9)
DENSE_HOUSEHOLDS_KM2 = 5000.0
RURAL_HOUSE = HouseType((7.0, 10.0), (9.0, 14.0), (8.0, 25.0), 12.0, 4, ((1, 2), (0.88, 0.12)), 0.75)


def _slots(
    roads: gpd.GeoDataFrame, house: HouseType, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidate footprints on both sides of every street: polygons, centres, row (0 = street front)."""
    segs = roads.geometry.to_numpy()
    half_road = roads["width_m"].to_numpy() / 2
    lengths = shapely.length(segs)
    mean_step = house.frontage[1] + np.mean(house.gap)  # neighbours in a row never overlap
    counts = np.maximum(((lengths - 2 * 6.0) // mean_step).astype(int), 0)
    seg = np.repeat(np.arange(len(segs)), counts)
    n = len(seg)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    pos = np.arange(n) - np.repeat(starts, counts)
    dist = 6.0 + (pos + 0.5) * mean_step
    ahead = shapely.get_coordinates(shapely.line_interpolate_point(segs[seg], dist + 0.5))
    behind = shapely.get_coordinates(shapely.line_interpolate_point(segs[seg], dist - 0.5))
    along = (ahead - behind) / np.maximum(np.hypot(*(ahead - behind).T), 1e-9)[:, None]
    normal = np.column_stack([-along[:, 1], along[:, 0]])
    centre_line = (ahead + behind) / 2
    polys, rows, centres = [], [], []
    for row in range(house.rows):
        for side in (-1.0, 1.0):
            w = rng.uniform(*house.frontage, n)
            d = rng.uniform(*house.depth, n)
            back = half_road[seg] + 1.0 + row * (np.mean(house.depth) + house.row_gap) + d / 2
            centre = centre_line + normal * (side * back)[:, None]
            corners = np.stack(
                [
                    centre + a * along * (w / 2)[:, None] + b * normal * (d / 2)[:, None]
                    for a, b in ((-1, -1), (1, -1), (1, 1), (-1, 1), (-1, -1))
                ],
                axis=1,
            )
            polys.append(shapely.polygons(corners))
            rows.append(np.full(n, row))
            centres.append(centre)
    return np.concatenate(polys), np.concatenate(centres), np.concatenate(rows)


def _clear(polys: np.ndarray, obstacles: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """Mask of footprints (among ``ok``) touching no obstacle and no higher-priority footprint."""
    ok = ok.copy()
    if len(obstacles):  # obstacles as the query side: each (large) one is prepared once
        free = np.flatnonzero(ok)
        _, hit = shapely.STRtree(polys[free]).query(obstacles, predicate="intersects")
        ok[free[hit]] = False
    free = np.flatnonzero(ok)
    a, b = shapely.STRtree(polys[free]).query(polys[free])  # bounding boxes, then exact test
    a, b = free[a], free[b]
    pairs = a < b
    a, b = a[pairs], b[pairs]
    touching = shapely.intersects(polys[a], polys[b])
    a, b = a[touching], b[touching]
    order = np.argsort(a, kind="stable")
    for first, second in zip(a[order].tolist(), b[order].tolist(), strict=True):
        if ok[first] and ok[second]:  # greedy: the earlier (higher-priority) footprint wins
            ok[second] = False
    return ok


def _residents(population: int, n: int, rng: np.random.Generator) -> np.ndarray:
    """Integers summing exactly to ``population`` (largest-remainder shares of gamma weights)."""
    weights = rng.gamma(4.0, 1.0, n)
    exact = population * weights / weights.sum()
    base = np.floor(exact).astype(int)
    short = population - int(base.sum())
    base[np.argsort(-(exact - base), kind="stable")[:short]] += 1
    return base


def _house_types(city: City) -> list[HouseType]:
    """The house type of every ward: by ward type, and by household density in urban wards."""
    density = city.wards["households"].to_numpy() / (city.wards.area.to_numpy() / 1e6)
    return [
        (DENSE_SHOPHOUSE if d > DENSE_HOUSEHOLDS_KM2 else SHOPHOUSE) if urban else RURAL_HOUSE
        for urban, d in zip(city.urban, density, strict=True)
    ]


def _ward_of(city: City, centres: np.ndarray) -> np.ndarray:
    """Index of the ward containing each centre point (the last one where wards overlap), else -1."""
    found = np.full(len(centres), -1)
    for ward, geom in enumerate(city.wards.geometry):
        shapely.prepare(geom)
        found[shapely.contains_xy(geom, centres[:, 0], centres[:, 1])] = ward
    return found


def _inside(city: City, polys: np.ndarray, ward_of: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """``ok`` and wholly inside its ward."""
    ok = ok & (ward_of >= 0)
    wards = city.wards.geometry.to_numpy()
    for geom in wards:
        shapely.prepare(geom)
    idx = np.flatnonzero(ok)
    ok[idx] = shapely.contains_properly(wards[ward_of[idx]], polys[idx])
    return ok


def _attributes(
    city: City, ward: int, polys: np.ndarray, house: HouseType, rng: np.random.Generator, *, urban: bool
) -> pd.DataFrame:
    n = len(polys)
    floors = rng.choice(house.floors[0], size=n, p=house.floors[1])
    early = rng.random(n) < house.built_by_2015
    year = np.where(early, rng.integers(1960, 2016, n), rng.integers(2016, 2025, n))
    use = np.where(urban & (rng.random(n) < 0.35), "mixed", "residential")
    population = round(int(city.wards.at[ward, "population"]) * city.scale)
    return pd.DataFrame(
        {
            "use": use,
            "floors": floors,
            "height_m": (floors * 3.4 + 0.6).round(1),
            "unit_id": city.wards.at[ward, "unit_id"],
            "residents": _residents(population, n, rng).astype(float),
            "year_built": year,
            "geometry": polys,
        }
    )


def buildings(
    city: City, roads: gpd.GeoDataFrame, water: gpd.GeoDataFrame, green: gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    """Buildings (metric CRS) of every ward, with ``residents`` summing to the census per ward.

    Raises ``RuntimeError`` when a ward's streets cannot hold its households (a generator bug).
    """
    rng = city.rng("buildings")
    corridors = shapely.buffer(roads.geometry.to_numpy(), roads["width_m"].to_numpy() / 2 + 0.5)
    obstacles = np.concatenate([corridors, water.geometry.to_numpy(), green.geometry.to_numpy()])
    mids = shapely.line_interpolate_point(roads.geometry.to_numpy(), 0.5, normalized=True)
    road_ward = _ward_of(city, shapely.get_coordinates(mids))
    house_of = _house_types(city)
    parts = []
    for house in (DENSE_SHOPHOUSE, SHOPHOUSE, RURAL_HOUSE):
        wards = np.flatnonzero([h is house for h in house_of])
        own = roads[(road_ward < 0) | np.isin(road_ward, wards)]
        polys, centres, rows = _slots(own, house, rng)
        order = np.lexsort((rng.random(len(polys)), rows))
        polys, centres = polys[order], centres[order]
        ward_of = _ward_of(city, centres)
        mine = np.isin(ward_of, wards)
        polys, ward_of = polys[mine], ward_of[mine]
        ok = _clear(polys, obstacles, _inside(city, polys, ward_of, np.ones(len(polys), dtype=bool)))
        polys, ward_of = polys[ok], ward_of[ok]
        for ward in wards:
            urban = bool(city.urban[ward])
            need = round(int(city.wards.at[ward, "households"]) * city.scale)
            mine = polys[ward_of == ward]
            if len(mine) < need:
                raise RuntimeError(
                    f"building generator: ward {city.wards.at[ward, 'name_vi']} has room for "
                    f"{len(mine)} of {need} dwellings (seed {city.seed})"
                )
            parts.append(_attributes(city, int(ward), mine[:need], house, rng, urban=urban))
        # where 2019 boundaries overlap, later house types must clear the houses already placed
        obstacles = np.concatenate([obstacles, *(p["geometry"].to_numpy() for p in parts[-len(wards) :])])
    frame = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), geometry="geometry", crs=METRIC_SRID)
    frame.insert(0, "building_id", [f"B{i:06d}" for i in range(1, len(frame) + 1)])
    return frame
