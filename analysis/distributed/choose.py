"""Which executor ``dothi indicators run`` uses (``--executor auto|serial|dask``).

``auto`` (the default):

* ``DOTHI_DASK_SCHEDULER`` set → that Dask scheduler;
* else, when some indicator is cut into more than one partition (several study areas, or an area
  larger than :data:`~analysis.distributed.partitions.DEFAULT_TILE_KM2`) → a local Dask cluster;
* else (one city such as Mỹ Tho: one partition per indicator) → in this process, as before: a local
  cluster costs seconds to start and two processes reading the same inputs twice (bench/RESULTS.md,
  "Dask"), which one small city never wins back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Literal

from sqlalchemy.engine import Engine

from analysis.distributed.cluster import scheduler_from_env
from analysis.distributed.partitions import study_areas, tile_count
from analysis.distributed.run import run_all_distributed
from analysis.distributed.tiling import TILE_RULES
from analysis.errors import IndicatorError
from analysis.registry import INDICATORS
from analysis.runner import RunReport, run_all
from gis.crs import utm_epsg_for
from layers.areas import DEFAULT_AREA, list_areas

Mode = Literal["auto", "serial", "dask"]


def _needs_partitions(engine: Engine, ids: list[str] | None, tiles: int | None) -> bool:
    areas = study_areas(engine)
    if len(areas) > 1:
        return True
    tiled = [i for i in (ids or INDICATORS) if i in TILE_RULES]
    if not tiled or not areas:
        return False
    if tiles is not None:
        return tiles > 1
    minx, miny, maxx, maxy = areas[0].bbox
    return tile_count(areas[0], utm_epsg_for((minx + maxx) / 2, (miny + maxy) / 2)) > 1


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
    area: str = DEFAULT_AREA,
) -> list[RunReport]:
    """Run in this process or on Dask (see the module docstring)."""
    ids = list(only) if only else None
    scheduler = scheduler_from_env()
    several = len(list_areas(engine)) > 1
    if several and mode == "dask":  # the Dask reads are not filtered by area yet
        raise IndicatorError(
            "Chạy trên Dask chưa hỗ trợ nhiều vùng nghiên cứu trong một cơ sở dữ liệu / "
            "Dask runs do not support several study areas in one database yet.",
            hint="Use --executor serial with --area.",
        )
    use_dask = mode == "dask" or (
        mode == "auto" and not several and (scheduler is not None or _needs_partitions(engine, ids, tiles))
    )
    if not use_dask:
        return run_all(
            engine, only=ids, params=params, force=force, data_dir=data_dir, progress=progress, area=area
        )
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
    )
