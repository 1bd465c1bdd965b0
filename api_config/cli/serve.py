"""``dothi api``, ``dothi serve`` and ``dothi demo``: publishing, and the whole job at once."""

from __future__ import annotations

import os
from typing import NoReturn

import click

from api_config.cli.app import App, cli, pass_app
from api_config.cli.db import up
from api_config.cli.demo_data import DEFAULT_SEED


@cli.group()
def api() -> None:
    """The OGC API configuration."""


@api.command("config")
@pass_app
def api_config_cmd(app: App) -> None:
    """Generate and validate the pygeoapi configuration and OpenAPI document."""
    from api_config import server
    from gis.logins import api_logins

    files = server.generate(app.engine(), api_logins(app.db, app.url), app.api, app.db.data_dir)
    app.output(
        {"config": str(files.config), "openapi": str(files.openapi)},
        f"pygeoapi config: {files.config}\nOpenAPI: {files.openapi}",
    )


def _serve(app: App) -> NoReturn:
    from api_config import server, servers
    from api_config.cli.jobs import serve_with_worker
    from api_config.processes.taskqueue import JobsSettings
    from gis.logins import api_logins

    if not app.db.external:  # repairs a login whose password or attributes were changed
        app.cluster.ensure_logins()
    logins = api_logins(app.db, app.url)  # never the owner role (refused when unset externally)
    files = server.generate(app.engine(), logins, app.api, app.db.data_dir)
    _print_urls(app)
    cmd = servers.command(app.api)
    env = servers.worker_env(server.server_env(files, logins, app.api), app.api.server)
    if JobsSettings().worker:  # one job worker next to the web server (DOTHI_JOBS_WORKER=0: none)
        raise SystemExit(serve_with_worker(cmd, env))
    os.execve(cmd[0], cmd, env)


def _print_urls(app: App) -> None:
    base = app.api.url
    click.echo(
        "\n"
        f"  Máy chủ OGC API / OGC API server:        {base}/\n"
        f"  Danh sách lớp / collections:             {base}/collections\n"
        f"  Phường, xã / wards:                      {base}/collections/admin_units/items?f=html\n"
        f"  Mật độ dân số / population density:      "
        f"{base}/collections/population_density-ward-2025/items?f=html\n"
        f"  Bản đồ công cộng / public web map:       {base}/map/\n"
        f"  Tài liệu API / OpenAPI:                  {base}/openapi\n"
        "  Chạy tiến trình cần khoá API / running processes needs an API key:\n"
        "                                           dothi api-key create NAME --role planner\n"
        "  Dừng bằng Ctrl-C / stop with Ctrl-C.\n"
    )


@cli.command()
@pass_app
def serve(app: App) -> None:
    """Serve the OGC API with granian, or gunicorn (DOTHI_API_SERVER/HOST/PORT/WORKERS/THREADS),
    and one job worker (`dothi jobs worker`; DOTHI_JOBS_WORKER=0 for none, when workers run elsewhere)."""
    _serve(app)


@cli.command()
@click.option(
    "--seed", type=int, default=DEFAULT_SEED, show_default=True, help="Seed of the synthetic-data generator."
)
@click.option("--no-serve", is_flag=True, help="Prepare everything but do not start the server.")
@pass_app
def demo(app: App, seed: int, no_serve: bool) -> None:
    """The whole job on Mỹ Tho: database up, real and synthetic data loaded, indicators
    computed, QGIS styles stored, API served.  Later runs reuse what is there."""
    from analysis.runner import run_all
    from api_config.qgis.store import write_styles
    from layers.sources import mytho
    from layers.synthetic.generate import generate_and_load

    ctx = click.get_current_context()
    app.say("1/6 Cơ sở dữ liệu / database")
    ctx.invoke(up)
    engine = app.engine()
    app.say("2/6 Dữ liệu thật / real data: Mỹ Tho wards 2019 and 2025, censuses 2009 and 2019")
    for report in mytho.load_bundles(engine, progress=app.progress):
        app.say("  " + report.summary())
    app.say(f"3/6 Dữ liệu tổng hợp / synthetic data for the missing layers (seed {seed})")
    generated = generate_and_load(engine, app.db.data_dir, seed=seed, progress=app.progress)
    for line in generated.lines():
        app.say("  " + line)
    app.say("4/6 Tính chỉ số / computing indicators")
    # every indicator's defaults fit the demo's data (land_use_mix takes the planned land use
    # when there is no current one); a skip is reported, the demo goes on
    for run in run_all(engine, data_dir=app.db.data_dir, progress=app.progress):
        app.say("  " + run.summary())
    app.say("5/6 Kiểu hiển thị QGIS / QGIS styles in the database")
    styles = write_styles(engine)
    app.say(f"  {len(styles.written)} styles written (default for QGIS), {len(styles.skipped)} skipped")
    app.say("6/6 Xuất bản OGC API / publishing the OGC API")
    if no_serve:
        ctx.invoke(api_config_cmd)
        return
    _serve(app)
