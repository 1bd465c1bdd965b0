"""gzip sized to the body (api_config.guard.compression): same bytes back, same ratio as zlib's
full window."""

from __future__ import annotations

import gzip
import json
import os

import pytest

from api_config.guard.compression import GZIP_LEVEL, gzip_bytes

pytestmark = pytest.mark.pure


def _feature_text(n: int) -> bytes:
    features = [
        {"type": "Feature", "id": f"b{i:07d}", "geometry": {"type": "Point", "coordinates": [106.3 + i / 1e5, 10.3]},
         "properties": {"use": "residential", "floors": i % 5, "name": "Nhà ở riêng lẻ"}}
        for i in range(n)
    ]  # fmt: skip
    return json.dumps(features, ensure_ascii=False).encode()


@pytest.mark.parametrize("size", [0, 1, 100, 511, 512, 513, 1300, 40_000, 2_000_000])
def test_round_trip_and_same_size_as_a_full_window(size: int) -> None:
    text = (_feature_text(size // 150 + 1) * 2)[:size]
    packed = gzip_bytes(text)
    assert gzip.decompress(packed) == text
    assert packed[:2] == b"\x1f\x8b"  # a gzip member, as Content-Encoding: gzip says
    assert len(packed) <= len(gzip.compress(text, GZIP_LEVEL)) * 1.01 + 2


@pytest.mark.parametrize("size", [1, 700, 70_000])
def test_incompressible_bodies_round_trip(size: int) -> None:
    noise = os.urandom(size)
    assert gzip.decompress(gzip_bytes(noise)) == noise
