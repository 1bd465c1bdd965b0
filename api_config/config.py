"""Generate the pygeoapi configuration from the layer catalog, the indicator registry and what is
actually in the database.

A collection is published for every catalog layer and every indicator whose table exists and holds
rows; its extent is read from the data.  Titles, descriptions and keywords are given in Vietnamese
and English (pygeoapi's multilingual support, ``?lang=vi|en``).

The API never connects as the owner role (:mod:`gis.roles`): the feature, tile and records
providers log in as the reader (``dothi_api``), the processes and the job manager as the analyst
(``dothi_jobs``).  No password appears in the file: pygeoapi reads them from the
``DOTHI_PG_PASSWORD`` (reader) and ``DOTHI_PG_ANALYST_PASSWORD`` (analyst) environment variables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from psycopg2 import sql
from pygeoapi.config import validate_config
from sqlalchemy.engine import URL, Engine

from analysis.registry import INDICATORS, IndicatorSpec
from analysis.tables import SCHEMA as ANALYSIS_SCHEMA
from analysis.units import unit_vi
from api_config import scenario_collection
from api_config.assets import TEMPLATES_DIR
from api_config.indicator_collections import expand_levels
from api_config.processes.lookup import process_resource as lookup_process
from api_config.processes.scenario import process_resource as scenario_process
from api_config.providers.crs import CRS84, CRS_URIS
from api_config.providers.mvt import DEFAULT_MAX_FEATURES
from api_config.providers.tables import TIME_COLUMN, Kind, describe
from gis.errors import ConfigError
from gis.logins import ApiLogins
from gis.settings import ApiSettings
from gis.sqlfiles import load_sql
from layers.catalog import LAYERS, RASTERS, LayerSpec

#: Environment variables holding the reader's and the analyst's passwords.
PASSWORD_ENV = "DOTHI_PG_PASSWORD"
ANALYST_PASSWORD_ENV = "DOTHI_PG_ANALYST_PASSWORD"
LANGUAGES = ["vi", "en"]
PROJECT_URL = "https://github.com/dothi-project/dothi"
FEATURE_PROVIDER = "api_config.providers.postgis.PostGISProvider"
TILE_PROVIDER = "api_config.providers.mvt.PostGISTileProvider"
PROCESSOR = "api_config.processes.indicator.IndicatorProcessor"
RECORDS_PROVIDER = "api_config.providers.records.CatalogueProvider"
COVERAGE_PROVIDER = "api_config.providers.coverage.LimitedRasterioProvider"
CATALOGUE_ID = "catalogue"
#: Key of a read connection's replicas (``host:port`` list) in the generated configuration.
REPLICAS_KEY = "replicas"
#: Largest coverage request (pixels × bands) served; larger ones get HTTP 413.
MAX_COVERAGE_CELLS = 4_000_000
JOB_MANAGER = "api_config.processes.manager.DothiJobManager"
#: Process ids are the indicator ids plus this suffix (collections and processes share a namespace).
PROCESS_SUFFIX = "-run"
#: Longest SQL statement a process may run (its runtime limit per statement).
PROCESS_TIMEOUT_MS = 300_000


@dataclass(frozen=True)
class Published:
    """One table to publish as a collection."""

    id: str
    kind: Kind
    schema: str
    table: str
    id_field: str
    title: dict[str, str]
    description: dict[str, str]
    keywords: dict[str, list[str]]
    licence: str
    attribution: str
    title_field: str | None = None


def _layer_entry(spec: LayerSpec) -> Published:
    return Published(
        id=spec.name,
        kind="layer",
        schema=spec.schema,
        table=spec.table,
        id_field=spec.id_field,
        title={"vi": spec.title_vi, "en": spec.title_en},
        description={"vi": spec.description_vi, "en": spec.description_en},
        keywords={"vi": list(spec.keywords_vi), "en": list(spec.keywords_en)},
        licence=spec.licence,
        attribution=spec.attribution,
        title_field=spec.style.label,
    )


def _indicator_entry(spec: IndicatorSpec) -> Published:
    return Published(
        id=spec.id,
        kind="indicator",
        schema=ANALYSIS_SCHEMA,
        table=spec.table,
        id_field="result_id",
        title={
            "vi": f"Chỉ số: {spec.title_vi} [{unit_vi(spec.unit)}]",
            "en": f"Indicator: {spec.title_en} [{spec.unit}]",
        },
        description={
            "vi": f"{spec.description_vi} Chuẩn: {spec.standard}. Công thức: {spec.formula}.",
            "en": f"{spec.description_en} Standard: {spec.standard}. Formula: {spec.formula}.",
        },
        keywords={
            "vi": ["chỉ số quy hoạch", *spec.keywords_vi],
            "en": ["planning indicator", *spec.keywords_en],
        },
        licence="Derived from the input layers; see their licences",
        attribution="dothi indicator engine; inputs: " + ", ".join(spec.inputs),
        title_field="name_vi",
    )


def candidates() -> list[Published]:
    """Everything that could be published, from the two catalogs."""
    return [
        *map(_layer_entry, LAYERS.values()),
        *map(_indicator_entry, INDICATORS.values()),
        Published(**scenario_collection.entry()),
    ]


def _extent(engine: Engine, item: Published) -> tuple[int, list[float]] | None:
    """Feature count and CRS84 bbox of a table, or None when it is missing or empty."""
    with engine.connect() as conn:
        cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        cur.execute("SELECT to_regclass(%(name)s)", {"name": f"{item.schema}.{item.table}"})
        if cur.fetchone()[0] is None:
            return None
        cur.execute(
            sql.SQL(load_sql("api_config", "extent")).format(table=sql.Identifier(item.schema, item.table))
        )
        count, minx, miny, maxx, maxy = cur.fetchone()
    if not count:
        return None
    return int(count), [round(v, 6) for v in (minx, miny, maxx, maxy)]


def _resource(item: Published, bbox: list[float], url: URL, api: ApiSettings) -> dict[str, Any]:
    return {
        "type": "collection",
        "title": item.title,
        "description": item.description,
        "keywords": item.keywords,
        "links": [
            {
                "type": "text/html",
                "rel": "license",
                "title": item.licence,
                "href": f"{PROJECT_URL}/blob/main/data/mytho/SOURCES.md",
                "hreflang": "en",
            }
        ],
        "extents": {
            "spatial": {
                "bbox": bbox,
                "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
            }
        },
        "providers": [_feature_provider(item, url, api), _tile_provider(item, url, api)],
    }


def _connection(url: URL, password_env: str = PASSWORD_ENV) -> dict[str, Any]:
    replicas = url.query.get(REPLICAS_KEY)
    return {
        "host": url.host,
        "port": url.port or 5432,
        "dbname": url.database,
        "user": url.username,
        "password": "${" + password_env + "}",
        # the read paths' streaming replicas (api_config.providers.db), primary as fallback
        **({REPLICAS_KEY: str(replicas).split(",")} if replicas else {}),
    }


def _analyst(logins: ApiLogins) -> dict[str, Any]:
    """The connection of the processes and the job manager (the analyst login)."""
    return _connection(logins.analyst, ANALYST_PASSWORD_ENV)


def password_env(logins: ApiLogins) -> dict[str, str]:
    """The environment variables the generated configuration reads the passwords from."""
    return {PASSWORD_ENV: logins.reader.password or "", ANALYST_PASSWORD_ENV: logins.analyst.password or ""}


def _table_options(item: Published, api: ApiSettings) -> dict[str, Any]:
    """Options every provider reading a published table gets (table, pool, statement timeout)."""
    return {
        "kind": item.kind,
        "name": item.id,
        "statement_timeout_ms": api.statement_timeout_ms,
        "pool_size": 4,
        "max_overflow": 4,
    }


def _feature_provider(item: Published, url: URL, api: ApiSettings) -> dict[str, Any]:
    """dothi's own PostGIS provider (GeoJSON built in the database, see api_config.providers)."""
    return {
        "type": "feature",
        "name": FEATURE_PROVIDER,
        "data": _connection(url),
        "options": _table_options(item, api),
        "id_field": item.id_field,
        "geom_field": "geom",
        "storage_crs": CRS84,
        "crs": list(CRS_URIS),
        # every non-standard query parameter reaches the provider, which refuses unknown ones (400)
        "include_extra_query_parameters": True,
        **({"title_field": item.title_field} if item.title_field else {}),
        **({"time_field": TIME_COLUMN} if describe(item.kind, item.id).time_field else {}),
    }


