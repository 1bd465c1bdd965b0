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
from dataclasses import asdict, dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from psycopg2 import sql
from sqlalchemy.engine import URL, Engine

from analysis.registry import INDICATORS, IndicatorSpec
from analysis.tables import SCHEMA as ANALYSIS_SCHEMA
from api_config.qgis.results import indicator_abstract
from api_config.qgis.store import PACKAGE, table_exists, table_has_rows
from api_config.qgis.styles import layer_style
from gis.crs import DEFAULT_ANALYSIS_SRID, STORAGE_SRID
from gis.errors import ConfigError, DothiError
from gis.settings import ApiSettings
from gis.sqlfiles import load_sql
from layers.catalog import LAYERS, RASTERS, LayerSpec

SYSTEM_PYTHON = "/usr/bin/python3"
PROJECT_NAME = "dothi"
PROJECT_SCHEMA = "public"
TILE_TEMPLATE = "{api}/collections/{id}/tiles/WebMercatorQuad/{{z}}/{{y}}/{{x}}?f=mvt"
GROUP_TITLES = {
    "infrastructure": "Hạ tầng / Infrastructure",
    "environment": "Môi trường / Environment",
    "indicators": "Chỉ số / Indicators",
    "land": "Đất đai / Land",
    "oapif": "OGC API Features (dothi serve)",
    "tiles": "OGC API Tiles — vector tiles (dothi serve)",
}
#: Drawing order, top to bottom: points and lines over themes over the base.
GROUP_ORDER = ("infrastructure", "environment", "indicators", "land", "oapif", "tiles")
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
    abstract: str | None = None


@dataclass
class ProjectPlan:
    """Everything the driver needs; serialised to JSON."""

    title: str
    crs: str
    extent_crs84: list[float] | None
    groups: list[dict[str, Any]] = field(default_factory=list)

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


def _postgres_layers(
    cur: Any, *, schema: str, table: str, key: str, geometry: str, title: str, ward_only: bool = False
) -> list[LayerPlan]:
    """One layer per boundary vintage (the newest visible), or one layer when there is none."""
    out = []
    has_vintage = _has_column(cur, schema, table, "vintage")
    vintages = _vintages(cur, schema, table) if has_vintage else [None]
    for i, vintage in enumerate(vintages):
        # A QGIS layer filter stored in the project (QGIS sends it as the WHERE of its queries);
        # built from constants and an int only, nothing user-given.
        where = ["level = 'ward'"] if ward_only else []
        if vintage is not None:
            where.append(f"vintage = {int(vintage)}")
        source = {
            "schema": schema,
            "table": table,
            "geom": "geom",
            "key": key,
            "geometry": geometry,
            "srid": STORAGE_SRID,
            "subset": " AND ".join(where),
        }
        name = title if vintage is None else f"{title} ({vintage})"
        out.append(LayerPlan("postgres", name, source, visible=i == 0))
    return out


def _has_column(cur: Any, schema: str, table: str, column: str) -> bool:
    cur.execute(load_sql(PACKAGE, "has_column"), {"schema": schema, "table": table, "column": column})
    return bool(cur.fetchone()[0])


def _layer_sort_key(spec: LayerSpec) -> tuple[int, int]:
    order = list(LAYERS)
    return _GEOMETRY_RANK.get(spec.geometry, 2), -order.index(spec.name)


def _domain_layers(cur: Any, domain: str, data_dir: Path) -> list[LayerPlan]:
    plans: list[LayerPlan] = []
    specs = sorted((s for s in LAYERS.values() if s.domain == domain), key=_layer_sort_key)
    for spec in specs:
        if table_has_rows(cur, spec.schema, spec.table):
            title = f"{spec.title_vi} / {spec.title_en}"
            plans += _postgres_layers(
                cur,
                schema=spec.schema,
                table=spec.table,
                key=spec.id_field,
                geometry=spec.geometry,
                title=title,
            )
    return plans + _raster_layers(cur, domain, data_dir)


def _raster_layers(cur: Any, domain: str, data_dir: Path) -> list[LayerPlan]:
    if not table_exists(cur, "catalog", "rasters"):
        return []
    cur.execute(load_sql(PACKAGE, "rasters"))
    plans, seen = [], set()
    for qualified, year, path in cur.fetchall():
        spec = RASTERS.get(str(qualified).split(".", 1)[-1])
        if spec is None or spec.domain != domain:
            continue
        name = f"{spec.title_vi} / {spec.title_en}" + (f" ({year})" if year else "")
        full = Path(path) if Path(path).is_absolute() else data_dir / path
        plans.append(LayerPlan("raster", name, {"path": str(full)}, visible=spec.name not in seen))
        seen.add(spec.name)
    return plans


