"""``dothi indicators run`` on Dask distributed: plan on the client, compute partitions on the workers,
stitch and publish on the client.

* The client plans each (indicator, study area) as the serial run of that area does (parameters,
  the area's input versions, fingerprints: an unchanged one is not recomputed), cuts it into
  partitions (:mod:`analysis.distributed.partitions`) and
  submits one task per partition.
* Each worker reads its partition's inputs from PostGIS itself and returns the rows it owns
  (:mod:`analysis.distributed.worker`); no process ever holds more than one partition's inputs.
* The client stitches the rows, recomputes the city rows of tiled indicators from the sums
  (:mod:`analysis.distributed.tiling`) and publishes each indicator in one transaction, as the
  serial run does, one run per area (its rows only replaced), recording how it was partitioned
  in ``analysis.indicator_runs.execution``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
from psycopg2 import sql
from sqlalchemy.engine import Engine

from analysis.distributed.cluster import Executor, dask_executor
from analysis.distributed.partitions import Partition, layer_bbox, plan_partitions, study_areas
from analysis.distributed.tiling import TILE_RULES, city_rows
from analysis.distributed.worker import PartitionResult, PartitionTask, compute_partition
from analysis.errors import IndicatorError, MissingInputError, ParameterError
from analysis.inputs import qualified
from analysis.provenance import synthetic_inputs
from analysis.registry import INDICATORS, get_indicator
from analysis.runner import (
    Computed,
    RunReport,
    _ensure_views,
    _is_current,
    _normalise,
    _Plan,
    _plan,
    _write,
    area_total_names,
)
from gis.crs import STORAGE_SRID, utm_epsg_for
from gis.sqlfiles import load_sql
from layers.areas import DEFAULT_AREA
from layers.catalog import RASTERS, get_layer

Say = Callable[[str], None]


@dataclass
class _Pending:
    plan: _Plan
    partitions: list[Partition]
    started: datetime


def _cursor(conn: Any) -> Any:
    return conn.connection.driver_connection.cursor()


def analysis_epsg_sql(engine: Engine, names: Iterable[str], area: str = DEFAULT_AREA) -> int:
    """The serial run's analysis CRS (:func:`analysis.runner.analysis_epsg`), from the extents of
    the layers' rows in ``area`` in PostGIS instead of the layers themselves."""
    boxes = [b for n in names if n not in RASTERS for b in [layer_bbox(engine, *_schema_table(n), area)] if b]
    minx, miny = min(b[0] for b in boxes), min(b[1] for b in boxes)
    maxx, maxy = max(b[2] for b in boxes), max(b[3] for b in boxes)
    return utm_epsg_for((minx + maxx) / 2, (miny + maxy) / 2)


def _schema_table(name: str) -> tuple[str, str]:
    layer = get_layer(name)
    return layer.schema, layer.table


def _synthetic(engine: Engine, plan: _Plan) -> list[str]:
    """The inputs holding generated data, as the serial run records them."""
    names = [n for n in (*plan.spec.inputs, *plan.spec.optional_inputs) if plan.found.present(n)]
    found = synthetic_inputs({n: None for n in names if n in RASTERS}, plan.found)
    with engine.connect() as conn:
        cur = _cursor(conn)
        for n in names:
            if n in RASTERS:
                continue
            cur.execute(
                sql.SQL(load_sql("analysis", "layer_synthetic")).format(
                    table=sql.Identifier(*_schema_table(n))
                ),
                {"area": plan.area},
            )
            if cur.fetchone()[0]:
                found.append(qualified(n))
    return sorted(found)


def _stitch(plan: _Plan, results: list[PartitionResult]) -> gpd.GeoDataFrame:
    frames = [r.rows for r in results if r.rows is not None]
    crs = frames[0].crs
    rows = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=crs)
    rule = TILE_RULES.get(plan.spec.id)
    tiled = any(not r.partition.whole for r in results)
    if rule is not None and tiled and (rows["level"] == "ward").any():
        wards = rows[rows["level"] == "ward"]
        rows = gpd.GeoDataFrame(pd.concat([rows, city_rows(rule, wards)], ignore_index=True), crs=crs)
    return _normalise(rows.to_crs(epsg=STORAGE_SRID))


