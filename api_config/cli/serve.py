"""``dothi api``, ``dothi serve`` and ``dothi demo``: publishing, and the whole job at once."""

from __future__ import annotations

import os
from typing import NoReturn

import click

from api_config import server
from api_config.cli.app import App, cli, pass_app
from api_config.cli.db import up
from api_config.cli.indicators import indicators_run
from api_config.cli.load import load


@cli.group()
def api() -> None:
    """The OGC API configuration."""


@api.command("config")
@pass_app
def api_config_cmd(app: App) -> None:
    """Generate and validate the pygeoapi configuration and OpenAPI document."""
    files = server.generate(app.engine(), app.url, app.api, app.db.data_dir)
    app.output(
        {"config": str(files.config), "openapi": str(files.openapi)},
        f"pygeoapi config: {files.config}\nOpenAPI: {files.openapi}",
    )


def _serve(app: App) -> NoReturn:
    files = server.generate(app.engine(), app.url, app.api, app.db.data_dir)
    _print_urls(app)
    cmd = server.gunicorn_command(app.api)
    os.execve(cmd[0], cmd, server.server_env(files, app.url))


def _print_urls(app: App) -> None:
    base = app.api.url
    click.echo(
        "\n"
        f"  Máy chủ OGC API / OGC API server:        {base}/\n"
        f"  Danh sách lớp / collections:             {base}/collections\n"
        f"  Phường, xã / wards:                      {base}/collections/admin_units/items?f=html\n"
        f"  Mật độ dân số / population density:      "
        f"{base}/collections/population_density/items?f=html\n"
        f"  Bản đồ công cộng / public web map:       {base}/map/\n"
        f"  Tài liệu API / OpenAPI:                  {base}/openapi\n"
        "  Dừng bằng Ctrl-C / stop with Ctrl-C.\n"
    )


@cli.command()
@pass_app
def serve(app: App) -> None:
    """Serve the OGC API with gunicorn (DOTHI_API_HOST/PORT/WORKERS)."""
    _serve(app)


@cli.command()
@click.option("--no-serve", is_flag=True, help="Prepare everything but do not start the server.")
@pass_app
def demo(app: App, no_serve: bool) -> None:
    """The whole job on Mỹ Tho: database up, data loaded, indicators computed, API served."""
    ctx = click.get_current_context()
    app.say("1/4 Cơ sở dữ liệu / database")
    ctx.invoke(up)
    app.say("2/4 Nạp dữ liệu thật / loading real data (Mỹ Tho 2019 census + 2025 wards)")
    ctx.invoke(load, what="mytho")
    app.say("3/4 Tính chỉ số / computing indicators")
    ctx.invoke(indicators_run, only=None, param=(), force=False)
    app.say("4/4 Xuất bản OGC API / publishing the OGC API")
    if no_serve:
        ctx.invoke(api_config_cmd)
        return
    _serve(app)
