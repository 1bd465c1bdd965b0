"""The Dask client of a distributed run: an existing scheduler (``DOTHI_DASK_SCHEDULER``) or a local
cluster of worker processes on this machine, closed when the run ends."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from gis.errors import DothiError

#: The environment variable naming an existing scheduler (``tcp://host:8786``).
SCHEDULER_ENV = "DOTHI_DASK_SCHEDULER"
#: Seconds to wait for the scheduler before giving up (``DOTHI_DASK_CONNECT_TIMEOUT``, default 15).
TIMEOUT_ENV = "DOTHI_DASK_CONNECT_TIMEOUT"


def connect_timeout() -> float:
    return float(os.environ.get(TIMEOUT_ENV) or 15)


class DaskUnavailableError(DothiError):
    """The Dask scheduler cannot be reached (or the local cluster cannot start)."""

    exit_code = 24


@dataclass(frozen=True)
class Executor:
    """An open client and how to describe it in provenance."""

    client: Any
    scheduler: str
    """``local`` or the scheduler's address."""
    workers: int
    local: bool


def scheduler_from_env() -> str | None:
    return os.environ.get(SCHEDULER_ENV) or None


@contextmanager
def dask_executor(*, scheduler: str | None = None, workers: int | None = None) -> Iterator[Executor]:
    """A client on ``scheduler`` (an address), else on a new local cluster of ``workers`` processes
    (default: one per CPU, at most 4), one thread each (the recipes hold the GIL in Python code)."""
    from distributed import Client, LocalCluster  # noqa: PLC0415 - heavy: only when a run uses Dask

    if scheduler:
        try:
            client = Client(scheduler, timeout=connect_timeout(), set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise DaskUnavailableError(
                f"Không kết nối được bộ lập lịch Dask / cannot reach the Dask scheduler {scheduler} "
                f"({SCHEDULER_ENV}): {exc}",
                hint=f"Start it (`dask scheduler`) and its workers (`dask worker {scheduler}`), fix "
                f"{SCHEDULER_ENV}, or unset it to run on a local cluster.",
            ) from exc
        try:
            yield Executor(client, scheduler, len(client.scheduler_info().get("workers", {})), local=False)
        finally:
            client.close()
        return
    n = workers or max(1, min(4, os.cpu_count() or 1))
    try:
        cluster = LocalCluster(
            n_workers=n,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",  # a free port: never clashes with another cluster on :8787
            silence_logs=logging.ERROR,
        )
    except (OSError, TimeoutError) as exc:
        raise DaskUnavailableError(
            f"Không khởi động được cụm Dask cục bộ / cannot start a local Dask cluster: {exc}"
        ) from exc
    client = Client(cluster, set_as_default=False)
    try:
        yield Executor(client, "local", n, local=True)
    finally:
        client.close()
        cluster.close()
