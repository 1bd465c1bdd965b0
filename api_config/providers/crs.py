"""The output CRSs of the API, as integer SRIDs for PostGIS.

Storage is SRID 4326 with x = longitude (:mod:`gis.crs`), i.e. CRS84 axis order, so the collections
declare ``storage_crs: CRS84``.  ``EPSG:4326`` responses are in the authority's latitude, longitude
order (``ST_FlipCoordinates``); the projected CRSs are easting, northing.
"""

from __future__ import annotations

from dataclasses import dataclass

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG = "http://www.opengis.net/def/crs/EPSG/0/"


@dataclass(frozen=True)
class OutputCrs:
    uri: str
    srid: int
    flip_axes: bool
    digits: int  # decimal digits kept by ST_AsGeoJSON (≈ 1 cm)


SUPPORTED: dict[str, OutputCrs] = {
    c.uri: c
    for c in (
        OutputCrs(CRS84, 4326, False, 7),
        OutputCrs(f"{EPSG}4326", 4326, True, 7),
        OutputCrs(f"{EPSG}3857", 3857, False, 2),
        OutputCrs(f"{EPSG}32648", 32648, False, 2),  # WGS 84 / UTM 48N (analysis CRS)
        OutputCrs(f"{EPSG}3405", 3405, False, 2),  # VN-2000 / UTM 48N
    )
}

#: The ``crs`` list of every collection (the first is the default).
CRS_URIS = list(SUPPORTED)


def output_crs(uri: str | None) -> OutputCrs:
    """The output CRS for a ``crs`` URI (already checked against :data:`CRS_URIS` by pygeoapi)."""
    if not uri:
        return SUPPORTED[CRS84]
    try:
        return SUPPORTED[uri]
    except KeyError:
        raise ValueError(
            f"Parameter 'crs': {uri!r} is not offered; use one of {', '.join(CRS_URIS)}."
        ) from None
