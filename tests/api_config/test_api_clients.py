"""Real clients read the API: GDAL's OAPIF driver and OWSLib; the OpenAPI document validates."""

from __future__ import annotations

import re
import subprocess

import requests
from openapi_spec_validator import validate
from owslib.ogcapi.features import Features


def test_gdal_oapif_reads_features(api_server: str) -> None:
    listing = subprocess.run(
        ["ogrinfo", "-ro", "-so", f"OAPIF:{api_server}"], capture_output=True, text=True, timeout=120
    )
    assert listing.returncode == 0, listing.stderr
    assert "admin_units" in listing.stdout and "population_density" in listing.stdout
    wards = subprocess.run(
        ["ogrinfo", "-ro", "-al", "-q", f"OAPIF:{api_server}", "admin_units", "-where", "level = 'ward'"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert wards.returncode == 0, wards.stderr
    assert wards.stdout.count("OGRFeature(admin_units)") == 11 + 5


def test_owslib_reads_features(api_server: str) -> None:
    api = Features(api_server)
    assert "admin_units" in {c["id"] for c in api.collections()["collections"]}
    items = api.collection_items("admin_units", limit=100, vintage=2025)
    assert items["numberMatched"] == 5
    queryables = api.collection_queryables("admin_units")["properties"]
    assert {"population", "name_vi", "vintage"} <= set(queryables)


def test_openapi_document_validates(api_server: str) -> None:
    resp = requests.get(f"{api_server}/openapi", params={"f": "json"}, timeout=60)
    assert not re.search(r'"\$ref":\s*"https?:', resp.text), "the served document must be self-contained"
    doc = resp.json()
    validate(doc)  # self-contained: the OGC schemas are inlined (api_config/oas), no internet needed
    assert "/collections/admin_units/items" in doc["paths"]
    assert "/processes/population_density-run/execution" in doc["paths"]
