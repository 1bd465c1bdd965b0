"""The CRS policy: metric refusals and VN-2000 round trips."""

from __future__ import annotations

import pytest
from pyproj import CRS, Transformer

from gis.crs import parse_crs, require_metric, utm_epsg_for, vn2000_tm3
from gis.errors import CrsError


def test_geographic_and_missing_crs_are_refused_by_name() -> None:
    with pytest.raises(CrsError, match="wards.*geographic"):
        require_metric(CRS.from_epsg(4326), what="wards")
    with pytest.raises(CrsError, match="roads has no coordinate"):
        require_metric(None, what="roads")
    assert require_metric(CRS.from_epsg(32648), what="x").to_epsg() == 32648


def test_my_tho_is_in_utm_48n() -> None:
    assert utm_epsg_for(106.36, 10.36) == 32648
    assert utm_epsg_for(-15.43, 28.1) == 32628  # Las Palmas


@pytest.mark.parametrize("name", ["VN2000-TM3-TIENGIANG", "EPSG:3405", "EPSG:3406", "EPSG:4756"])
def test_vn2000_round_trip(name: str) -> None:
    crs = parse_crs(name)
    to_vn = Transformer.from_crs(4326, crs, always_xy=True)
    back = Transformer.from_crs(crs, 4326, always_xy=True)
    lon, lat = 106.3600, 10.3600  # central Mỹ Tho
    x, y = to_vn.transform(lon, lat)
    lon2, lat2 = back.transform(x, y)
    assert abs(lon2 - lon) < 1e-8 and abs(lat2 - lat) < 1e-8  # about a millimetre


def test_vn2000_tm3_tien_giang_parameters() -> None:
    crs = vn2000_tm3(105.75)
    assert crs.is_bound  # carries the official 7-parameter shift to WGS 84
    shift = [p.value for p in crs.coordinate_operation.params]
    assert shift[:3] == [-191.90441429, -39.30318279, -111.45032835]
    params = {p.name: p.value for p in crs.source_crs.coordinate_operation.params}
    assert params["Longitude of natural origin"] == 105.75
    assert params["Scale factor at natural origin"] == 0.9999
    assert params["False easting"] == 500000
    # on the central meridian the easting is the false easting
    x, _ = Transformer.from_crs(crs.geodetic_crs, crs, always_xy=True).transform(105.75, 10.0)
    assert abs(x - 500000) < 1e-6
    # the datum shift moves points by tens of metres, not kilometres and not zero
    x_vn, y_vn = Transformer.from_crs(4326, crs, always_xy=True).transform(106.36, 10.36)
    x_wgs, y_wgs = Transformer.from_crs(
        4326, "+proj=tmerc +lon_0=105.75 +k=0.9999 +x_0=500000 +ellps=WGS84", always_xy=True
    ).transform(106.36, 10.36)
    shift = ((x_vn - x_wgs) ** 2 + (y_vn - y_wgs) ** 2) ** 0.5
    assert 50 < shift < 500


def test_unknown_and_missing_crs_messages() -> None:
    with pytest.raises(CrsError, match="No coordinate reference system.*file.shp"):
        parse_crs(None, where="file.shp")
    with pytest.raises(CrsError, match="Unknown coordinate"):
        parse_crs("EPSG:999999")
