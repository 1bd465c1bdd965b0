"""Whether an indicator's results were computed from generated (synthetic) data, and from which layers.

A vector input is synthetic when any of its features is (the ``synthetic`` column every catalog
layer has); a raster input when a file it read is (``catalog.rasters.synthetic``).  The runner
records the list with the run (``analysis.indicator_runs``) and on every result row; the API, the
records catalogue, the QGIS project and the web map read it back with :func:`result_provenance`.
Loading real data in place of the generated layer and running again clears it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
from psycopg2 import sql

from analysis.inputs import InputSet, qualified
from analysis.spec import IndicatorSpec
from analysis.tables import SCHEMA
from gis.sqlfiles import load_sql
from layers.catalog import RASTERS, get_raster
from layers.notices import SYNTHETIC_RESULT


@dataclass(frozen=True)
class ResultProvenance:
    """The synthetic status of an indicator's published results."""

    run_id: int | None
    synthetic: bool | None
    """True: some input held generated data; None: not recorded (a run older than 0009)."""
    synthetic_inputs: list[str] = field(default_factory=list)

    def notice(self, lang: str) -> str | None:
        """The synthetic-result notice in ``lang`` (``vi``/``en``), or None for real results."""
        return SYNTHETIC_RESULT[lang] if self.synthetic else None

    def as_dict(self) -> dict[str, Any]:
        return {"synthetic": bool(self.synthetic), "synthetic_inputs": list(self.synthetic_inputs)}


def synthetic_inputs(inputs: Mapping[str, Any], found: InputSet) -> list[str]:
    """Qualified names of the inputs read for a run that hold generated data (sorted)."""
    names = []
    for name, value in inputs.items():
        if name in RASTERS:
            rows = found.raster_files.get(qualified(name), [])
            used = rows if get_raster(name).by_year else rows[-1:]
            if any(r.get("synthetic") for r in used):
                names.append(qualified(name))
        elif isinstance(value, gpd.GeoDataFrame) and "synthetic" in value and bool(value["synthetic"].any()):
            names.append(qualified(name))
    return sorted(names)


def result_provenance(cur: Any, spec: IndicatorSpec) -> ResultProvenance | None:
    """The synthetic status of the published results of ``spec`` (None: no results table or rows)."""
    cur.execute("SELECT to_regclass(%(name)s) IS NOT NULL", {"name": f"{SCHEMA}.{spec.table}"})
    if not cur.fetchone()[0]:
        return None
    cur.execute(
        sql.SQL(load_sql("analysis", "result_provenance")).format(table=sql.Identifier(SCHEMA, spec.table))
    )
    row = cur.fetchone()
    if row is None:
        return None
    return ResultProvenance(row[0], row[1], list(row[2] or []))
