"""What every generator family needs: the city's wards in the metric CRS, the seed and helpers."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from gis.crs import DEFAULT_ANALYSIS_SRID, STORAGE_SRID
from layers.errors import SourceError
from layers.sources import mytho

#: Bumped whenever the same seed would produce different data.
GENERATOR_VERSION = "1.0"
METRIC_SRID = DEFAULT_ANALYSIS_SRID

#: Urban wards (Phường 1–10, Tân Long) are ``level = 'ward'`` in the 2019 vintage; the rest are communes.
URBAN_LEVEL = "ward"


@dataclass(frozen=True)
class City:
    """The 2019 wards/communes (metric CRS) the generator is calibrated to.

    Attributes
    ----------
    wards:
        ``unit_id, name_vi, level, population, households, geometry`` in EPSG:32648, one row per
        2019 unit, sorted by ``unit_id``.
    polygon:
        Union of the wards: everything generated lies inside it.
    seed:
        The seed of every random draw.
    scale:
        Fraction of households/population to generate (1.0 = the census; smaller for fast tests).
    """

    wards: gpd.GeoDataFrame
    polygon: BaseGeometry
    seed: int
    scale: float = 1.0

    @property
    def source(self) -> str:
        """The ``source`` attribute of every generated feature."""
        return f"dothi synthetic generator v{GENERATOR_VERSION}, seed {self.seed}"

    def rng(self, family: str) -> np.random.Generator:
        """An independent random generator per family (stable across runs and families)."""
        return np.random.default_rng([self.seed, zlib.crc32(family.encode("utf-8"))])

    @property
    def urban(self) -> np.ndarray:
        """Boolean mask of urban wards (aligned with :attr:`wards`)."""
        return (self.wards["level"] == URBAN_LEVEL).to_numpy()


def city_from_units(units: gpd.GeoDataFrame, *, seed: int, scale: float = 1.0) -> City:
    """Build the :class:`City` from 2019 admin units (any CRS).

    Raises :class:`SourceError` when a unit lacks population or households.
    """
    if not 0 < scale <= 1:
        raise ValueError(f"scale must be in (0, 1], got {scale}")
    needed = ["unit_id", "name_vi", "level", "population", "households"]
    missing = [c for c in needed if c not in units.columns]
    if missing:
        raise SourceError(f"admin units for the generator lack column(s) {', '.join(missing)}.")
    frame = units[[*needed, units.geometry.name]].to_crs(epsg=METRIC_SRID)
    bad = frame[frame["population"].isna() | frame["households"].isna()]
    if len(bad):
        raise SourceError(
            f"2019 units without census population/households: {', '.join(bad['unit_id'])}.",
            hint="Use the bundled 2019 census units (data/mytho).",
        )
    frame = frame.sort_values("unit_id").reset_index(drop=True)
    frame = frame.set_geometry(shapely.make_valid(frame.geometry.to_numpy()))
    frame["population"] = frame["population"].astype(int)
    frame["households"] = frame["households"].astype(int)
    polygon = shapely.union_all(frame.geometry.to_numpy())
    return City(wards=frame, polygon=polygon, seed=int(seed), scale=float(scale))


def load_city(*, seed: int, scale: float = 1.0, folder: Path | None = None) -> City:
    """The :class:`City` from the bundled real Mỹ Tho 2019 units and census."""
    return city_from_units(mytho.admin_units_2019(folder).frame, seed=seed, scale=scale)


def to_storage(frame: gpd.GeoDataFrame, city: City) -> gpd.GeoDataFrame:
    """Label a metric frame synthetic, set its source and project it to the storage CRS (4326)."""
    out = frame.copy()
    out["synthetic"] = True
    out["source"] = city.source
    out = out.to_crs(epsg=STORAGE_SRID)
    geoms = out.geometry.to_numpy()
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        geoms[invalid] = shapely.make_valid(geoms[invalid])
        if shapely.get_type_id(geoms[invalid]).max() >= 3:
            geoms[invalid] = polygonal(geoms[invalid])
        out = out.set_geometry(gpd.GeoSeries(geoms, crs=STORAGE_SRID, index=out.index))
    return out


def polygonal(geoms: np.ndarray) -> np.ndarray:
    """Keep only the polygon parts of each geometry (overlays can return collections with lines)."""
    out = np.array(geoms, dtype=object)
    mixed = np.flatnonzero(shapely.get_type_id(out) == 7)  # GeometryCollection
    for i in mixed:
        parts = shapely.get_parts(out[i])
        parts = shapely.get_parts(parts[np.isin(shapely.get_type_id(parts), [3, 6])])
        out[i] = shapely.multipolygons(parts) if len(parts) else shapely.MultiPolygon()
    return out


def wobble_line(
    start: np.ndarray, end: np.ndarray, rng: np.random.Generator, *, step: float, amplitude: float
) -> np.ndarray:
    """Vertices from ``start`` to ``end`` every ``step`` metres, shifted sideways by a smooth walk."""
    length = float(np.hypot(*(end - start)))
    n = max(2, int(length // step) + 1)
    t = np.linspace(0.0, 1.0, n)
    points = start + np.outer(t, end - start)
    if amplitude > 0 and n > 2:
        normal = np.array([-(end - start)[1], (end - start)[0]]) / max(length, 1e-9)
        walk = np.cumsum(rng.normal(0.0, 1.0, n))
        walk -= np.linspace(walk[0], walk[-1], n)  # pinned at both ends
        walk *= amplitude / max(np.abs(walk).max(), 1e-9)
        points += np.outer(walk, normal)
    return points
