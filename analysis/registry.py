"""The indicator registry: every indicator declared once.

From an :class:`IndicatorSpec` come its computation (``recipe``), its results table in the
``analysis`` schema (:mod:`analysis.tables`), its pygeoapi collection (and later its OGC API
process) and its methods page (``docs/indicators.md``, :mod:`analysis.docs`).  The declarations
live in :mod:`analysis.catalogue`, one module per theme.
"""

from __future__ import annotations

from analysis.catalogue.access import (
    EDUCATION_ACCESS,
    HEALTH_ACCESS,
    HEALTH_BEDS,
    TRANSIT_ACCESS,
    WALKABILITY,
)
from analysis.catalogue.environment import FLOOD_EXPOSURE, GREEN_AREA, OPEN_SPACE_ACCESS, OPEN_SPACE_SHARE
from analysis.catalogue.land import (
    BUILDING_FORM,
    LAND_USE_MIX,
    POPULATION_DENSITY,
    SDG_11_3_1,
    STREET_NETWORK,
)
from analysis.errors import UnknownIndicatorError
from analysis.spec import IndicatorSpec, Level, Parameter, ResultColumn, Theme

#: All indicators, by id, in the order they are run and documented.
INDICATORS: dict[str, IndicatorSpec] = {
    spec.id: spec
    for spec in (
        POPULATION_DENSITY,
        SDG_11_3_1,
        TRANSIT_ACCESS,
        HEALTH_ACCESS,
        HEALTH_BEDS,
        EDUCATION_ACCESS,
        OPEN_SPACE_SHARE,
        OPEN_SPACE_ACCESS,
        GREEN_AREA,
        STREET_NETWORK,
        BUILDING_FORM,
        LAND_USE_MIX,
        FLOOD_EXPOSURE,
        WALKABILITY,
    )
}


def get_indicator(indicator_id: str) -> IndicatorSpec:
    try:
        return INDICATORS[indicator_id]
    except KeyError:
        raise UnknownIndicatorError(
            f"Unknown indicator {indicator_id!r}.",
            hint=f"Known indicators: {', '.join(sorted(INDICATORS))} (see `dothi indicators list`).",
        ) from None


__all__ = [
    "BUILDING_FORM",
    "EDUCATION_ACCESS",
    "FLOOD_EXPOSURE",
    "GREEN_AREA",
    "HEALTH_ACCESS",
    "HEALTH_BEDS",
    "INDICATORS",
    "LAND_USE_MIX",
    "OPEN_SPACE_ACCESS",
    "OPEN_SPACE_SHARE",
    "POPULATION_DENSITY",
    "SDG_11_3_1",
    "STREET_NETWORK",
    "TRANSIT_ACCESS",
    "WALKABILITY",
    "IndicatorSpec",
    "Level",
    "Parameter",
    "ResultColumn",
    "Theme",
    "get_indicator",
]