def _raise_for(spec_id: str, result: PartitionResult) -> None:
    where = f"Indicator {spec_id}, partition {result.partition.label}"
    if result.error_kind == "MissingInputError":
        raise MissingInputError(f"{where}: {result.error}")
    if result.error_kind == "ParameterError":
        raise ParameterError(f"{where}: {result.error}")
    if result.error_kind in {"IndicatorError", "UnknownIndicatorError"}:
        raise IndicatorError(f"{where}: {result.error}")
    raise IndicatorError(
        f"{where}: the worker failed — {result.error}",
        hint=(result.details.strip().splitlines() or [""])[-1] or None,
    )


def _execution(
    executor: Executor, parts: list[Partition], results: list[PartitionResult], run_areas: list[str]
) -> dict[str, Any]:
    return {
        "executor": "dask",
        "scheduler": executor.scheduler,
        "workers": executor.workers,
        "partitions": len(parts),
        "areas": sorted({p.area for p in parts}),
        "run_areas": run_areas,
        "tiles": max(p.count for p in parts),
        "overlap_m": max(p.overlap_m for p in parts),
        "partition_labels": [p.label for p in parts],
        "peak_worker_rss_mb": round(max((r.peak_rss_mb for r in results), default=0.0), 1),
        "worker_peak_rss_mb": _by_worker(results),
        "partition_seconds": [round(r.seconds, 1) for r in results],
        "features_read": sum(r.features_read for r in results),
    }


def _by_worker(results: list[PartitionResult]) -> dict[str, float]:
    """Each worker's (host:pid) peak RSS (MB) as of its last partition of this run."""
    peaks: dict[str, float] = {}
    for r in results:
        peaks[r.worker] = round(max(peaks.get(r.worker, 0.0), r.peak_rss_mb), 1)
    return peaks


def _publish(  # noqa: PLR0917 - one run's parts
    engine: Engine,
    pending: _Pending,
    results: list[PartitionResult],
    executor: Executor,
    say: Say,
    run_areas: list[str],
) -> RunReport:
    plan = pending.plan
    for r in results:
        if r.error_kind:
            _raise_for(plan.spec.id, r)
    rows = area_total_names(engine, _stitch(plan, results), plan.area)
    seconds = (datetime.now(UTC) - pending.started).total_seconds()
    computed = Computed(
        plan.spec,
        rows,
        plan.parameters,
        plan.found.versions,
        plan.fingerprint,
        f"EPSG:{pending.partitions[0].epsg}",
        pending.started,
        seconds,
        synthetic_inputs=_synthetic(engine, plan),
        area=plan.area,
    )
    say(f"{plan.spec.id} [{plan.area}]: writing {len(rows)} rows from {len(results)} partition(s)")
    run_id = _write(engine, plan.spec, computed)
    execution = _execution(executor, pending.partitions, results, run_areas)
    with engine.begin() as conn:
        _cursor(conn).execute(
            load_sql("analysis", "record_execution"), {"execution": json.dumps(execution), "run_id": run_id}
        )
    return RunReport(plan.spec.id, run_id, len(rows), False, plan.parameters, seconds, area=plan.area)


Key = tuple[str, str]
"""(indicator id, study area)."""


def _prepare(
    engine: Engine,
    ids: list[str],
    areas: list[str],
    *,
    only: bool,
    params: dict[str, dict[str, Any]],
    force: bool,
) -> tuple[dict[Key, RunReport], dict[Key, _Plan]]:
    """Plans of the (indicator, area) pairs to compute; reports of those unchanged or skipped."""
    reports: dict[Key, RunReport] = {}
    plans: dict[Key, _Plan] = {}
    for area in areas:
        for i in ids:
            spec = get_indicator(i)
            try:
                plan = _plan(engine, spec, params.get(i), area)
            except MissingInputError as exc:
                if only:
                    raise
                reports[i, area] = RunReport(i, None, 0, False, skipped=exc.message, area=area)
                continue
            current = None if force else _is_current(engine, spec, plan.fingerprint, area)
            if current is not None:
                _ensure_views(engine, spec)
                reports[i, area] = RunReport(i, current, 0, True, plan.parameters, area=area)
            else:
                plans[i, area] = plan
    return reports, plans


def plan_run(
    engine: Engine, plans: dict[Key, _Plan], *, tiles: int | None = None
) -> dict[Key, list[Partition]]:
    """The partitions of every (indicator, area) to compute: by area first, then by tiles."""
    areas = {a.code: a for a in study_areas(engine, sorted({area for _, area in plans}))}
    out = {}
    for (i, area), plan in plans.items():
        if area not in areas:
            raise MissingInputError(f"Study area {area} has no extent (no outline, no administrative units).")
        names = [n for n in (*plan.spec.inputs, *plan.spec.optional_inputs) if plan.found.present(n)]
        epsg = analysis_epsg_sql(engine, names, area)
        out[i, area] = plan_partitions(plan.spec, plan.parameters, [areas[area]], epsg, tiles=tiles)
    return out


