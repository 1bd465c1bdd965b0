"""OpenStreetMap extracts (``.osm.pbf``/``.osm``) into the catalog layers.

Read with GDAL's OSM driver through pyogrio, configured by ``layers/osmconf.ini`` so that only the
tags the mapping reads become columns.  The tag → layer mapping is documented in
``docs/osm-mapping.md``; each ``_map_*`` function below is one table of that document.

Ids are ``osm:n<id>`` (nodes), ``osm:w<id>`` (ways) and ``osm:r<id>`` (relations); features
without usable geometry are skipped and counted as rejected.  Point layers take area features
(a school drawn as a polygon) as their representative point.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from layers.catalog import (
    BUILDINGS,
    GREEN_SPACES,
    HEALTH_FACILITIES,
    MARKETS,
    ROADS,
    SCHOOLS,
    TRANSIT_STOPS,
    WATER_BODIES,
    LayerSpec,
)
from layers.errors import SourceError

LICENCE = "ODbL 1.0"
ATTRIBUTION = "© OpenStreetMap contributors"
OSM_LAYERS = ("points", "lines", "multipolygons")

_LINK = re.compile(r"_link$")
_ROAD_ALIASES = {"road": "unclassified", "bridleway": "path", "busway": "service"}
_NOT_WALKABLE = {"motorway", "trunk"}
_SURFACE = {
    "asphalt": "asphalt",
    "concrete": "concrete",
    "concrete:plates": "concrete",
    "concrete:lanes": "concrete",
    "paved": "paved",
    "paving_stones": "paved",
    "sett": "paved",
    "cobblestone": "paved",
    "unhewn_cobblestone": "paved",
    "metal": "paved",
    "wood": "paved",
    "unpaved": "unpaved",
    "compacted": "unpaved",
    "ground": "unpaved",
    "grass": "unpaved",
    "gravel": "gravel",
    "fine_gravel": "gravel",
    "pebblestone": "gravel",
    "dirt": "dirt",
    "earth": "dirt",
    "mud": "dirt",
    "sand": "dirt",
}
_BUILDING_USE = {
    **dict.fromkeys(
        (
            "house",
            "residential",
            "apartments",
            "detached",
            "terrace",
            "semidetached_house",
            "dormitory",
            "bungalow",
            "hut",
            "cabin",
            "farm",
        ),
        "residential",
    ),
    **dict.fromkeys(
        ("commercial", "retail", "office", "supermarket", "kiosk", "hotel", "shop", "mall"), "commercial"
    ),
    **dict.fromkeys(("industrial", "warehouse", "factory", "manufacture", "hangar"), "industrial"),
    **dict.fromkeys(
        (
            "school",
            "hospital",
            "university",
            "college",
            "public",
            "government",
            "civic",
            "kindergarten",
            "fire_station",
            "train_station",
            "transportation",
            "sports_hall",
            "stadium",
        ),
        "public",
    ),
    **dict.fromkeys(
        (
            "church",
            "chapel",
            "mosque",
            "temple",
            "shrine",
            "cathedral",
            "religious",
            "synagogue",
            "monastery",
            "pagoda",
        ),
        "religious",
    ),
}
_ISCED = {"0": "kindergarten", "1": "primary", "2": "lower_secondary", "3": "upper_secondary"}
_SCHOOL_AMENITY = {"kindergarten": "kindergarten", "college": "vocational", "university": "university"}
_HEALTH = {
    "hospital": "hospital",
    "clinic": "clinic",
    "doctors": "clinic",
    "pharmacy": "pharmacy",
    "health_post": "health_station",
}
_HEALTHCARE = {"centre": "polyclinic", "hospital": "hospital", "clinic": "clinic", "pharmacy": "pharmacy"}
_MARKET_SHOP = {"supermarket": "supermarket", "convenience": "convenience", "wholesale": "wholesale"}
_GREEN_LEISURE = {
    "park": "park",
    "garden": "garden",
    "playground": "playground",
    "pitch": "sports",
    "sports_centre": "sports",
    "dog_park": "park",
}
_GREEN_LANDUSE = {
    "cemetery": "cemetery",
    "orchard": "orchard",
    "village_green": "other",
    "recreation_ground": "other",
    "grass": "other",
}
_PUBLIC_BY_DEFAULT = {"park", "playground", "square", "other"}
_WATER = {
    "river": "river",
    "canal": "canal",
    "lake": "lake",
    "pond": "pond",
    "reservoir": "reservoir",
    "basin": "reservoir",
    "lagoon": "lake",
    "oxbow": "lake",
    "stream": "river",
    "ditch": "canal",
    "wetland": "wetland",
}
_OPEN_ACCESS = {"yes", "public", "permissive", "designated"}
_CLOSED_ACCESS = {"private", "no", "customers"}


@dataclass
class OsmResult:
    """The features of each layer read from an extract, and what was skipped."""

    frames: dict[str, gpd.GeoDataFrame]
    rejected: dict[str, int] = field(default_factory=dict)


def _config_path() -> str:
    return str(resources.files("layers").joinpath("osmconf.ini"))


def read_osm_layer(path: Path, layer: str) -> tuple[gpd.GeoDataFrame, int]:
    """One OGR layer of an extract with dothi's osmconf; returns the frame and #invalid geometries."""
    previous = pyogrio.get_gdal_config_option("OSM_CONFIG_FILE")
    pyogrio.set_gdal_config_options({"OSM_CONFIG_FILE": _config_path()})
    try:
        frame = pyogrio.read_dataframe(path, layer=layer, on_invalid="ignore")
    except Exception as exc:
        raise SourceError(
            f"{path}: cannot be read as an OpenStreetMap extract (layer {layer}): {exc}.",
            hint="Give an .osm.pbf or .osm file, e.g. from download.geofabrik.de or BBBike.",
        ) from exc
    finally:
        pyogrio.set_gdal_config_options({"OSM_CONFIG_FILE": previous})
    bad = frame.geometry.isna() | frame.geometry.is_empty
    return frame[~bad].reset_index(drop=True), int(bad.sum())