def _indicator_layers(cur: Any) -> list[LayerPlan]:
    plans: list[LayerPlan] = []
    for ind in INDICATORS.values():
        if table_has_rows(cur, ANALYSIS_SCHEMA, ind.table):
            abstract = indicator_abstract(cur, ind)
            plans += [
                replace(plan, abstract=abstract)
                for plan in _postgres_layers(
                    cur,
                    schema=ANALYSIS_SCHEMA,
                    table=ind.table,
                    key="result_id",
                    geometry="MultiPolygon",
                    title=_indicator_title(ind),
                    ward_only=True,
                )
            ]
    return plans


def _indicator_title(ind: IndicatorSpec) -> str:
    return f"{ind.title_vi} / {ind.title_en} [{ind.unit}]"


def _published(cur: Any) -> list[tuple[str, str, LayerSpec | None]]:
    """(collection id, title, layer spec) of what `dothi serve` publishes: tables with rows."""
    out: list[tuple[str, str, LayerSpec | None]] = []
    for spec in LAYERS.values():
        if table_has_rows(cur, spec.schema, spec.table):
            out.append((spec.name, f"{spec.title_vi} / {spec.title_en}", spec))
    for ind in INDICATORS.values():
        if table_has_rows(cur, ANALYSIS_SCHEMA, ind.table):
            out.append((ind.id, _indicator_title(ind), None))
    return out


def _api_layers(cur: Any, api_url: str) -> tuple[list[LayerPlan], list[LayerPlan]]:
    features, tiles = [], []
    for cid, title, spec in _published(cur):
        qml = layer_style(spec).qml if spec is not None else None
        features.append(LayerPlan("oapif", title, {"url": api_url, "typename": cid}, visible=False, qml=qml))
        hint = spec.style if spec is not None else None
        tiles.append(
            LayerPlan(
                "vectortile",
                title,
                {
                    "url": TILE_TEMPLATE.format(api=api_url, id=cid),
                    "zmin": 0,
                    "zmax": 16,
                    "fill": (hint.fill if hint else None) or "#fdbb84",
                    "stroke": hint.stroke if hint else "#555555",
                    "width": hint.stroke_width if hint else 0.3,
                },
                visible=False,
            )
        )
    return features, tiles


def _extent(cur: Any) -> list[float] | None:
    for spec in LAYERS.values():
        if table_has_rows(cur, spec.schema, spec.table):
            cur.execute(
                sql.SQL(load_sql(PACKAGE, "bbox")).format(table=sql.Identifier(spec.schema, spec.table))
            )
            return [float(v) for v in cur.fetchone()]
    return None


def plan_project(engine: Engine, api: ApiSettings, *, data_dir: Path) -> ProjectPlan:
    """The project for what the database holds now (only tables with rows)."""
    with engine.connect() as conn:
        cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        layers = {d: _domain_layers(cur, d, data_dir) for d in ("infrastructure", "environment", "land")}
        layers["indicators"] = _indicator_layers(cur)
        layers["oapif"], layers["tiles"] = _api_layers(cur, api.url)
        extent = _extent(cur)
    plan = ProjectPlan(
        title="dothi — Mỹ Tho: dữ liệu và chỉ số quy hoạch / planning data and indicators",
        crs=f"EPSG:{DEFAULT_ANALYSIS_SRID}",
        extent_crs84=extent,
    )
    for key in GROUP_ORDER:
        if layers[key]:
            plan.groups.append(
                {"name": GROUP_TITLES[key], "visible": key not in {"oapif", "tiles"}, "layers": layers[key]}
            )
    if not any(True for _ in plan.layers()):
        raise ConfigError(
            "Nothing to put in the QGIS project: no layer or indicator table holds data.",
            hint="Load data and compute indicators first (`dothi demo --no-serve`).",
        )
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
    engine: Engine, url: URL, api: ApiSettings, *, data_dir: Path, path: Path | None, to_database: bool = True
) -> dict[str, Any]:
    """Plan the project for what the database holds now and have QGIS write it."""
    plan = plan_project(engine, api, data_dir=data_dir)
    return write_project(plan, url, path=path, to_database=to_database)