def _tile_provider(item: Published, url: URL, api: ApiSettings) -> dict[str, Any]:
    """Vector tiles built in PostGIS (api_config.providers.mvt), WebMercatorQuad."""
    return {
        "type": "tile",
        "name": TILE_PROVIDER,
        "data": _connection(url),
        "options": {
            **_table_options(item, api),
            "zoom": {"min": 0, "max": 22},
            "schemes": ["WebMercatorQuad"],
            "max_features": DEFAULT_MAX_FEATURES,
            "cache_mb": api.tile_cache_mb,
        },
        "geom_field": "geom",
        "format": {"name": "mvt", "mimetype": "application/vnd.mapbox-vector-tile"},
    }


def _catalogue(url: URL, api: ApiSettings) -> dict[str, Any]:
    """OGC API – Records: every layer, raster and indicator (api_config.providers.records)."""
    return {
        "type": "collection",
        "title": {"vi": "Danh mục dữ liệu và chỉ số", "en": "Catalogue of layers and indicators"},
        "description": {
            "vi": "Siêu dữ liệu, nguồn gốc và giấy phép của mọi lớp dữ liệu, ảnh raster và chỉ số.",
            "en": "Metadata, provenance and licence of every layer, raster and indicator.",
        },
        "keywords": {"vi": ["danh mục", "siêu dữ liệu"], "en": ["catalogue", "metadata"]},
        "links": [],
        "extents": {"spatial": {"bbox": [-180, -90, 180, 90], "crs": CRS84}},
        "providers": [
            {
                "type": "record",
                "name": RECORDS_PROVIDER,
                "data": _connection(url),
                "id_field": "id",
                "title_field": "title",
                "include_extra_query_parameters": True,
                "options": {"statement_timeout_ms": api.statement_timeout_ms, "pool_size": 1},
            }
        ],
    }