def _col(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame.columns:
        return frame[name]
    return pd.Series([None] * len(frame), index=frame.index, dtype=object)


def _ids(frame: pd.DataFrame, prefix: str) -> pd.Series:
    if "osm_way_id" in frame.columns:
        way = frame["osm_way_id"].notna()
        return pd.Series(
            np.where(way, "osm:w" + frame["osm_way_id"].astype(str), "osm:r" + frame["osm_id"].astype(str)),
            index=frame.index,
        )
    return prefix + frame["osm_id"].astype(str)


def _number(values: pd.Series) -> pd.Series:
    """First number in a tag value ('12 m', '3;4' → 12.0, 3.0), NaN when none."""
    text = values.astype("string").str.extract(r"(-?\d+(?:\.\d+)?)", expand=False)
    return pd.to_numeric(text, errors="coerce")


def _frame(spec: LayerSpec, data: Mapping[str, object], geoms: gpd.GeoSeries) -> gpd.GeoDataFrame:
    out = gpd.GeoDataFrame(dict(data), geometry=geoms.to_numpy(), crs=geoms.crs)
    out["synthetic"] = False
    out["source"] = "OpenStreetMap"
    return out[[*[a for a in spec.attribute_names if a in out.columns], "synthetic", "source", "geometry"]]


def _points_of(frame: gpd.GeoDataFrame) -> gpd.GeoSeries:
    return frame.geometry.where(frame.geometry.geom_type == "Point", frame.geometry.representative_point())


def _map_roads(lines: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    highway = _col(lines, "highway").astype("string").str.replace(_LINK, "", regex=True)
    highway = highway.replace(_ROAD_ALIASES)
    keep = highway.isin(ROADS.attribute("road_class").allowed or ()) & (_col(lines, "area") != "yes")
    sel, cls = lines[keep.fillna(False)], highway[keep.fillna(False)]
    oneway = _col(sel, "oneway").isin(["yes", "true", "1", "-1"]) | cls.isin(["motorway"])
    walkable = ~cls.isin(_NOT_WALKABLE) & ~_col(sel, "foot").isin(["no"]) & ~_col(sel, "access").isin(["no"])
    data = {
        "road_id": _ids(sel, "osm:w"),
        "road_class": cls,
        "name": _col(sel, "name"),
        "oneway": oneway,
        "walkable": walkable,
        "surface": _col(sel, "surface").map(lambda v: None if pd.isna(v) else _SURFACE.get(v, "other")),
        "width_m": _number(_col(sel, "width")),
        "lanes": _number(_col(sel, "lanes")).round(),
    }
    return _frame(ROADS, data, sel.geometry)


def _map_buildings(polys: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    building = _col(polys, "building")
    sel = polys[building.notna() & (building != "no")]
    levels = _number(_col(sel, "building_levels"))
    year = _number(_col(sel, "start_date").astype("string").str.extract(r"(\d{4})", expand=False))
    data = {
        "building_id": _ids(sel, "osm:w"),
        "use": _col(sel, "building").map(lambda v: _BUILDING_USE.get(v, "other")),
        "floors": levels.where(levels >= 1).round(),
        "height_m": _number(_col(sel, "height")),
        "year_built": year,
    }
    return _frame(BUILDINGS, data, sel.geometry)


def _both(points: gpd.GeoDataFrame, polys: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    pts = points.copy()
    pts["fid"] = _ids(pts, "osm:n")
    areas = polys.copy()
    areas["fid"] = _ids(areas, "osm:w")
    areas = areas.set_geometry(_points_of(areas))
    return gpd.GeoDataFrame(pd.concat([pts, areas], ignore_index=True), crs=points.crs)


def _map_schools(both: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    amenity = _col(both, "amenity")
    sel = both[amenity.isin(["school", "kindergarten", "college", "university"])]
    isced = _col(sel, "isced_level").fillna(_col(sel, "school_level")).astype("string").str[:1]
    level = _col(sel, "amenity").map(_SCHOOL_AMENITY).fillna(isced.map(_ISCED)).fillna("primary")
    operator = _col(sel, "operator_type")
    data = {
        "school_id": sel["fid"],
        "name": _col(sel, "name"),
        "level": level,
        "capacity": _number(_col(sel, "capacity")).round(),
        "public": operator.map(lambda v: None if pd.isna(v) else v in {"public", "government"}),
    }
    return _frame(SCHOOLS, data, sel.geometry)


def _map_health(both: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    kind = _col(both, "amenity").map(_HEALTH).fillna(_col(both, "healthcare").map(_HEALTHCARE))
    sel, kind = both[kind.notna()], kind[kind.notna()]
    data = {
        "facility_id": sel["fid"],
        "name": _col(sel, "name"),
        "type": kind,
        "beds": _number(_col(sel, "beds")).round(),
    }
    return _frame(HEALTH_FACILITIES, data, sel.geometry)


def _map_markets(both: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    kind = _col(both, "shop").map(_MARKET_SHOP)
    kind = kind.where(_col(both, "amenity") != "marketplace", "market")
    sel, kind = both[kind.notna()], kind[kind.notna()]
    data = {"market_id": sel["fid"], "name": _col(sel, "name"), "type": kind}
    return _frame(MARKETS, data, sel.geometry)


def _map_green(polys: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    kind = _col(polys, "leisure").map(_GREEN_LEISURE).fillna(_col(polys, "landuse").map(_GREEN_LANDUSE))
    sel, kind = polys[kind.notna()], kind[kind.notna()]
    access = _col(sel, "access")
    public = access.isin(list(_OPEN_ACCESS)) | (kind.isin(list(_PUBLIC_BY_DEFAULT)) & access.isna())
    public &= ~access.isin(list(_CLOSED_ACCESS))
    metric = sel.geometry.to_crs(sel.geometry.estimate_utm_crs()) if len(sel) else sel.geometry
    data = {
        "green_id": _ids(sel, "osm:w"),
        "type": kind,
        "public": public,
        "name": _col(sel, "name"),
        "area_m2": metric.area.round(1),
    }
    return _frame(GREEN_SPACES, data, sel.geometry)


def _map_water(polys: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    natural, water = _col(polys, "natural"), _col(polys, "water")
    kind = pd.Series(None, index=polys.index, dtype=object)
    kind[natural == "water"] = water[natural == "water"].map(lambda v: _WATER.get(v, "lake"))
    kind[natural == "wetland"] = "wetland"
    kind[_col(polys, "waterway") == "riverbank"] = "river"
    kind[_col(polys, "landuse").isin(["reservoir", "basin"])] = "reservoir"
    sel, kind = polys[kind.notna()], kind[kind.notna()]
    data = {"water_id": _ids(sel, "osm:w"), "type": kind, "name": _col(sel, "name")}
    return _frame(WATER_BODIES, data, sel.geometry)


def _map_stops(points: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    highway, railway = _col(points, "highway"), _col(points, "railway")
    mode = pd.Series(None, index=points.index, dtype=object)
    mode[
        (highway == "bus_stop")
        | ((_col(points, "public_transport") == "platform") & (_col(points, "bus") == "yes"))
    ] = "bus"
    mode[railway == "tram_stop"] = "tram"
    mode[railway.isin(["station", "halt"])] = "rail"
    mode[(_col(points, "amenity") == "ferry_terminal") | (_col(points, "ferry") == "yes")] = "ferry"
    sel, mode = points[mode.notna()], mode[mode.notna()]
    data = {
        "stop_id": _ids(sel, "osm:n"),
        "name": _col(sel, "name"),
        "mode": mode,
        "capacity": mode.map(lambda m: "low" if m in {"bus", "tram"} else "high"),
    }
    return _frame(TRANSIT_STOPS, data, sel.geometry)


#: layer name → (mapping function, which input it takes).
MAPPINGS: dict[str, tuple[Callable[[gpd.GeoDataFrame], gpd.GeoDataFrame], str]] = {
    "roads": (_map_roads, "lines"),
    "buildings": (_map_buildings, "multipolygons"),
    "schools": (_map_schools, "both"),
    "health_facilities": (_map_health, "both"),
    "markets": (_map_markets, "both"),
    "green_spaces": (_map_green, "multipolygons"),
    "water_bodies": (_map_water, "multipolygons"),
    "transit_stops": (_map_stops, "points"),
}


def _clip(frame: gpd.GeoDataFrame, boundary: shapely.Geometry | None) -> gpd.GeoDataFrame:
    if boundary is None or len(frame) == 0:
        return frame
    shapely.prepare(boundary)
    return frame[shapely.intersects(boundary, frame.geometry.to_numpy())].reset_index(drop=True)


def read_osm(
    path: str | Path,
    *,
    boundary: shapely.Geometry | None = None,
    progress: Callable[[str], None] | None = None,
) -> OsmResult:
    """Read an extract and map it to the catalog layers.

    Parameters
    ----------
    path:
        ``.osm.pbf`` or ``.osm`` file.
    boundary:
        Keep only features intersecting it (EPSG:4326); ways crossing it are kept whole.
    progress:
        Called with a short message per step.
    """
    say = progress or (lambda _msg: None)
    path = Path(path)
    if not path.exists() or path.stat().st_size == 0:
        raise SourceError(f"{path}: no such file, or it is empty.", hint="Check the path.")
    inputs: dict[str, gpd.GeoDataFrame] = {}
    rejected: dict[str, int] = {}
    for layer in OSM_LAYERS:
        say(f"reading OSM {layer} from {path.name}")
        inputs[layer], rejected[layer] = read_osm_layer(path, layer)
        inputs[layer] = _clip(inputs[layer], boundary)
    inputs["both"] = _both(inputs["points"], inputs["multipolygons"])
    frames = {}
    for name, (mapper, source) in MAPPINGS.items():
        say(f"mapping tags to {name}")
        frames[name], rejected[name] = _drop_degenerate(mapper(inputs[source]))
    return OsmResult(frames=frames, rejected=rejected)


def _drop_degenerate(frame: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, int]:
    """Skip areas that are not areas (collapsed rings that repair into lines): OSM has a few."""
    geoms = frame.geometry.to_numpy()
    polygonal = np.isin(shapely.get_type_id(geoms), [3, 6])
    invalid = polygonal & ~shapely.is_valid(geoms)
    if not invalid.any():
        return frame, 0
    degenerate = np.zeros(len(frame), dtype=bool)
    degenerate[invalid] = shapely.area(shapely.make_valid(geoms[invalid])) == 0
    return frame[~degenerate].reset_index(drop=True), int(degenerate.sum())
