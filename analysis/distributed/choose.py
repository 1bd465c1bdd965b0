"""Which executor ``dothi indicators run`` uses (``--executor auto|serial|dask``), over which study
areas (``--area``, repeatable; ``--area all``: every area; none: ``mytho``, as before areas).

``auto`` (the default):

* ``DOTHI_DASK_SCHEDULER`` set → that Dask scheduler;
* else, when the work is large enough to split: an area larger than
  :data:`~analysis.distributed.partitions.DEFAULT_TILE_KM2` (tiled indicators, or ``--tiles`` > 1),
  or several study areas whose extents add up to more than that → a local Dask cluster;
* else (one city such as Mỹ Tho, or a few small areas) → in this process, area after area: a local
  cluster costs seconds to start and each partition reads its own inputs (bench/RESULTS.md,
  "Indicator runs on Dask" and "… over several study areas"), which small areas never win back.

Either way each area is computed and published on its own (its inputs only read, its results only
replaced): a run over several areas gives what one run per area gives.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

from sqlalchemy.engine import Engine

from analysis.distributed.cluster import scheduler_from_env
from analysis.distributed.partitions import DEFAULT_TILE_KM2, extent_km2, study_areas
from analysis.distributed.run import run_all_distributed
from analysis.distributed.tiling import TILE_RULES
from analysis.registry import INDICATORS
from analysis.runner import RunReport, run_all
from gis.crs import utm_epsg_for
from layers.areas import DEFAULT_AREA, area_codes

Mode = Literal["auto", "serial", "dask"]
#: ``--area all``: every study area of the database.
ALL_AREAS = "all"


def resolve_areas(engine: Engine, areas: str | Sequence[str] | None) -> list[str]:
    """The area codes a run covers: ``None``/empty → ``mytho``; ``all`` → every area of the
    database; else the codes given (in order, without repeats)."""
    codes = [areas] if isinstance(areas, str) else list(areas or ())
    if not codes:
        return [DEFAULT_AREA]
    if ALL_AREAS in codes:
        return area_codes(engine) or [DEFAULT_AREA]
    return list(dict.fromkeys(codes))


def _needs_partitions(engine: Engine, ids: list[str] | None, tiles: int | None, codes: list[str]) -> bool:
    areas = study_areas(engine, codes)
    if not areas:
        return False
    tiled = any(i in TILE_RULES for i in ids or INDICATORS)
    if tiled and tiles is not None and tiles > 1:
        return True  # tiles asked for: only Dask tiles
    sizes = [
        extent_km2(a, utm_epsg_for((a.bbox[0] + a.bbox[2]) / 2, (a.bbox[1] + a.bbox[3]) / 2)) for a in areas
    ]
    if len(areas) > 1:
        return sum(sizes) > DEFAULT_TILE_KM2
    return tiled and tiles is None and sizes[0] > DEFAULT_TILE_KM2


def run_indicators(
    engine: Engine,
    *,
    mode: Mode = "auto",
    only: Iterable[str] | None = None,
    params: dict[str, dict[str, Any]] | None = None,
    force: bool = False,
    data_dir: Path | None = None,
    progress: Callable[[str], None] | None = None,
    workers: int | None = None,
    tiles: int | None = None,
    area: str | Sequence[str] | None = DEFAULT_AREA,
) -> list[RunReport]:
    """Run in this process or on Dask (see the module docstring); reports area by area, each in
    indicator order."""
    ids = list(only) if only else None
    codes = resolve_areas(engine, area)
    scheduler = scheduler_from_env()
    use_dask = mode == "dask" or (
        mode == "auto" and (scheduler is not None or _needs_partitions(engine, ids, tiles, codes))
    )
    if not use_dask:
        reports: list[RunReport] = []
        for code in codes:
            reports += run_all(
                engine, only=ids, params=params, force=force, data_dir=data_dir, progress=progress, area=code
            )
        return reports
    return run_all_distributed(
        engine,
        only=ids,
        params=params,
        force=force,
        data_dir=data_dir,
        progress=progress,
        scheduler=scheduler,
        workers=workers,
        tiles=tiles,
        areas=codes,
    )