def _coverages(engine: Engine, data_dir: Path) -> dict[str, Any]:
    """OGC API – Coverages: every raster file listed in catalog.rasters that exists."""
    out: dict[str, Any] = {}
    with engine.connect() as conn:
        cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        cur.execute("SELECT to_regclass('catalog.rasters')")
        if cur.fetchone()[0] is None:
            return out
        cur.execute(load_sql("api_config", "rasters"))
        rows = cur.fetchall()
    for layer, year, path, bbox, synthetic in rows:
        name = layer.split(".", 1)[-1]
        spec = RASTERS.get(name)
        file = data_dir / path
        if spec is None or not file.is_file():
            continue
        cid = f"{name}_{year}" if year else name
        note = (" — DỮ LIỆU TỔNG HỢP", " — SYNTHETIC data") if synthetic else ("", "")
        out[cid] = {
            "type": "collection",
            "title": {
                "vi": f"{spec.title_vi} {year or ''}{note[0]}",
                "en": f"{spec.title_en} {year or ''}{note[1]}",
            },
            "description": {"vi": spec.description_vi, "en": spec.description_en},
            "keywords": {"vi": list(spec.keywords_vi), "en": list(spec.keywords_en)},
            "links": [],
            "extents": {"spatial": {"bbox": list(bbox), "crs": CRS84}},
            "providers": [
                {
                    "type": "coverage",
                    "name": COVERAGE_PROVIDER,
                    "data": str(file),
                    "options": {"max_cells": MAX_COVERAGE_CELLS},
                    "format": {"name": "GTiff", "mimetype": "image/tiff"},
                }
            ],
        }
    return out


def _processes(
    logins: ApiLogins, api: ApiSettings, *, published: set[str], data_dir: Path | None = None
) -> dict[str, Any]:
    """Every indicator of the registry as an OGC API process (api_config.processes)."""
    out: dict[str, Any] = {}
    for spec in INDICATORS.values():
        collection = f"{api.url}/collections/{spec.id}" if spec.id in published else None
        out[f"{spec.id}{PROCESS_SUFFIX}"] = {
            "type": "process",
            "processor": {
                "name": PROCESSOR,
                "indicator": spec.id,
                "process_id": f"{spec.id}{PROCESS_SUFFIX}",
                "data": _analyst(logins),
                "options": {"statement_timeout_ms": PROCESS_TIMEOUT_MS, "pool_size": 2, "max_overflow": 2},
                **({"collection_url": collection} if collection else {}),
                **({"data_dir": str(data_dir)} if data_dir is not None else {}),
            },
        }
    return out


def _time_extent(engine: Engine, item: Published) -> dict[str, Any] | None:
    """The temporal extent from the table's vintages (a vintage covers its calendar year)."""
    if describe(item.kind, item.id).time_field is None:
        return None
    query = sql.SQL(load_sql("api_config", "time_extent")).format(
        column=sql.Identifier(TIME_COLUMN), table=sql.Identifier(item.schema, item.table)
    )
    with engine.connect() as conn:
        cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        cur.execute(query)
        first, last = cur.fetchone()
    if first is None:
        return None
    return {
        "begin": datetime(int(first), 1, 1, tzinfo=UTC),
        "end": datetime(int(last), 12, 31, 23, 59, 59, tzinfo=UTC),
        "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian",
    }


