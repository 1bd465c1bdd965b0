"""Run indicators: read inputs from PostGIS, compute with the pure recipe, write results + provenance.

:func:`compute_indicator` computes without writing (what an API process returns);
:func:`run_indicator` computes and publishes (``dothi indicators run``, an operator's action).

A run records the indicator, its resolved parameters, the versions (load ids) of its input layers and
the code version; their fingerprint makes re-running with the same inputs and parameters a no-op.
The results table holds the latest run's rows (its ``run_id`` column says which run);
``analysis.indicator_runs`` keeps the history.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
import shapely.errors
from psycopg2 import sql
from shapely.geometry import MultiPolygon
from sqlalchemy.engine import Engine

from analysis.errors import IndicatorError, MissingInputError, ParameterError
from analysis.indicators.reporting import name_city_rows
from analysis.inputs import InputSet, input_set, qualified, read_rasters, read_vector
from analysis.levels import publish_views
from analysis.provenance import synthetic_inputs
from analysis.registry import INDICATORS, IndicatorSpec, get_indicator
from analysis.tables import KEY_COLUMNS, PROVENANCE_COLUMNS, SCHEMA
from gis.crs import STORAGE_SRID, utm_epsg_for
from gis.pgcopy import copy_frame
from gis.sqlfiles import dothi_version, load_sql
from layers.areas import list_areas
from layers.catalog import RASTERS
from layers.catalog.types import DEFAULT_AREA


@dataclass
class RunReport:
    indicator_id: str
    run_id: int | None
    rows: int
    unchanged: bool
    parameters: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0
    skipped: str | None = None
    area: str = DEFAULT_AREA

    def summary(self) -> str:
        name = self.indicator_id if self.area == DEFAULT_AREA else f"{self.indicator_id} [{self.area}]"
        if self.skipped:
            return f"{name}: skipped — {self.skipped}"
        if self.unchanged:
            return f"{name}: unchanged — inputs and parameters are those of run {self.run_id}."
        return f"{name}: {self.rows} rows (run {self.run_id}, {self.seconds:.1f} s)."


def _cursor(conn: Any) -> Any:
    return conn.connection.driver_connection.cursor()


def _read_inputs(
    engine: Engine,
    spec: IndicatorSpec,
    found: InputSet,
    data_dir: Path | None,
    cache: dict[str, Any],
    *,
    area: str = DEFAULT_AREA,
) -> tuple[dict[str, Any], int, list[str]]:
    """Vector inputs in the analysis CRS, rasters as arrays; the EPSG of the analysis CRS; the
    inputs read that hold generated data."""
    vectors: dict[str, gpd.GeoDataFrame] = {}
    inputs: dict[str, Any] = {}
    for name in (*spec.inputs, *spec.optional_inputs):
        if not found.present(name):
            continue
        version = json.dumps(found.versions[qualified(name)], sort_keys=True, default=str)
        key = f"{area}/{qualified(name)}@{version}"
        if key not in cache:
            if name in RASTERS:
                cache[key] = read_rasters(data_dir, name, found.raster_files[qualified(name)])
            else:
                cache[key] = read_vector(engine, name, required=name in spec.inputs, area=area)
        if cache[key] is None:
            continue
        (inputs if name in RASTERS else vectors)[name] = cache[key]
    synthetic = synthetic_inputs({**inputs, **vectors}, found)
    epsg = analysis_epsg(vectors.values())
    inputs.update({name: _valid(frame.to_crs(epsg=epsg)) for name, frame in vectors.items()})
    return inputs, epsg, synthetic


def analysis_epsg(frames: Iterable[gpd.GeoDataFrame]) -> int:
    """The metric CRS for this city: the UTM zone of the study area's centre."""
    bounds = [f.total_bounds for f in frames if len(f)]
    minx, miny = min(b[0] for b in bounds), min(b[1] for b in bounds)
    maxx, maxy = max(b[2] for b in bounds), max(b[3] for b in bounds)
    return utm_epsg_for((minx + maxx) / 2, (miny + maxy) / 2)


