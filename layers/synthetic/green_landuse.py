"""Street blocks, green spaces and the planned land-use layer (Vietnam's land-use codes).

Blocks are the faces of the street network, minus street corridors and water, cut to their ward.
Green spaces: public parks mostly in the urban wards (about one per km² plus one per ward), a
public sports ground and a (non-public) cemetery per commune.  Land use (status ``planned``, horizon
2030) gives each block a code of Thông tư 27/2018/TT-BTNMT from what stands in it: DYT, DGD, DCH,
TSC for facilities, DKV/DTT/NTD for green spaces, ODT/TMD in urban wards, ONT where rural houses
are dense, else orchards (CLN), rice (LUA), aquaculture (NTS) or annual crops (HNK); the Mỹ Tho
industrial zone (SKK) in Trung An; street corridors DGT; water SON.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from layers.synthetic.context import METRIC_SRID, City, polygonal

PLAN_YEAR = 2030
RURAL_CODES = (("CLN", 0.55), ("LUA", 0.2), ("NTS", 0.15), ("HNK", 0.1))
INDUSTRIAL_COMMUNE = "Xã Trung An"  # Khu công nghiệp Mỹ Tho lies in Trung An
INDUSTRIAL_AREA_M2 = 600_000.0
ONT_DENSITY = 8.0  # houses per hectare above which a rural block is residential land (ONT)


def corridors(roads: gpd.GeoDataFrame) -> np.ndarray:
    """Street corridors: each segment buffered by half its width."""
    return shapely.buffer(roads.geometry.to_numpy(), roads["width_m"].to_numpy() / 2, cap_style="flat")


def blocks(city: City, roads: gpd.GeoDataFrame, water: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Net street blocks (metric CRS) with the index of their ward in ``ward``."""
    faces = shapely.get_parts(shapely.polygonize(roads.geometry.to_numpy()))
    wards = city.wards.geometry.to_numpy()
    face_idx, ward_idx = shapely.STRtree(wards).query(shapely.point_on_surface(faces), predicate="within")
    faces, ward_of = faces[face_idx], ward_idx
    faces = shapely.intersection(faces, wards[ward_of])
    obstacles = np.concatenate([corridors(roads), water.geometry.to_numpy()])
    tree = shapely.STRtree(obstacles)
    hit_face, hit_obs = tree.query(faces, predicate="intersects")
    out = faces.copy()
    for face in np.unique(hit_face):
        cut = shapely.union_all(obstacles[hit_obs[hit_face == face]])
        out[face] = shapely.difference(faces[face], cut)
    frame = gpd.GeoDataFrame({"ward": ward_of}, geometry=gpd.GeoSeries(out, crs=METRIC_SRID))
    frame = frame.explode(index_parts=False)
    frame = frame[frame.geometry.geom_type == "Polygon"]
    return frame[frame.area > 50.0].reset_index(drop=True)


def _pick(rng: np.random.Generator, candidates: np.ndarray, n: int) -> np.ndarray:
    if len(candidates) == 0:
        return candidates
    return rng.choice(candidates, size=min(n, len(candidates)), replace=False)


def green_spaces(city: City, block_frame: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    """Green spaces (metric CRS) and, per green space, the index of the block it stands in."""
    rng = city.rng("green")
    areas = block_frame.area.to_numpy()
    rows: list[dict[str, object]] = []
    used: list[int] = []
    for ward, (name, urban) in enumerate(zip(city.wards["name_vi"], city.urban, strict=True)):
        in_ward = np.flatnonzero(block_frame["ward"].to_numpy() == ward)
        if urban:
            n_parks = 1 + round(city.wards.geometry.iloc[ward].area / 1e6)
            fit = in_ward[(areas[in_ward] > 1500) & (areas[in_ward] < 40_000)]
            for k, block in enumerate(_pick(rng, fit, n_parks), start=1):
                rows.append(
                    _green(
                        block_frame,
                        block,
                        kind="park",
                        public=True,
                        name=f"Công viên {name} số {k}",
                        setback=3.0,
                    )
                )
                used.append(int(block))
            continue
        fit = in_ward[areas[in_ward] > 8000]
        for block, (kind, public, label, side) in zip(
            _pick(rng, fit, 2),
            (
                ("sports", True, f"Sân thể thao {name}", 100.0),
                ("cemetery", False, f"Nghĩa trang {name}", 80.0),
            ),
            strict=False,
        ):
            rows.append(
                _green(block_frame, block, kind=kind, public=public, name=label, setback=3.0, side=side)
            )
            used.append(int(block))
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=METRIC_SRID)
    frame.insert(0, "green_id", [f"G{i:04d}" for i in range(1, len(frame) + 1)])
    frame["area_m2"] = frame.area.round(1)
    return frame, np.array(used, dtype=int)


def _green(
    block_frame: gpd.GeoDataFrame,
    block: int,
    *,
    kind: str,
    public: bool,
    name: str,
    setback: float,
    side: float = 0.0,
) -> dict[str, object]:
    geom: BaseGeometry = block_frame.geometry.iloc[block].buffer(-setback)
    if side:
        centre = (
            geom.point_on_surface()
            if not geom.is_empty
            else block_frame.geometry.iloc[block].point_on_surface()
        )
        geom = shapely.intersection(geom, centre.buffer(side / 2, cap_style="square"))
    if geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon"):
        geom = block_frame.geometry.iloc[block]
    return {"type": kind, "public": public, "name": name, "geometry": geom}