def run_all_distributed(
    engine: Engine,
    *,
    only: Iterable[str] | None = None,
    params: dict[str, dict[str, Any]] | None = None,
    force: bool = False,
    data_dir: Path | None = None,
    progress: Say | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    tiles: int | None = None,
    areas: Iterable[str] = (DEFAULT_AREA,),
) -> list[RunReport]:
    """:func:`analysis.runner.run_all` of each area in ``areas`` on one Dask cluster: same reports
    (area by area, each in indicator order), same published rows (to the indicators' precision),
    partitioned by study area and, for large areas, by tiles."""
    say = progress or (lambda _msg: None)
    ids = list(only) if only else list(INDICATORS)
    codes = list(dict.fromkeys(areas))
    reports, plans = _prepare(engine, ids, codes, only=bool(only), params=params or {}, force=force)
    if plans:
        partitions = plan_run(engine, plans, tiles=tiles)
        reports.update(
            _compute_all(
                engine,
                plans,
                partitions,
                only=bool(only),
                data_dir=data_dir,
                say=say,
                scheduler=scheduler,
                workers=workers,
                run_areas=codes,
            )
        )
    return [reports[i, a] for a in codes for i in ids]


def _compute_all(
    engine: Engine,
    plans: dict[Key, _Plan],
    partitions: dict[Key, list[Partition]],
    *,
    only: bool,
    data_dir: Path | None,
    say: Say,
    scheduler: str | None,
    workers: int | None,
    run_areas: list[str],
) -> dict[Key, RunReport]:
    from distributed import as_completed  # noqa: PLC0415 - heavy: only when a run uses Dask

    total = sum(len(p) for p in partitions.values())
    with dask_executor(scheduler=scheduler, workers=workers) as executor:
        url = engine.url.render_as_string(hide_password=False) if executor.local else None
        say(
            f"Dask {executor.scheduler}: {executor.workers} worker(s), "
            f"{total} partition(s) of {len(plans)} indicator run(s) in {len(run_areas)} area(s)"
        )
        pending = {key: _Pending(plans[key], partitions[key], datetime.now(UTC)) for key in plans}
        futures = {}
        for key, parts in partitions.items():
            for p in parts:
                task = PartitionTask(
                    p, plans[key].parameters, plans[key].found, str(data_dir) if data_dir else None, url
                )
                futures[
                    executor.client.submit(
                        compute_partition, task, pure=False, key=f"{p.indicator_id}-{p.area}-{p.index}"
                    )
                ] = p
        results: dict[Key, list[PartitionResult]] = {key: [] for key in plans}
        t0 = time.perf_counter()
        for done, future in enumerate(as_completed(futures, loop=executor.client.loop), start=1):
            result: PartitionResult = future.result()
            p = result.partition
            state = (
                f"FAILED ({result.error_kind})"
                if result.error_kind
                else f"{result.seconds:.1f} s, {result.peak_rss_mb:.0f} MB"
            )
            say(f"[{done}/{total}, {time.perf_counter() - t0:.0f} s] {p.indicator_id} {p.label}: {state}")
            results[p.indicator_id, p.area].append(result)
        return {
            key: _finish(
                engine, pending[key], results[key], executor, only=only, say=say, run_areas=run_areas
            )
            for key in plans
        }


def _finish(
    engine: Engine,
    pending: _Pending,
    results: list[PartitionResult],
    executor: Executor,
    *,
    only: bool,
    say: Say,
    run_areas: list[str],
) -> RunReport:
    spec_id, area = pending.plan.spec.id, pending.plan.area
    ordered = sorted(results, key=lambda r: r.partition.index)
    try:
        return _publish(engine, pending, ordered, executor, say, run_areas)
    except MissingInputError as exc:
        if only:
            raise
        return RunReport(spec_id, None, 0, False, skipped=exc.message, area=area)
    except IndicatorError as exc:
        if only or isinstance(exc, ParameterError) or "the worker failed" in exc.message:
            raise
        return RunReport(spec_id, None, 0, False, skipped=exc.message, area=area)
