"""Incremental two-step floating catchment (2SFCA): re-answer after a few facilities change.

Pure: numpy, scipy; no database.

In 2SFCA (:func:`~analysis.indicators.access.two_step_fca`) a facility's ratio
``R_j = S_j / Σ_{i in catchment j} P_i`` depends only on its own supply and the demand of the
origins within its catchment, and an origin's accessibility ``A_i = Σ_{j reaching i} R_j``.  Facility
edits change no demand, so the other facilities' ratios stay as they are: the baseline keeps every
facility's catchment (a sparse facility × origin matrix, from one search per facility bounded by
the catchment distance) and ratio, and an edit costs

* **an added facility**: one shortest-path search from it, bounded by the catchment distance (its
  catchment, hence its ratio); the origins within it gain its ratio;
* **a removed facility**: nothing to search: its stored catchment and ratio are dropped;
* a **changed** facility is a removal and an addition.

``A`` after the edits is then the sum of the kept and added ratios over their catchments (a sparse
product: no subtraction, so unaffected origins keep exactly their baseline value).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix, vstack

from analysis.indicators.incremental import OriginGraph, anchor, distances_from


@dataclass(frozen=True)
class Catchments:
    """Facilities with their keys, supply, catchment (``(k, n_origins)`` 0/1) and ratio."""

    keys: np.ndarray
    supply: np.ndarray
    within: csr_matrix
    ratio: np.ndarray

    def __len__(self) -> int:
        return len(self.keys)


def catchments(
    graph: OriginGraph,
    xy: np.ndarray,
    keys: Sequence[str],
    supply: np.ndarray,
    demand: np.ndarray,
    *,
    limit: float,
) -> Catchments:
    """Each facility's catchment (origins within ``limit`` walking) and ratio ``S_j / Σ P_i``."""
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    supply = np.asarray(supply, dtype=float)
    if len(xy):
        within = csr_matrix(np.isfinite(distances_from(graph, anchor(graph, xy), limit=limit)).astype(float))
    else:
        within = csr_matrix((0, graph.n_origins))
    catchment_demand = within @ np.asarray(demand, dtype=float)
    ratio = np.divide(supply, catchment_demand, out=np.zeros(len(supply)), where=catchment_demand > 0)
    return Catchments(np.asarray(list(keys), dtype=object), supply, within, ratio)


def accessibility(state: Catchments) -> np.ndarray:
    """``A_i = Σ_j R_j`` over the facilities whose catchment holds origin ``i``."""
    return state.within.T @ state.ratio


@dataclass(frozen=True)
class CatchmentUpdate:
    """Accessibility per origin after the edits; how many facilities were searched / dropped."""

    access: np.ndarray
    searched: int
    dropped: int


def update_catchments(
    graph: OriginGraph,
    state: Catchments,
    demand: np.ndarray,
    *,
    removed: set[str],
    added_xy: np.ndarray,
    added_keys: Sequence[str],
    added_supply: np.ndarray,
    limit: float,
) -> CatchmentUpdate:
    """Accessibility after removing the facilities whose key is in ``removed`` and adding others."""
    kept = ~np.isin(state.keys, list(removed)) if removed else np.ones(len(state), dtype=bool)
    index = np.flatnonzero(kept)
    within, ratio = state.within[index], state.ratio[index]
    added = catchments(graph, added_xy, added_keys, added_supply, demand, limit=limit)
    if len(added):
        within = vstack([within, added.within], format="csr")
        ratio = np.concatenate([ratio, added.ratio])
    access = within.T @ ratio if within.shape[0] else np.zeros(graph.n_origins)
    return CatchmentUpdate(np.asarray(access, dtype=float), len(added), int((~kept).sum()))