def _facility_codes(block_frame: gpd.GeoDataFrame, points: gpd.GeoDataFrame) -> np.ndarray:
    """Land-use code forced by the facility standing in each block ('' when none)."""
    codes = np.full(len(block_frame), "", dtype=object)
    priority = {"DYT": 0, "DGD": 1, "DCH": 2, "TSC": 3}
    if len(points) == 0:
        return codes
    pt_idx, block_idx = shapely.STRtree(block_frame.geometry.to_numpy()).query(
        points.geometry.to_numpy(), predicate="within"
    )
    for p, b in sorted(zip(pt_idx.tolist(), block_idx.tolist(), strict=True), key=lambda x: x[0]):
        code = str(points["land_use"].iloc[p])
        if not code:
            continue
        if not codes[b] or priority[code] < priority[codes[b]]:
            codes[b] = code
    return codes


def _block_codes(
    city: City,
    block_frame: gpd.GeoDataFrame,
    buildings: gpd.GeoDataFrame,
    facility_codes: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    n = len(block_frame)
    ward = block_frame["ward"].to_numpy()
    urban = city.urban[ward]
    counts = np.zeros(n)
    b_idx, blk = shapely.STRtree(block_frame.geometry.to_numpy()).query(
        shapely.centroid(buildings.geometry.to_numpy()), predicate="within"
    )
    np.add.at(counts, blk, 1)
    del b_idx
    density = counts / (block_frame.area.to_numpy() / 10_000)
    rural = rng.choice([c for c, _ in RURAL_CODES], size=n, p=[p for _, p in RURAL_CODES])
    codes = np.where(
        urban, np.where(rng.random(n) < 0.15, "TMD", "ODT"), np.where(density > ONT_DENSITY, "ONT", rural)
    )
    codes = codes.astype(object)
    industrial = np.flatnonzero(city.wards["name_vi"].to_numpy()[ward] == INDUSTRIAL_COMMUNE)
    industrial = industrial[np.argsort(density[industrial], kind="stable")]  # the emptiest blocks
    total = np.cumsum(block_frame.area.to_numpy()[industrial])
    codes[industrial[: int(np.searchsorted(total, INDUSTRIAL_AREA_M2)) + 1]] = "SKK"
    return np.where(facility_codes != "", facility_codes, codes)


def land_use(
    city: City,
    block_frame: gpd.GeoDataFrame,
    *,
    roads: gpd.GeoDataFrame,
    water: gpd.GeoDataFrame,
    green: gpd.GeoDataFrame,
    green_blocks: np.ndarray,
    buildings: gpd.GeoDataFrame,
    facilities: gpd.GeoDataFrame,
) -> gpd.GeoDataFrame:
    """The planned land-use layer (metric CRS): a partition of the city into coded zones."""
    rng = city.rng("land_use")
    codes = _block_codes(city, block_frame, buildings, _facility_codes(block_frame, facilities), rng)
    geoms = block_frame.geometry.to_numpy().copy()
    for block, park in zip(green_blocks.tolist(), green.geometry.to_numpy(), strict=True):
        geoms[block] = shapely.difference(geoms[block], park)
    green_code = {"park": "DKV", "sports": "DTT", "cemetery": "NTD"}
    zones = [
        pd.DataFrame({"code": codes, "name": None, "geometry": geoms}),
        pd.DataFrame(
            {"code": green["type"].map(green_code), "name": green["name"], "geometry": green.geometry}
        ),
        pd.DataFrame({"code": "SON", "name": water["name"], "geometry": water.geometry}),
        _streets_and_rest(city, block_frame, roads, water),
    ]
    frame = gpd.GeoDataFrame(pd.concat(zones, ignore_index=True), geometry="geometry", crs=METRIC_SRID)
    frame = frame.set_geometry(polygonal(frame.geometry.to_numpy()), crs=METRIC_SRID)
    frame = frame[~frame.geometry.is_empty & (frame.area > 1.0)].reset_index(drop=True)
    frame.insert(0, "zone_id", [f"LU{i:05d}" for i in range(1, len(frame) + 1)])
    frame["status"] = "planned"
    frame["plan_year"] = PLAN_YEAR
    return frame


def _streets_and_rest(
    city: City, block_frame: gpd.GeoDataFrame, roads: gpd.GeoDataFrame, water: gpd.GeoDataFrame
) -> pd.DataFrame:
    """Per ward: street corridors (DGT), and what no block covers (ODT in wards, CLN in communes)."""
    wet = shapely.union_all(water.geometry.to_numpy())
    lanes = corridors(roads)
    tree = shapely.STRtree(lanes)
    rows = []
    for ward, (geom, urban) in enumerate(zip(city.wards.geometry, city.urban, strict=True)):
        land = shapely.difference(geom, wet)
        streets = shapely.intersection(
            shapely.union_all(lanes[tree.query(geom, predicate="intersects")]), land
        )
        taken = shapely.union_all(block_frame.geometry.to_numpy()[block_frame["ward"].to_numpy() == ward])
        rest = shapely.difference(shapely.difference(land, streets), taken)
        rows.append({"code": "DGT", "name": None, "geometry": streets})
        rows.append({"code": "ODT" if urban else "CLN", "name": None, "geometry": rest})
    return pd.DataFrame(rows)
