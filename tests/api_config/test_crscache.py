"""The cached CRS lookups answer exactly what pygeoapi's own functions answer."""

from __future__ import annotations

import pygeoapi.crs as pygeoapi_crs
import pytest
from pygeoapi.crs import CRSError

from api_config import crscache

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG = "http://www.opengis.net/def/crs/EPSG/0/{}"
MY_THO = [106.33, 10.33, 106.42, 10.40]


@pytest.mark.parametrize(
    ("source", "target", "bbox"),
    [
        (CRS84, CRS84, MY_THO),
        (EPSG.format(4326), CRS84, [10.33, 106.33, 10.40, 106.42]),
        (CRS84, EPSG.format(4326), MY_THO),
        (CRS84, EPSG.format(32648), MY_THO),
        (CRS84, EPSG.format(3857), [-10.0, -89.0, 10.0, 89.5]),
        (EPSG.format(32648), CRS84, [626_000.0, 1_141_000.0, 636_000.0, 1_150_000.0]),
        ("urn:ogc:def:crs:EPSG::3405", CRS84, [550_000.0, 1_140_000.0, 560_000.0, 1_150_000.0]),
    ],
)
def test_same_answer_as_pygeoapi(source: str, target: str, bbox: list[float]) -> None:
    expected = crscache._TRANSFORM_BBOX(bbox, source, target)  # pygeoapi's own, kept by the module
    for _ in range(2):  # the second call is answered from the cache
        assert crscache.transform_bbox(bbox, source, target) == pytest.approx(expected, abs=1e-9)


def test_identity_returns_the_bbox_and_builds_no_transformer() -> None:
    crscache._plan.cache_clear()
    assert crscache.transform_bbox(MY_THO, CRS84, CRS84) == MY_THO
    transform, mercator = crscache._plan(CRS84, CRS84, False)
    assert transform is None and mercator is False


def test_a_bad_uri_is_still_a_crs_error_every_time() -> None:
    for _ in range(2):
        with pytest.raises(CRSError):
            crscache.transform_bbox(MY_THO, "http://www.opengis.net/def/crs/EPSG/0/999999", CRS84)


def test_crs_objects_are_shared_and_equal_to_pygeoapis() -> None:
    first = crscache.get_crs(EPSG.format(32648))
    assert first is crscache.get_crs(EPSG.format(32648))
    assert first == crscache._GET_CRS(EPSG.format(32648))


def test_install_reaches_the_per_request_call_sites() -> None:
    import pygeoapi.provider.base as provider_base
    from pygeoapi.api import itemtypes

    crscache.install()
    crscache.install()  # idempotent
    assert itemtypes.transform_bbox is crscache.transform_bbox
    assert provider_base.get_crs is crscache.get_crs
    assert pygeoapi_crs.get_crs is crscache.get_crs
