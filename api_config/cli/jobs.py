"""``dothi jobs worker``: run queued OGC API jobs; ``dothi serve`` runs one next to the web server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import click

from api_config.cli.app import App, cli, pass_app

#: A worker that keeps dying is restarted at most this often (seconds between two starts).
RESTART_BACKOFF_S = (1.0, 30.0)


@cli.group()
def jobs() -> None:
    """Công việc OGC API / OGC API jobs: the workers that run queued jobs."""


@jobs.command("worker")
@click.option(
    "--concurrency",
    type=click.IntRange(min=1),
    default=None,
    help="Số công việc chạy cùng lúc trong worker này / jobs this worker runs at once "
    "[default: DOTHI_JOBS_CONCURRENCY, else DOTHI_API_MAX_JOBS].",
)
@pass_app
def worker(app: App, concurrency: int | None) -> None:
    """Chạy công việc trong hàng đợi / run the queued jobs.

    \b
    Lấy các công việc bất đồng bộ mà mọi nút API đưa vào hàng đợi PostgreSQL (schema jobs_queue)
    và chạy chúng; chạy bao nhiêu worker tuỳ ý, trên máy nào tới được cơ sở dữ liệu.
    Fetches the asynchronous jobs every API node puts in the PostgreSQL queue (schema
    jobs_queue) and runs them; run as many workers as you like, on any machine that reaches the
    database.  Over all workers at most DOTHI_API_MAX_JOBS jobs run at once.  A worker silent
    for DOTHI_JOBS_STALLED_S seconds (heartbeat every DOTHI_JOBS_HEARTBEAT_S) is taken for dead:
    its jobs that had not started are queued again, the others marked failed.
    Dừng bằng Ctrl-C (công việc đang chạy được làm xong) / stop with Ctrl-C (running jobs finish).
    """
    from api_config.processes import worker as job_worker
    from api_config.processes.taskqueue import JobsSettings

    settings = JobsSettings()
    if concurrency is not None:
        settings = settings.model_copy(update={"concurrency": concurrency})
    config = _config(app)
    app.say(
        "Worker công việc / job worker: "
        f"{settings.concurrency or job_worker.max_jobs(config)} jobs at once, "
        f"heartbeat every {settings.heartbeat_s:g} s"
    )
    job_worker.run(config, settings)


def _config(app: App) -> dict[str, Any]:
    """The pygeoapi configuration the web server uses (``PYGEOAPI_CONFIG``, as ``dothi serve``
    passes it), else one generated here as ``dothi serve`` would."""
    from pygeoapi.util import yaml_load

    path = os.environ.get("PYGEOAPI_CONFIG")
    if not path or not Path(path).is_file():
        from api_config import server
        from gis.logins import api_logins

        if not app.db.external:
            app.cluster.ensure_logins()
        files = server.generate(app.engine(), api_logins(app.db, app.url), app.api, app.db.data_dir)
        path = str(files.config)
    with Path(path).open(encoding="utf-8") as fh:
        config: dict[str, Any] = yaml_load(fh)
    return config


def worker_command() -> list[str]:
    return [sys.executable, "-m", "api_config.cli", "jobs", "worker"]


def serve_with_worker(web_command: list[str], env: dict[str, str]) -> int:
    """Run the web server and one job worker until the web server stops; a worker that dies is
    started again (with a growing pause).  SIGINT/SIGTERM stop both."""
    web = subprocess.Popen(web_command, env=env)
    job_worker = subprocess.Popen(worker_command(), env=env)
    stopping: list[int] = []

    def _stop(signum: int, _frame: Any) -> None:
        stopping.append(signum)
        for child in (web, job_worker):
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _stop)
    pause, started = RESTART_BACKOFF_S[0], time.monotonic()
    while web.poll() is None:
        if job_worker.poll() is not None and not stopping:
            click.echo(f"job worker exited ({job_worker.returncode}); starting it again", err=True)
            time.sleep(pause)
            calm = time.monotonic() - started > 60  # it ran a while: start again quickly
            pause = RESTART_BACKOFF_S[0] if calm else min(pause * 2, RESTART_BACKOFF_S[1])
            started = time.monotonic()
            job_worker = subprocess.Popen(worker_command(), env=env)
        time.sleep(0.5)
    if job_worker.poll() is None:
        job_worker.send_signal(signal.SIGTERM)
        try:
            job_worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            job_worker.kill()
            job_worker.wait()
    return 0 if stopping else int(web.returncode)