def build_config(
    engine: Engine, logins: ApiLogins, api: ApiSettings, *, data_dir: Path | None = None
) -> dict[str, Any]:
    """The pygeoapi configuration for what is in the database now.

    ``engine`` (the owner's) reads what to publish; the configuration connects with ``logins``.

    ``data_dir`` is the folder raster paths in ``catalog.rasters`` are relative to; rasters whose
    file is missing are not published.
    """
    url = logins.reader
    if logins.replicas:  # carried to the read providers' connection blocks (_connection)
        url = url.update_query_dict({REPLICAS_KEY: ",".join(logins.replicas)})
    resources: dict[str, Any] = {}
    for item in expand_levels(engine, candidates()):
        extent = _extent(engine, item) or scenario_collection.extent_when_empty(engine, item.id)
        if extent is not None:
            resources[item.id] = _resource(item, extent[1], url, api)
            temporal = _time_extent(engine, item)
            if temporal:
                resources[item.id]["extents"]["temporal"] = temporal
    resources |= _processes(logins, api, published=set(resources), data_dir=data_dir)
    resources |= lookup_process(_analyst(logins), api.statement_timeout_ms)
    resources |= scenario_process(
        _analyst(logins), data_dir=data_dir, timeout_ms=PROCESS_TIMEOUT_MS, base_url=api.url
    )
    resources[CATALOGUE_ID] = _catalogue(url, api)
    if data_dir is not None:
        resources |= _coverages(engine, data_dir)
    if not resources:
        raise ConfigError(
            "Nothing to publish: no layer or indicator table holds data.",
            hint="Load data and compute indicators first (`dothi demo` does both).",
        )
    return {
        "server": {
            "bind": {"host": api.host, "port": api.port},
            "url": api.url,
            "mimetype": "application/json",  # JSON is UTF-8 by definition (RFC 8259)
            "encoding": "utf-8",
            "gzip": True,
            "languages": LANGUAGES if api.default_language == "vi" else LANGUAGES[::-1],
            "cors": False,  # CORS is api_config.security.cors (read-only methods by default)
            "pretty_print": False,
            "limits": {"default_items": 10, "max_items": 1000, "on_exceed": "error"},
            "manager": {
                "name": JOB_MANAGER,
                "connection": {**_analyst(logins), "search_path": ["public"]},
                "output_dir": "in-database",  # api_config.processes.manager.IN_DATABASE
                # api_config.processes.queue: jobs running at once and waiting, over all workers
                "limits": {"max_jobs": api.max_jobs, "queue": api.job_queue},
            },
            "map": {"url": api.basemap_url, "attribution": api.basemap_attribution},
            "templates": {"path": str(TEMPLATES_DIR)},
        },
        "logging": {"level": "ERROR"},
        "metadata": _metadata(),
        "resources": resources,
    }


def _metadata() -> dict[str, Any]:
    return {
        "identification": {
            "title": {"vi": "dothi — Dữ liệu đô thị Mỹ Tho", "en": "dothi — Mỹ Tho urban data"},
            "description": {
                "vi": "Dữ liệu không gian và chỉ số quy hoạch đô thị theo chuẩn OGC API.",
                "en": "Geospatial data and urban-planning indicators through OGC API standards.",
            },
            "keywords": {
                "vi": ["quy hoạch đô thị", "Mỹ Tho", "chỉ số"],
                "en": ["urban planning", "My Tho", "indicators", "SDG 11"],
            },
            "keywords_type": "theme",
            "terms_of_service": "https://opensource.org/license/apache-2-0",
            "url": PROJECT_URL,
        },
        "license": {
            "name": "Data: see each collection's licence link; software: Apache-2.0",
            "url": f"{PROJECT_URL}/blob/main/data/mytho/SOURCES.md",
        },
        "provider": {"name": "dothi", "url": PROJECT_URL},
        "contact": {
            "name": "dothi team",
            "position": "maintainers",
            "address": "Mỹ Tho",
            "city": "Mỹ Tho",
            "country": "Viet Nam",
            "email": "dothi@example.org",
            "url": PROJECT_URL,
            "role": "pointOfContact",
        },
    }


def validate(config: dict[str, Any]) -> None:
    """Validate against pygeoapi's own configuration schema."""
    try:
        validate_config(config)
    except Exception as exc:
        raise ConfigError(f"Generated pygeoapi configuration is invalid: {exc}") from exc


def write_config(config: dict[str, Any], path: Path) -> Path:
    """Write the configuration as YAML (atomically)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    tmp.replace(path)
    return path
