"""The QGIS project of dothi: what goes in it (planned here, in the project's Python) and how it is
built (by :mod:`api_config.qgis.driver` under the system Python that has PyQGIS).

Why PyQGIS rather than writing ``.qgs`` XML by hand: a project holds every layer's full renderer,
the layer tree, CRS definitions, and for the copy stored in PostgreSQL a zipped ``.qgz`` in QGIS's
``qgis_projects`` table.  QGIS writes all of that itself, in the exact format of the installed
version, and checks that every layer actually loads; a hand-written file would have to track
QGIS's format and could not check anything.  The plan (groups, layers, data sources, styles) is
plain data computed here and tested without QGIS; the driver only executes it.

The project never contains the database password: PostGIS layers carry host, port, database and
user only.  QGIS asks for the password when the project is opened (or takes it from ``~/.pgpass``,
``PGPASSWORD`` or a ``pg_service.conf`` service).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from psycopg2 import sql
from sqlalchemy.engine import URL, Engine

from analysis.registry import INDICATORS, POPULATION_DENSITY
from analysis.tables import SCHEMA as ANALYSIS_SCHEMA
from api_config.qgis.layout import print_layout
from api_config.qgis.names import indicator_name, layer_name
from api_config.qgis.rasterstyle import raster_style
from api_config.qgis.results import indicator_abstract
from api_config.qgis.scenarios import scenario_groups
from api_config.qgis.store import PACKAGE, table_exists, table_has_rows, ward_values
from api_config.qgis.styles import indicator_style, layer_style, model_qml
from api_config.styling.breaks import Method
from api_config.styling.document import collection_models
from api_config.styling.encode import mapbox_style
from api_config.styling.model import StyleModel
from gis.crs import DEFAULT_ANALYSIS_SRID, STORAGE_SRID
from gis.errors import ConfigError, DothiError
from gis.settings import ApiSettings
from gis.sqlfiles import load_sql
from layers.catalog import LAYERS, RASTERS, LayerSpec
from layers.notices import SYNTHETIC_DATA

SYSTEM_PYTHON = "/usr/bin/python3"
PROJECT_NAME = "dothi"
PROJECT_SCHEMA = "public"
TILE_TEMPLATE = "{api}/collections/{id}/tiles/WebMercatorQuad/{{z}}/{{y}}/{{x}}?f=mvt"
GROUP_TITLES = {
    "infrastructure": "Hạ tầng / Infrastructure",
    "environment": "Môi trường / Environment",
    "indicators": "Chỉ số 2025 / Indicators 2025",
    "rasters": "Lưới raster / Raster grids",
    "land": "Đất đai / Land",
    "indicators_old": "Chỉ số 2019 / Indicators 2019",
    "oapif": "OGC API Features (dothi serve)",
    "tiles": "OGC API Tiles (dothi serve)",
}
#: Drawing order, top to bottom: points and lines over themes over the base.
GROUP_ORDER = (
    "infrastructure",
    "environment",
    "indicators",
    "rasters",
    "land",
    "indicators_old",
    "oapif",
    "tiles",
)
#: Groups switched on when the project opens.
VISIBLE_GROUPS = frozenset({"infrastructure", "environment", "indicators", "land"})
#: Layers drawn when the project opens: the wards, streets, water, green and daily services; the
#: rest (land use, buildings, flood zones, …) is one click away, so the map is readable on open.
VISIBLE_LAYERS = frozenset(
    {"admin_units", "roads", "water_bodies", "green_spaces", "schools", "health_facilities", "markets"}
)
#: The one indicator drawn on open (newest ward vintage).
VISIBLE_INDICATOR = POPULATION_DENSITY.id
INDICATOR_OPACITY = 0.8
RASTER_OPACITY = 0.75
#: Newest ward boundaries: indicator layers of this vintage go in the main indicator group.
CURRENT_VINTAGE = 2025
_GEOMETRY_RANK = {"Point": 0, "MultiPoint": 0, "MultiLineString": 1, "MultiPolygon": 2}


class QgisError(DothiError):
    """QGIS (PyQGIS under the system Python) is missing or failed."""

    exit_code = 3


@dataclass(frozen=True)
class LayerPlan:
    """One layer of the project, as the driver builds it."""

    kind: str  # postgres | oapif | vectortile | raster
    name: str
    source: dict[str, Any]
    visible: bool = True
    qml: str | None = None
    opacity: float = 1.0
    abstract: str = ""


@dataclass
class ProjectPlan:
    """Everything the driver needs; serialised to JSON."""

    title: str
    crs: str
    extent_crs84: list[float] | None
    groups: list[dict[str, Any]] = field(default_factory=list)
    layout: dict[str, Any] | None = None

    def layers(self) -> Iterator[LayerPlan]:
        for group in self.groups:
            yield from group["layers"]

    def to_json(self) -> str:
        data = asdict(self)
        return json.dumps(data, ensure_ascii=False)


def connection(url: URL) -> dict[str, Any]:
    """PostGIS connection parameters for QGIS, without the password."""
    return {
        "host": url.host or "127.0.0.1",
        "port": int(url.port or 5432),
        "dbname": url.database,
        "user": url.username,
    }


def _vintages(cur: Any, schema: str, table: str) -> list[int | None]:
    cur.execute(sql.SQL(load_sql(PACKAGE, "vintages")).format(table=sql.Identifier(schema, table)))
    found = [int(r[0]) for r in cur.fetchall()]
    return list(found) or [None]


def _source(schema: str, table: str, key: str, geometry: str, where: list[str]) -> dict[str, Any]:
    # A QGIS layer filter stored in the project (QGIS sends it as the WHERE of its queries);
    # built from constants and ints only, nothing user-given.
    return {
        "schema": schema,
        "table": table,
        "geom": "geom",
        "key": key,
        "geometry": geometry,
        "srid": STORAGE_SRID,
        "subset": " AND ".join(where),
    }


def _has_column(cur: Any, schema: str, table: str, column: str) -> bool:
    cur.execute(load_sql(PACKAGE, "has_column"), {"schema": schema, "table": table, "column": column})
    return bool(cur.fetchone()[0])


def _layer_sort_key(spec: LayerSpec) -> tuple[int, int]:
    order = list(LAYERS)
    return _GEOMETRY_RANK.get(spec.geometry, 2), -order.index(spec.name)


def _abstract(vi: str, en: str, *, synthetic: bool = False) -> str:
    notice = f"\n\n{SYNTHETIC_DATA['vi']} / {SYNTHETIC_DATA['en']}" if synthetic else ""
    return f"{vi}\n\n{en}{notice}"


def _catalog_layers(cur: Any, spec: LayerSpec) -> list[LayerPlan]:
    """One layer per boundary vintage (the newest visible), or one layer when there is none."""
    vintages = (
        _vintages(cur, spec.schema, spec.table)
        if _has_column(cur, spec.schema, spec.table, "vintage")
        else [None]
    )
    style = layer_style(spec).qml
    out = []
    for i, vintage in enumerate(vintages):
        where = [] if vintage is None else [f"vintage = {int(vintage)}"]
        out.append(
            LayerPlan(
                "postgres",
                layer_name(spec, vintage),
                _source(spec.schema, spec.table, spec.id_field, spec.geometry, where),
                visible=i == 0 and spec.name in VISIBLE_LAYERS,
                qml=style,
                abstract=_abstract(spec.description_vi, spec.description_en),
            )
        )
    return out


def _domain_layers(cur: Any, domain: str) -> list[LayerPlan]:
    plans: list[LayerPlan] = []
    specs = sorted((s for s in LAYERS.values() if s.domain == domain), key=_layer_sort_key)
    for spec in specs:
        if table_has_rows(cur, spec.schema, spec.table):
            plans += _catalog_layers(cur, spec)
    return plans


def _raster_layers(cur: Any, data_dir: Path) -> list[LayerPlan]:
    if not table_exists(cur, "catalog", "rasters"):
        return []
    cur.execute(load_sql(PACKAGE, "rasters"))
    plans = []
    for qualified, year, path in cur.fetchall():
        spec = RASTERS.get(str(qualified).split(".", 1)[-1])
        if spec is None:
            continue
        full = Path(path) if Path(path).is_absolute() else data_dir / path
        source = {"path": str(full), "style": raster_style(spec.name, full)}
        abstract = _abstract(spec.description_vi, spec.description_en)
        plans.append(
            LayerPlan(
                "raster",
                layer_name(spec, year),
                source,
                visible=False,
                opacity=RASTER_OPACITY,
                abstract=abstract,
            )
        )
    return plans


def _indicator_source(cur: Any, table: str, vintage: int | None) -> dict[str, Any]:
    """The ward view of one boundary vintage (``analysis.<table>_ward_2025``, published by the
    runner, values rounded as the API serves them), or the combined table with a filter."""
    view = f"{table}_ward_{vintage}"
    if vintage is not None and table_exists(cur, ANALYSIS_SCHEMA, view):
        return _source(ANALYSIS_SCHEMA, view, "result_id", "MultiPolygon", [])
    where = ["level = 'ward'"] + ([] if vintage is None else [f"vintage = {int(vintage)}"])
    return _source(ANALYSIS_SCHEMA, table, "result_id", "MultiPolygon", where)


def _indicator_layers(cur: Any, *, method: Method, classes: int) -> tuple[list[LayerPlan], list[LayerPlan]]:
    """(layers of the newest ward vintage, layers of older vintages), all off but one."""
    current: list[LayerPlan] = []
    older: list[LayerPlan] = []
    for ind in INDICATORS.values():
        if not table_has_rows(cur, ANALYSIS_SCHEMA, ind.table):
            continue
        values = ward_values(cur, ind.table, ind.value_column)
        abstract = indicator_abstract(cur, ind)
        style = (
            indicator_style(
                ind, values.newest, method=method, classes=classes, span=(values.low, values.high)
            ).qml
            if values is not None
            else None
        )
        for vintage in _vintages(cur, ANALYSIS_SCHEMA, ind.table):
            newest = vintage is None or vintage >= CURRENT_VINTAGE
            plan = LayerPlan(
                "postgres",
                indicator_name(ind, vintage),
                _indicator_source(cur, ind.table, vintage),
                visible=newest and ind.id == VISIBLE_INDICATOR,
                qml=style,
                opacity=INDICATOR_OPACITY,
                abstract=abstract,  # the synthetic-result notice first when it applies
            )
            (current if newest else older).append(plan)
    return current, older


def _api_title(model: StyleModel) -> str:
    if model.id in LAYERS:
        return layer_name(LAYERS[model.id])
    base, _, vintage = model.id.partition("-ward-")
    if base in INDICATORS:
        return indicator_name(INDICATORS[base], int(vintage) if vintage.isdigit() else None)
    return f"{model.title_vi} / {model.title_en}"


def _in_project(cid: str, ids: set[str]) -> bool:
    """An indicator's newest-ward collection (``<id>-ward-2025``) stands for it in the project; the
    combined collection and the older vintage stay in the API."""
    if "-ward-" in cid:
        return cid.endswith(f"-ward-{CURRENT_VINTAGE}")
    return f"{cid}-ward-{CURRENT_VINTAGE}" not in ids


def _api_layers(cur: Any, api_url: str) -> tuple[list[LayerPlan], list[LayerPlan]]:
    """OGC API Features layers (styled with the collection's QML) and vector-tile layers (drawn with
    the collection's MapLibre style, the one ``/collections/{id}/styles/default`` serves)."""
    features, tiles = [], []
    models = collection_models(cur)
    ids = {m.id for m in models}
    for model in models:
        if not _in_project(model.id, ids):
            continue
        cid, title = model.id, _api_title(model)
        features.append(
            LayerPlan("oapif", title, {"url": api_url, "typename": cid}, visible=False, qml=model_qml(model))
        )
        url = TILE_TEMPLATE.format(api=api_url, id=cid)
        source = {
            "url": url,
            "zmin": 0,
            "zmax": 16,
            "style_url": f"{api_url}/collections/{cid}/styles/default?f=mapbox",
            "mapbox": mapbox_style(model, tiles=url, source_layer=cid),
        }
        tiles.append(LayerPlan("vectortile", title, source, visible=False))
    return features, tiles


def _extent(cur: Any) -> list[float] | None:
    for spec in LAYERS.values():
        if table_has_rows(cur, spec.schema, spec.table):
            cur.execute(
                sql.SQL(load_sql(PACKAGE, "bbox")).format(table=sql.Identifier(spec.schema, spec.table))
            )
            return [float(v) for v in cur.fetchone()]
    return None


def _groups(
    cur: Any, api: ApiSettings, data_dir: Path, *, method: Method, classes: int
) -> dict[str, list[LayerPlan]]:
    layers = {d: _domain_layers(cur, d) for d in ("infrastructure", "environment", "land")}
    layers["indicators"], layers["indicators_old"] = _indicator_layers(cur, method=method, classes=classes)
    layers["rasters"] = _raster_layers(cur, data_dir)
    layers["oapif"], layers["tiles"] = _api_layers(cur, api.url)
    return layers


def plan_project(
    engine: Engine,
    api: ApiSettings,
    *,
    data_dir: Path,
    method: Method = "jenks",
    classes: int = 5,
    scenarios: list[str] | None = None,
    all_scenarios: bool = False,
    planner_service: str | None = None,
) -> ProjectPlan:
    """The project for what the database holds now (only tables with rows), with a Scenarios group
    (``scenarios``: their names, or ``all_scenarios``; none by default; ``planner_service``: the
    pg_service.conf service their layers connect through)."""
    with engine.connect() as conn:
        cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        layers = _groups(cur, api, data_dir, method=method, classes=classes)
        extent = _extent(cur)
        scenario_group = scenario_groups(cur, scenarios, every=all_scenarios, service=planner_service)
    plan = ProjectPlan(
        title="dothi — Mỹ Tho: dữ liệu và chỉ số quy hoạch / planning data and indicators",
        crs=f"EPSG:{DEFAULT_ANALYSIS_SRID}",
        extent_crs84=extent,
    )
    for key in GROUP_ORDER:
        if layers[key]:
            plan.groups.append(
                {"name": GROUP_TITLES[key], "visible": key in VISIBLE_GROUPS, "layers": layers[key]}
            )
    plan.groups[:0] = scenario_group
    if not any(True for _ in plan.layers()):
        raise ConfigError(
            "Nothing to put in the QGIS project: no layer or indicator table holds data.",
            hint="Load data and compute indicators first (`dothi demo --no-serve`).",
        )
    plan.layout = print_layout(plan)
    return plan


def project_uri(url: URL, *, schema: str = PROJECT_SCHEMA, name: str = PROJECT_NAME) -> str:
    """QGIS's URI of a project stored in PostgreSQL (no password: libpq takes it from the env)."""
    conn = connection(url)
    return (
        f"postgresql://{conn['user']}@{conn['host']}:{conn['port']}"
        f"?sslmode=disable&dbname={conn['dbname']}&schema={schema}&project={name}"
    )


def driver_path() -> Path:
    return Path(str(resources.files("api_config.qgis").joinpath("driver.py")))


def system_python() -> str:
    """The Python that has PyQGIS (Debian's ``python3-qgis``); clear error when missing."""
    python = os.environ.get("DOTHI_QGIS_PYTHON", SYSTEM_PYTHON)
    if shutil.which(python) is None:
        raise QgisError(
            f"QGIS's Python {python!r} was not found.", hint="sudo apt-get install -y python3-qgis"
        )
    return python


def qgis_env(url: URL) -> dict[str, str]:
    """Environment of a headless PyQGIS process that can reach the database."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}}
    env.update({"QT_QPA_PLATFORM": "offscreen", "PGPASSWORD": url.password or "", "PGCONNECT_TIMEOUT": "10"})
    env.setdefault("XDG_RUNTIME_DIR", "/tmp")  # noqa: S108 - Qt only wants a writable folder
    return env


def run_driver(script: Path, payload: dict[str, Any], url: URL, *, timeout: float = 300) -> dict[str, Any]:
    """Run a PyQGIS script under the system Python; it reads JSON on stdin and writes JSON on stdout."""
    cmd = [system_python(), str(script)]
    try:
        done = subprocess.run(
            cmd,
            input=json.dumps(payload, ensure_ascii=False),
            capture_output=True,
            text=True,
            env=qgis_env(url),
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise QgisError(f"QGIS did not finish within {timeout:.0f} s running {script.name}.") from exc
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = (done.stderr or done.stdout).strip().splitlines()[-8:]
        hint = (
            "python3-qgis missing? sudo apt-get install -y python3-qgis"
            if "No module named 'qgis'" in done.stderr
            else None
        )
        raise QgisError(
            f"QGIS failed running {script.name} (exit {done.returncode}):\n" + "\n".join(tail), hint=hint
        )
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def write_project(
    plan: ProjectPlan, url: URL, *, path: Path | None, to_database: bool = True
) -> dict[str, Any]:
    """Have QGIS build ``plan`` and write it to ``path`` and/or into the database."""
    payload = {
        "plan": json.loads(plan.to_json()),
        "connection": connection(url),
        "file": str(path.resolve()) if path else None,
        "database_uri": project_uri(url) if to_database else None,
    }
    return run_driver(driver_path(), payload, url)


def build_project(
    engine: Engine,
    url: URL,
    api: ApiSettings,
    *,
    data_dir: Path,
    path: Path | None,
    to_database: bool = True,
    method: Method = "jenks",
    classes: int = 5,
    scenarios: list[str] | None = None,
    all_scenarios: bool = False,
    planner_service: str | None = None,
) -> dict[str, Any]:
    """Plan the project for what the database holds now and have QGIS write it."""
    plan = plan_project(
        engine,
        api,
        data_dir=data_dir,
        method=method,
        classes=classes,
        scenarios=scenarios,
        all_scenarios=all_scenarios,
        planner_service=planner_service,
    )
    return write_project(plan, url, path=path, to_database=to_database)