def fingerprint(spec: IndicatorSpec, params: dict[str, Any], inputs: dict[str, Any]) -> str:
    payload = json.dumps(
        {"indicator": spec.id, "parameters": params, "inputs": inputs, "code": dothi_version()},
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _is_current(engine: Engine, spec: IndicatorSpec, print_: str, area: str = DEFAULT_AREA) -> int | None:
    with engine.connect() as conn:
        cur = _cursor(conn)
        cur.execute(load_sql("analysis", "last_run"), {"indicator_id": spec.id, "area": area})
        last = cur.fetchone()
        if not last or last[1] != print_:
            return None
        cur.execute(
            sql.SQL("SELECT count(*) FROM {} WHERE run_id = %(run_id)s AND area = %(area)s").format(
                sql.Identifier(SCHEMA, spec.table)
            ),
            {"run_id": last[0], "area": area},
        )
        return int(last[0]) if cur.fetchone()[0] == last[2] else None


def result_ids(rows: pd.DataFrame, area: str) -> pd.Series:
    """``<level>:<unit_id>``; in an area other than the default ``<area>:<level>:<unit_id>``, so an
    API item id names one row whatever the area."""
    ids = rows["level"] + ":" + rows["unit_id"]
    return ids if area == DEFAULT_AREA else area + ":" + ids


def _write(engine: Engine, spec: IndicatorSpec, computed: Computed) -> int:
    """Replace the published results of ``spec`` in the computed area by ``computed`` and record
    the run (the other areas' rows stay as they are)."""
    area = computed.area
    table = sql.Identifier(SCHEMA, spec.table)
    meta = {
        "indicator_id": spec.id,
        "parameters": json.dumps(computed.parameters),
        "inputs": json.dumps(computed.inputs, default=str),
        "fingerprint": computed.fingerprint,
        "analysis_crs": computed.analysis_crs,
        "rows": len(computed.rows),
        "started_at": computed.started_at,
        "dothi_version": dothi_version(),
        "synthetic": bool(computed.synthetic_inputs),
        "synthetic_inputs": computed.synthetic_inputs,
        "area": area,
    }
    with engine.begin() as conn:
        cur = _cursor(conn)
        cur.execute(load_sql("analysis", "insert_run"), meta)
        run_id = int(cur.fetchone()[0])
        rows = computed.rows.assign(
            run_id=run_id,
            result_id=result_ids(computed.rows, area),
            area=area,
            synthetic=bool(computed.synthetic_inputs),
            synthetic_inputs=_pg_array(computed.synthetic_inputs),
        )
        cur.execute(sql.SQL("DELETE FROM {} WHERE area = %(area)s").format(table), {"area": area})
        columns = [*KEY_COLUMNS, *(c.name for c in spec.result_columns), *PROVENANCE_COLUMNS, "area"]
        copy_frame(cur, table, rows, columns)
        publish_views(cur, spec)
    return run_id


def _pg_array(names: list[str]) -> str:
    """A text[] literal for COPY (layer names hold no quote or backslash)."""
    return "{" + ",".join(f'"{n}"' for n in names) + "}"


def _ensure_views(engine: Engine, spec: IndicatorSpec) -> None:
    """Create the level views a database upgraded since the last run does not have yet."""
    with engine.begin() as conn:
        publish_views(_cursor(conn), spec, replace=False)


def _valid(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Repair geometries that reprojection made invalid (tiny self-intersections); valid ones are
    left untouched."""
    geoms = frame.geometry.to_numpy()
    bad = ~shapely.is_valid(geoms) & ~shapely.is_missing(geoms)
    if not bad.any():
        return frame
    fixed = geoms.copy()
    fixed[bad] = shapely.make_valid(geoms[bad])
    return frame.set_geometry(gpd.GeoSeries(fixed, index=frame.index, crs=frame.crs))


@dataclass(frozen=True)
class _Plan:
    """What a run would compute: resolved parameters, input versions, and their fingerprint."""

    spec: IndicatorSpec
    parameters: dict[str, Any]
    found: InputSet
    fingerprint: str
    area: str = DEFAULT_AREA


@dataclass
class Computed:
    """An indicator computed but not stored: its result rows (EPSG:4326) and run metadata."""

    spec: IndicatorSpec
    rows: gpd.GeoDataFrame
    parameters: dict[str, Any]
    inputs: dict[str, Any]
    fingerprint: str
    analysis_crs: str
    started_at: datetime
    seconds: float
    run_by: str | None = None
    synthetic_inputs: list[str] = field(default_factory=list)
    """Inputs read that hold generated data (qualified layer names)."""
    area: str = DEFAULT_AREA
    """The study area computed."""

    def metadata(self) -> dict[str, Any]:
        """The run's provenance as plain JSON values (what ``analysis.indicator_runs`` records)."""
        return {
            "indicator_id": self.spec.id,
            "parameters": self.parameters,
            "inputs": json.loads(json.dumps(self.inputs, default=str)),
            "fingerprint": self.fingerprint,
            "analysis_crs": self.analysis_crs,
            "rows": len(self.rows),
            "started_at": self.started_at.isoformat(),
            "seconds": round(self.seconds, 3),
            "dothi_version": dothi_version(),
            "run_by": self.run_by,
            "synthetic": bool(self.synthetic_inputs),
            "synthetic_inputs": list(self.synthetic_inputs),
            "area": self.area,
        }


def _plan(
    engine: Engine, spec: IndicatorSpec, params: dict[str, Any] | None, area: str = DEFAULT_AREA
) -> _Plan:
    resolved = spec.resolve_params(params)
    found = input_set(engine, spec, area=area)
    return _Plan(spec, resolved, found, fingerprint(spec, resolved, found.versions), area)


def _compute(
    engine: Engine,
    plan: _Plan,
    *,
    data_dir: Path | None,
    progress: Callable[[str], None] | None,
    cache: dict[str, Any] | None,
) -> Computed:
    """Read the inputs and compute the rows; writes nothing."""
    say = progress or (lambda _msg: None)
    spec, started, t0 = plan.spec, datetime.now(UTC), time.perf_counter()
    say(f"{spec.id}: reading {', '.join(sorted(plan.found.versions))}")
    inputs, epsg, synthetic = _read_inputs(
        engine, spec, plan.found, data_dir, {} if cache is None else cache, area=plan.area
    )
    say(f"{spec.id}: computing in EPSG:{epsg}")
    try:
        rows = spec.recipe(inputs, plan.parameters)
    except (ValueError, KeyError) as exc:
        raise IndicatorError(f"Indicator {spec.id} cannot be computed: {exc}") from exc
    except shapely.errors.GEOSException as exc:
        raise IndicatorError(
            f"Indicator {spec.id}: a geometry operation failed ({exc}).",
            hint="Check the input layers' geometries (e.g. ST_IsValid in PostGIS).",
        ) from exc
    rows = area_total_names(engine, _normalise(rows.to_crs(epsg=STORAGE_SRID)), plan.area)
    return Computed(
        spec,
        rows,
        plan.parameters,
        plan.found.versions,
        plan.fingerprint,
        f"EPSG:{epsg}",
        started,
        time.perf_counter() - t0,
        synthetic_inputs=synthetic,
        area=plan.area,
    )


def compute_indicator(
    engine: Engine,
    spec: IndicatorSpec,
    *,
    params: dict[str, Any] | None = None,
    data_dir: Path | None = None,
    run_by: str | None = None,
    area: str = DEFAULT_AREA,
) -> Computed:
    """Compute one indicator WITHOUT storing anything: the published results stay as they are.

    What an OGC API process returns (publishing is :func:`run_indicator`, an operator's action).
    ``run_by`` names who asked (recorded in :meth:`Computed.metadata`).
    """
    plan = _plan(engine, spec, params, area)
    computed = _compute(engine, plan, data_dir=data_dir, progress=None, cache=None)
    computed.run_by = run_by
    return computed


def published_run(
    engine: Engine, spec: IndicatorSpec, fingerprint_: str, *, area: str = DEFAULT_AREA
) -> int | None:
    """The run whose results are published (in ``area``), when it had this fingerprint (same
    inputs, parameters and code); None otherwise."""
    return _is_current(engine, spec, fingerprint_, area)


def run_indicator(
    engine: Engine,
    spec: IndicatorSpec,
    *,
    params: dict[str, Any] | None = None,
    force: bool = False,
    data_dir: Path | None = None,
    progress: Callable[[str], None] | None = None,
    cache: dict[str, Any] | None = None,
    area: str = DEFAULT_AREA,
) -> RunReport:
    """Compute one indicator and publish its results with provenance (a no-op when nothing changed).

    Parameters
    ----------
    data_dir:
        The data folder the paths of ``catalog.rasters`` are relative to (needed when a raster
        input is loaded).
    cache:
        Inputs already read by earlier indicators of the same run (keyed by area, layer and version).
    area:
        The study area to compute: its inputs only are read, its results rows only replaced.
    """
    plan = _plan(engine, spec, params, area)
    current = None if force else _is_current(engine, spec, plan.fingerprint, area)
    if current is not None:
        _ensure_views(engine, spec)
        return RunReport(spec.id, current, 0, True, plan.parameters, area=area)
    computed = _compute(engine, plan, data_dir=data_dir, progress=progress, cache=cache)
    (progress or (lambda _msg: None))(f"{spec.id}: writing {len(computed.rows)} rows")
    run_id = _write(engine, spec, computed)
    rows = len(computed.rows)
    return RunReport(spec.id, run_id, rows, False, plan.parameters, computed.seconds, area=area)


def area_total_names(engine: Engine, rows: gpd.GeoDataFrame, area: str) -> gpd.GeoDataFrame:
    """The total rows named after the study area (``catalog.study_areas``): "Toàn vùng Tỉnh Tiền
    Giang (cũ…) (ranh giới 2025)"; Mỹ Tho's stay "Toàn thành phố (ranh giới 2025)"."""
    if area == DEFAULT_AREA:
        return rows
    found = [(a.name_vi, a.name_en) for a in list_areas(engine) if a.code == area]
    return name_city_rows(rows, found[0] if found else (area, area))


def _normalise(rows: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Multi-polygons, and ``vintage`` as Python ints or None (grid cells have no vintage)."""
    rows = rows.set_geometry(rows.geometry.apply(_as_multi))
    rows["vintage"] = pd.Series(
        [None if pd.isna(v) else int(v) for v in rows["vintage"]], index=rows.index, dtype=object
    )
    return rows


def _as_multi(geom: Any) -> Any:
    if geom is not None and geom.geom_type == "Polygon":
        return MultiPolygon([geom])
    return geom


def run_all(
    engine: Engine,
    *,
    only: Iterable[str] | None = None,
    params: dict[str, dict[str, Any]] | None = None,
    force: bool = False,
    data_dir: Path | None = None,
    progress: Callable[[str], None] | None = None,
    area: str = DEFAULT_AREA,
) -> list[RunReport]:
    """Run the indicators in ``only`` (an error if an input is missing), or every registered
    indicator whose inputs are loaded (the others are reported as skipped, with the reason)."""
    ids = list(only) if only else list(INDICATORS)
    params = params or {}
    cache: dict[str, Any] = {}
    reports = []
    for i in ids:
        spec = get_indicator(i)
        try:
            report = run_indicator(
                engine,
                spec,
                params=params.get(i),
                force=force,
                data_dir=data_dir,
                progress=progress,
                cache=cache,
                area=area,
            )
        except MissingInputError as exc:
            if only:
                raise
            report = RunReport(spec.id, None, 0, False, skipped=exc.message, area=area)
        except IndicatorError as exc:
            # running everything: one indicator the data cannot support must not stop the others
            if only or isinstance(exc, ParameterError):
                raise
            report = RunReport(spec.id, None, 0, False, skipped=exc.message, area=area)
        reports.append(report)
    return reports
