"""OGC API – Records (catalogue) on the server; the coverage size limit on a real GeoTIFF."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import rasterio
import requests
from pygeoapi.provider.base import ProviderRequestEntityTooLargeError
from rasterio.transform import from_origin

from analysis.registry import INDICATORS
from api_config.providers.coverage import LimitedRasterioProvider
from layers.catalog import LAYERS, RASTERS

RECORDS = "/collections/catalogue/items"


def test_catalogue_describes_every_layer_raster_and_indicator(api_server: str) -> None:
    body = requests.get(f"{api_server}{RECORDS}", params={"f": "json", "limit": "1000"}, timeout=30).json()
    assert body["numberMatched"] == len(LAYERS) + len(RASTERS) + len(INDICATORS)
    admin = requests.get(f"{api_server}{RECORDS}/admin_units", params={"f": "json"}, timeout=30).json()
    props = admin["properties"]
    assert props["license"] and props["provenance"]["source"]
    assert props["synthetic"] is False


def test_catalogue_search(api_server: str) -> None:
    found = requests.get(f"{api_server}{RECORDS}", params={"f": "json", "q": "density"}, timeout=30).json()
    assert "indicator-population_density" in {f["id"] for f in found["features"]}
    only = requests.get(
        f"{api_server}{RECORDS}", params={"f": "json", "type": "indicator"}, timeout=30
    ).json()
    assert only["numberMatched"] == len(INDICATORS)
    bad = requests.get(f"{api_server}{RECORDS}", params={"f": "json", "colour": "red"}, timeout=30)
    assert bad.status_code == 400 and "colour" in bad.json()["description"]


@pytest.fixture
def small_cog(tmp_path: Path) -> Path:
    path = tmp_path / "grid.tif"
    data = np.arange(200 * 100, dtype="float32").reshape(100, 200)
    profile = {
        "driver": "GTiff",
        "width": 200,
        "height": 100,
        "count": 1,
        "dtype": "float32",
        "crs": "EPSG:4326",
        "transform": from_origin(106.0, 10.5, 0.001, 0.001),
    }
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(data, 1)
    return path


def test_coverage_size_limit(small_cog: Path) -> None:
    provider = LimitedRasterioProvider(
        {
            "name": "x",
            "type": "coverage",
            "data": str(small_cog),
            "options": {"max_cells": 5000},
            "format": {"name": "GTiff", "mimetype": "image/tiff"},
        }
    )
    with pytest.raises(ProviderRequestEntityTooLargeError, match="20,000 cells"):
        provider.query(format_="json")
    # 0.05° × 0.05° = 50 × 50 cells at 0.001°: within the limit
    cov = provider.query(bbox=[106.05, 10.40, 106.10, 10.45], format_="json")
    assert cov["type"] == "Coverage"
    assert cov["domain"]["axes"]["x"]["num"] * cov["domain"]["axes"]["y"]["num"] <= 5000
