"""The layer catalog: every layer declared once.

From a :class:`LayerSpec` come its PostGIS table (:mod:`layers.tables`, used by the migrations), the
loader's validation (:mod:`layers.validate`), the pygeoapi collection (``api_config``) and the docs.
Every table also gets the common columns :data:`COMMON_COLUMNS` (``synthetic``, ``source``,
``load_id``) and a ``geom`` column in the storage CRS.  Rasters are declared as :class:`RasterSpec`.
"""

from __future__ import annotations

from layers.catalog.environment import (
    BUILT_UP,
    ELEVATION,
    ENVIRONMENT_LAYERS,
    FLOOD_ZONES,
    GREEN_SPACES,
    LAND_COVER,
    POPULATION_GRID,
    RASTER_LAYERS,
    WATER_BODIES,
)
from layers.catalog.infrastructure import (
    HEALTH_FACILITIES,
    INFRASTRUCTURE_LAYERS,
    MARKETS,
    PUBLIC_FACILITIES,
    ROADS,
    SCHOOLS,
    TRANSIT_STOPS,
    UTILITIES,
)
from layers.catalog.land import (
    ADMIN_UNITS,
    BUILDINGS,
    LAND_LAYERS,
    LAND_USE,
    PARCELS,
    POPULATION_CENSUS,
)
from layers.catalog.landuse_codes import LAND_USE_CODES
from layers.catalog.types import COMMON_COLUMNS, Attribute, LayerSpec, RasterSpec, StyleHint
from layers.errors import UnknownLayerError

#: All declared vector layers, by name.
LAYERS: dict[str, LayerSpec] = {
    spec.name: spec for spec in (*LAND_LAYERS, *INFRASTRUCTURE_LAYERS, *ENVIRONMENT_LAYERS)
}
#: All declared raster layers, by name.
RASTERS: dict[str, RasterSpec] = {spec.name: spec for spec in RASTER_LAYERS}


def get_layer(name: str) -> LayerSpec:
    """Look a vector layer up by name (``admin_units``) or qualified name (``land.admin_units``)."""
    key = name.split(".", 1)[-1]
    try:
        return LAYERS[key]
    except KeyError:
        raise UnknownLayerError(
            f"Unknown layer {name!r}.",
            hint=f"Known layers: {', '.join(sorted(LAYERS))}; rasters: {', '.join(sorted(RASTERS))}.",
        ) from None


def get_raster(name: str) -> RasterSpec:
    key = name.split(".", 1)[-1]
    try:
        return RASTERS[key]
    except KeyError:
        raise UnknownLayerError(
            f"Unknown raster layer {name!r}.", hint=f"Known rasters: {', '.join(sorted(RASTERS))}."
        ) from None


__all__ = [
    "ADMIN_UNITS",
    "BUILDINGS",
    "BUILT_UP",
    "COMMON_COLUMNS",
    "ELEVATION",
    "FLOOD_ZONES",
    "GREEN_SPACES",
    "HEALTH_FACILITIES",
    "LAND_COVER",
    "LAND_USE",
    "LAND_USE_CODES",
    "LAYERS",
    "MARKETS",
    "PARCELS",
    "POPULATION_CENSUS",
    "POPULATION_GRID",
    "PUBLIC_FACILITIES",
    "RASTERS",
    "ROADS",
    "SCHOOLS",
    "TRANSIT_STOPS",
    "UTILITIES",
    "WATER_BODIES",
    "Attribute",
    "LayerSpec",
    "RasterSpec",
    "StyleHint",
    "get_layer",
    "get_raster",
]
