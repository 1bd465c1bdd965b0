"""Synthetic layers for a large study area (a province): generated district by district.

The generator calibrates one :class:`~layers.synthetic.context.City` at a time and keeps the
largest connected street network of it, so a whole province in one piece would lose its river
islands (Tân Long, Tân Phú Đông…).  Here every district (``parent_name_vi`` of the 2019 units) is
generated on its own — a district the generator cannot do in one piece is generated commune by
commune, and a commune it cannot do at all is skipped and named in the notes — then the layers are
concatenated (ids prefixed by the partition, unique per table) and the rasters, whose grids are
snapped to their resolution, mosaicked.  Everything stays labelled synthetic as before.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
from affine import Affine

from layers.catalog import LAYERS, RASTERS
from layers.rasters import RasterArray
from layers.synthetic.context import City, city_from_units

Progress = Callable[[str], None]
#: What the generator raises when a piece of land cannot hold what the census asks for.
GENERATOR_ERRORS = (RuntimeError, ValueError, ZeroDivisionError)


@dataclass
class Partitioned:
    """What :func:`generate_partitioned` produced, and the units it had to skip."""

    layers: dict[str, gpd.GeoDataFrame]
    rasters: list[RasterArray]
    parts: int = 0
    skipped: list[str] = field(default_factory=list)


def _one(
    units: gpd.GeoDataFrame, key: str, seed: int, scale: float
) -> tuple[dict[str, gpd.GeoDataFrame], list]:
    from layers.synthetic.generate import generate  # noqa: PLC0415 - generate imports this module's caller

    part_seed = (seed * 1_000_003 + zlib.crc32(key.encode())) % (2**31)
    units = _with_centre(units)
    data = generate(seed=part_seed, city=city_from_units(units, seed=part_seed, scale=scale))
    layers = {}
    for name, frame in data.layers.items():
        id_field = LAYERS[name].id_field
        layers[name] = frame.assign(**{id_field: key + "-" + frame[id_field].astype(str)})
    return layers, data.rasters


def _with_centre(units: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The generator puts hospitals, markets and offices in urban wards: a rural district's towns
    (thị trấn) play that part, or its most populous commune when it has no town."""
    if (units["level"] == "ward").any():
        return units
    towns = units["level"] == "town"
    if not towns.any():
        towns = units["population"] == units["population"].max()
    return units.assign(level=units["level"].where(~towns, "ward"))


def _parts(units: gpd.GeoDataFrame) -> list[tuple[str, gpd.GeoDataFrame]]:
    groups = units.groupby(units["parent_name_vi"].fillna(""), sort=True)
    return [(f"p{zlib.crc32(name.encode()) % 100000:05d}", frame) for name, frame in groups]


def generate_partitioned(
    units: gpd.GeoDataFrame, city: City, *, progress: Progress | None = None
) -> Partitioned:
    """Generate every layer for ``units`` (2019 admin units with population and households)
    district by district; ``city`` (the whole area) gives the seed, scale and ``source``."""
    say = progress or (lambda _m: None)
    layers: dict[str, list[gpd.GeoDataFrame]] = {}
    rasters: list[RasterArray] = []
    out = Partitioned({}, [])
    parts = _parts(units)
    for i, (key, part) in enumerate(parts, start=1):
        say(f"district {i}/{len(parts)}: {part['parent_name_vi'].iloc[0]} ({len(part)} units)")
        pieces = [(key, part)]
        try:
            done = [_one(part, key, city.seed, city.scale)]
        except GENERATOR_ERRORS as exc:
            say(f"  whole district failed ({exc}); commune by commune")
            done = []
            pieces = [(f"{key}c{code}", part[part["unit_id"] == code]) for code in part["unit_id"]]
            for sub_key, one in pieces:
                try:
                    done.append(_one(one, sub_key, city.seed, city.scale))
                except GENERATOR_ERRORS as sub:
                    out.skipped.append(f"{one['name_vi'].iloc[0]} ({one['unit_id'].iloc[0]}): {sub}")
                    say(f"  skipped {one['name_vi'].iloc[0]}: {sub}")
        for part_layers, part_rasters in done:
            out.parts += 1
            for name, frame in part_layers.items():
                layers.setdefault(name, []).append(frame)
            rasters.extend(part_rasters)
    for name, frames in layers.items():
        frame = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry=frames[0].geometry.name)
        frame["source"] = city.source
        out.layers[name] = frame.set_crs(frames[0].crs, allow_override=True)
    out.rasters = mosaic(rasters)
    return out


def mosaic(rasters: list[RasterArray]) -> list[RasterArray]:
    """One raster per (layer, year) from the partitions' rasters (grids snapped to the resolution):
    counts and shares add up in a cell two partitions share, elevation takes the first value."""
    by_key: dict[tuple[str, int | None], list[RasterArray]] = {}
    for r in rasters:
        by_key.setdefault((r.name, r.year), []).append(r)
    return [_merge(parts) for parts in by_key.values()]


def _merge(parts: list[RasterArray]) -> RasterArray:
    spec = RASTERS[parts[0].name]
    res = parts[0].transform.a
    minx = min(p.transform.c for p in parts)
    maxy = max(p.transform.f for p in parts)
    maxx = max(p.transform.c + p.array.shape[1] * res for p in parts)
    miny = min(p.transform.f - p.array.shape[0] * res for p in parts)
    shape = (round((maxy - miny) / res), round((maxx - minx) / res))
    out = np.full(shape, spec.nodata, dtype=parts[0].array.dtype)
    for p in parts:
        row, col = round((maxy - p.transform.f) / res), round((p.transform.c - minx) / res)
        window = out[row : row + p.array.shape[0], col : col + p.array.shape[1]]
        valid = p.array != spec.nodata
        empty = window == spec.nodata
        if spec.name == "elevation":
            window[valid & empty] = p.array[valid & empty]
        else:
            both = valid & ~empty
            window[valid & empty] = p.array[valid & empty]
            window[both] = window[both] + p.array[both]
            if spec.name == "built_up":
                window[both] = np.minimum(window[both], 1.0)
    transform = Affine(res, 0.0, minx, 0.0, -res, maxy)
    return RasterArray(parts[0].name, out, transform, parts[0].crs, year=parts[0].year)
