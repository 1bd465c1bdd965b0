"""dothi's coordinate reference system policy, in one place.

* **Storage**: every vector layer is stored in WGS 84 longitude/latitude, ``SRID 4326``, with
  x = longitude and y = latitude (the PostGIS/GeoJSON order; the API speaks CRS84).
* **Analysis**: lengths and areas are computed in a metric projected CRS, by default
  WGS 84 / UTM zone 48N (EPSG:32648), which covers Mỹ Tho (106.3° E).  For another city the UTM
  zone of its centre is used (:func:`utm_epsg_for`).
* **VN-2000**: the national datum, as Vietnamese offices deliver data: geographic (EPSG:4756),
  UTM 48N (EPSG:3405), UTM 49N (EPSG:3406) and the provincial 3° transverse-Mercator zones
  (scale 0.9999, false easting 500 km) with the official 7-parameter shift to WGS 84 from
  Decision 05/2007/QĐ-BTNMT.  Tiền Giang's zone has its central meridian at 105°45′.
* Metric computations refuse geographic or missing CRSs with a clear error; nothing falls back to a
  guessed CRS.  Bounding boxes are always ``(minx, miny, maxx, maxy)``.
"""

from __future__ import annotations

from pyproj import CRS

from gis.errors import CrsError

STORAGE_SRID = 4326
DEFAULT_ANALYSIS_SRID = 32648  # WGS 84 / UTM zone 48N

#: Official VN-2000 → WGS 84 7-parameter Helmert shift (Decision 05/2007/QĐ-BTNMT), metres,
#: arc-seconds and ppm, in PROJ's ``+towgs84`` (position-vector) order.
VN2000_TOWGS84 = (
    -191.90441429,
    -39.30318279,
    -111.45032835,
    -0.00928836,
    0.01975479,
    -0.00427372,
    0.252906278,
)


def vn2000_tm3(central_meridian: float, *, scale: float = 0.9999) -> CRS:
    """A VN-2000 provincial 3° transverse-Mercator CRS.

    Parameters
    ----------
    central_meridian:
        Degrees east, e.g. ``105.75`` (105°45′) for Tiền Giang.
    scale:
        Scale factor on the central meridian (0.9999 for provincial 3° zones).

    Examples
    --------
    >>> vn2000_tm3(105.75).is_projected
    True
    """
    towgs84 = ",".join(repr(v) for v in VN2000_TOWGS84)
    return CRS.from_proj4(
        f"+proj=tmerc +lat_0=0 +lon_0={central_meridian} +k={scale} +x_0=500000 +y_0=0 "
        f"+ellps=WGS84 +towgs84={towgs84} +units=m +no_defs +type=crs"
    )


#: Named CRSs that users can give as ``--crs`` besides any ``EPSG:nnnn``.
NAMED_CRS = {
    "VN2000": "EPSG:4756",
    "VN2000-UTM48N": "EPSG:3405",
    "VN2000-UTM49N": "EPSG:3406",
    "VN2000-TM3-TIENGIANG": "VN2000-TM3:105.75",
}


def parse_crs(value: str | int | CRS | None, *, where: str = "") -> CRS:
    """Turn a user-given CRS (``EPSG:3405``, ``4326``, ``VN2000-TM3:105.75``, WKT…) into a CRS.

    Raises :class:`CrsError` naming ``where`` when it is missing or unknown.
    """
    place = f" ({where})" if where else ""
    if value is None or value == "":
        raise CrsError(
            f"No coordinate reference system{place}.",
            hint="Give one explicitly, e.g. --crs EPSG:4326 or --crs VN2000-TM3-TIENGIANG.",
        )
    if isinstance(value, CRS):
        return value
    text = str(value).strip()
    text = NAMED_CRS.get(text.upper(), text)
    if text.upper().startswith("VN2000-TM3:"):
        try:
            return vn2000_tm3(float(text.split(":", 1)[1]))
        except ValueError as exc:
            raise CrsError(f"Bad VN-2000 3° zone {text!r}{place}.") from exc
    if text.isdigit():
        text = f"EPSG:{text}"
    try:
        return CRS.from_user_input(text)
    except Exception as exc:
        raise CrsError(
            f"Unknown coordinate reference system {text!r}{place}: {exc}",
            hint="Use an EPSG code such as EPSG:3405 (VN-2000 / UTM 48N).",
        ) from exc


def utm_epsg_for(lon: float, lat: float) -> int:
    """EPSG code of the WGS 84 UTM zone containing a point."""
    zone = int((lon + 180) // 6) + 1
    return (32600 if lat >= 0 else 32700) + zone


def require_metric(crs: CRS | None, *, what: str) -> CRS:
    """Refuse a missing or geographic CRS for a metric computation.

    Parameters
    ----------
    crs:
        The CRS of the data about to be measured.
    what:
        Names the data (layer, argument) in the error message.
    """
    if crs is None:
        raise CrsError(
            f"{what} has no coordinate reference system; areas and lengths cannot be computed.",
            hint="Set the CRS of the data (e.g. EPSG:32648) before computing indicators.",
        )
    if not crs.is_projected:
        raise CrsError(
            f"{what} is in a geographic CRS ({crs.to_string()}); areas in square degrees are meaningless.",
            hint=f"Project it first, e.g. .to_crs(epsg={DEFAULT_ANALYSIS_SRID}).",
        )
    units = {axis.unit_name for axis in crs.axis_info}
    if not units <= {"metre", "meter"}:
        raise CrsError(f"{what} has non-metric units {sorted(units)}; a metric CRS is required.")
    return crs
