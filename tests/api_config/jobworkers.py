"""Job workers (``dothi jobs worker``) started by the tests next to their API servers."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from api_config.cli.jobs import worker_command

#: Fast heartbeats in tests: a killed worker's jobs are dealt with within a few seconds.
FAST = {"DOTHI_JOBS_HEARTBEAT_S": "0.5", "DOTHI_JOBS_STALLED_S": "3"}


def start(env: dict[str, str], log: Path, **extra: str) -> subprocess.Popen[bytes]:
    """A worker for the server whose environment is ``env`` (its PYGEOAPI_CONFIG, passwords)."""
    out = log.open("ab")
    try:
        return subprocess.Popen(worker_command(), env={**env, **FAST, **extra}, stdout=out, stderr=out)
    finally:
        out.close()


def stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM (running jobs finish), SIGKILL after 30 s; always reaped."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    proc.wait()


@contextmanager
def running(env: dict[str, str], log: Path, **extra: str) -> Iterator[subprocess.Popen[bytes]]:
    proc = start(env, log, **extra)
    try:
        yield proc
    finally:
        stop(proc)
