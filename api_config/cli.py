"""``dothi``: the command line of the whole job.

Settings are built here (not at import) and passed down.  Errors from the packages are turned into
a readable message and an exit code only here.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from typing import Any, NoReturn

import click
from sqlalchemy.engine import URL, Engine

from analysis.migrations import VERSIONS_DIR as ANALYSIS_VERSIONS
from analysis.registry import INDICATORS, get_indicator
from analysis.runner import run_all
from api_config import server
from api_config.inventory import indicator_values, layer_inventory
from gis import migrate as migrations
from gis.cluster import EmbeddedCluster, State
from gis.engine import PoolOptions, check_connection, create_engine, database_url, ensure_database
from gis.errors import DothiError
from gis.settings import ApiSettings, DatabaseSettings
from layers.catalog import ADMIN_UNITS
from layers.load import load_frame
from layers.migrations import VERSIONS_DIR as LAYER_VERSIONS
from layers.sources import mytho

VERSION_DIRS = (LAYER_VERSIONS, ANALYSIS_VERSIONS)


@dataclass
class App:
    """What every command needs, built once per invocation."""

    db: DatabaseSettings
    api: ApiSettings
    as_json: bool = False
    _engine: Engine | None = field(default=None, repr=False)

    @property
    def cluster(self) -> EmbeddedCluster:
        return EmbeddedCluster(self.db.data_dir, db_name=self.db.db_name, preferred_port=self.db.db_port)

    @property
    def url(self) -> URL:
        return database_url(self.db)

    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = create_engine(self.url, pool=PoolOptions.from_settings(self.db))
            check_connection(self._engine)
        return self._engine

    def say(self, message: str) -> None:
        if not self.as_json:
            click.echo(message)

    def progress(self, message: str) -> None:
        if not self.as_json:
            click.echo(f"  … {message}", err=True)

    def output(self, data: Any, text: str) -> None:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str) if self.as_json else text)


pass_app = click.make_pass_decorator(App)


def _fail(exc: DothiError) -> NoReturn:
    click.secho(f"Lỗi / Error: {exc}", fg="red", err=True)
    sys.exit(exc.exit_code)


class DothiGroup(click.Group):
    """Turns dothi errors into a message and an exit code (the CLI edge)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DothiError as exc:
            _fail(exc)


@click.group(cls=DothiGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--json", "as_json", is_flag=True, help="Machine-readable JSON output.")
@click.version_option(package_name="dothi")
@click.pass_context
def cli(ctx: click.Context, as_json: bool) -> None:
    """dothi — đô thị: urban-planning data and indicators for Mỹ Tho, through OGC APIs.

    \b
    The job, in order:
      db          the database (embedded PostgreSQL + PostGIS, or DOTHI_DATABASE_URL)
      load        load a layer (the bundled Mỹ Tho data: `dothi load mytho`)
      layers      what is loaded, and its history
      indicators  list, compute and show planning indicators
      api         generate the pygeoapi configuration
      serve       publish everything as OGC API on http://127.0.0.1:5000
      demo        all of the above on the Mỹ Tho data

    Settings come from DOTHI_* environment variables (see README).
    """
    ctx.obj = App(db=DatabaseSettings(), api=ApiSettings(), as_json=as_json)


# -- db -------------------------------------------------------------------------------------
@cli.group()
def db() -> None:
    """Manage the database: the embedded cluster, or an external server via DOTHI_DATABASE_URL."""


def _external_note(app: App, action: str) -> bool:
    if app.db.external:
        where = app.url.render_as_string(hide_password=True)
        app.output(
            {"external": True, "url": where},
            f"DOTHI_DATABASE_URL is set: using the external server {where}; "
            f"`db {action}` does nothing to it.",
        )
        return True
    return False


def _bootstrap(app: App) -> None:
    """Database, extensions and schema at the latest revision (idempotent)."""
    if ensure_database(app.url):
        app.progress(f"created database {app.url.database}")
    migrations.upgrade(app.engine(), extra_version_dirs=VERSION_DIRS)


@db.command()
@pass_app
def up(app: App) -> None:
    """Create and start the embedded database, then migrate it (idempotent)."""
    if not _external_note(app, "up"):
        status = app.cluster.up()
        app.say(f"Cơ sở dữ liệu đang chạy / database running on 127.0.0.1:{status.port} ({status.data_dir})")
    _bootstrap(app)


@db.command()
@pass_app
def down(app: App) -> None:
    """Stop the embedded database (data is kept)."""
    if _external_note(app, "down"):
        return
    stopped = app.cluster.stop()
    app.say("Đã dừng / stopped." if stopped else "Không chạy / not running.")


@db.command()
@pass_app
def status(app: App) -> None:
    """Tell whether the database is initialised, running, and at which revision."""
    if app.db.external:
        info: dict[str, Any] = {"external": True, "url": app.url.render_as_string(hide_password=True)}
        try:
            info["revisions"] = sorted(migrations.current_revisions(app.engine()))
            info["state"] = "reachable"
        except DothiError as exc:
            info["state"], info["detail"] = "unreachable", exc.message
        app.output(info, "\n".join(f"{k}: {v}" for k, v in info.items()))
        if info["state"] != "reachable":
            sys.exit(3)
        return
    st = app.cluster.status()
    info = st.as_dict()
    if st.state is State.RUNNING:
        info["revisions"] = sorted(migrations.current_revisions(app.engine()))
        info["heads"] = sorted(migrations.head_revisions(VERSION_DIRS))
    app.output(info, "\n".join(f"{k}: {v}" for k, v in info.items() if v not in (None, "")))
    if st.state is not State.RUNNING:
        sys.exit(3)


@db.command()
@click.option("--show-password", is_flag=True, help="Print the password instead of ***.")
@pass_app
def url(app: App, show_password: bool) -> None:
    """Print the database URL (for QGIS, psql, notebooks)."""
    text = app.url.set(drivername="postgresql").render_as_string(hide_password=not show_password)
    app.output({"url": text}, text)


@db.command(context_settings={"ignore_unknown_options": True})
@click.argument("psql_args", nargs=-1, type=click.UNPROCESSED)
@pass_app
def psql(app: App, psql_args: tuple[str, ...]) -> None:
    """Open psql on the database (extra arguments go to psql)."""
    target = app.url.set(drivername="postgresql").render_as_string(hide_password=False)
    os.execvp("psql", ["psql", target, *psql_args])


@db.command()
@click.option("--revision", default="heads", show_default=True)
@pass_app
def migrate(app: App, revision: str) -> None:
    """Upgrade the schema (schemas, catalog tables, layer and results tables)."""
    migrations.upgrade(app.engine(), extra_version_dirs=VERSION_DIRS, revision=revision)
    revs = sorted(migrations.current_revisions(app.engine()))
    app.output({"revisions": revs}, f"Schema at / lược đồ ở phiên bản: {', '.join(revs)}")


# -- load -----------------------------------------------------------------------------------
@cli.command()
@click.argument("what", type=click.Choice(["mytho"]))
@pass_app
def load(app: App, what: str) -> None:
    """Load data.  `mytho`: the bundled real Mỹ Tho boundaries and 2019 census (17 + 5 units)."""
    bundles = mytho.admin_unit_bundles() if what == "mytho" else []
    reports = []
    for bundle in bundles:
        report = load_frame(
            app.engine(),
            ADMIN_UNITS,
            bundle.frame,
            source=bundle.source,
            scope=bundle.scope,
            progress=app.progress,
        )
        reports.append(report)
        app.say(report.summary())
    if app.as_json:
        app.output([r.__dict__ for r in reports], "")


# -- layers ---------------------------------------------------------------------------------
@cli.group()
def layers() -> None:
    """What is loaded: layers, counts and load history."""


@layers.command("list")
@pass_app
def layers_list(app: App) -> None:
    """Layers with feature counts and their last load."""
    rows = layer_inventory(app.engine())
    lines = [
        f"{r['layer']:<28} {r['features']:>8}  {r['last_loaded'] or '—'}  {r['source'] or ''}" for r in rows
    ]
    app.output(rows, "\n".join(lines))


# -- indicators -----------------------------------------------------------------------------
@cli.group()
def indicators() -> None:
    """Planning indicators: list, run, show."""


@indicators.command("list")
@pass_app
def indicators_list(app: App) -> None:
    """The indicators in the registry."""
    rows = [
        {
            "id": s.id,
            "title_en": s.title_en,
            "title_vi": s.title_vi,
            "unit": s.unit,
            "standard": s.standard,
            "levels": list(s.levels),
            "inputs": list(s.inputs),
        }
        for s in INDICATORS.values()
    ]
    app.output(
        rows, "\n".join(f"{r['id']:<24} {r['title_en']} / {r['title_vi']} [{r['unit']}]" for r in rows)
    )


def _parse_params(values: tuple[str, ...]) -> dict[str, dict[str, str]]:
    params: dict[str, dict[str, str]] = {}
    for item in values:
        key, sep, value = item.partition("=")
        ind, dot, name = key.partition(".")
        if not sep or not dot:
            raise click.BadParameter(f"{item!r}: use ID.name=value", param_hint="--param")
        get_indicator(ind)
        params.setdefault(ind, {})[name] = value
    return params


@indicators.command("run")
@click.option("--only", help="Comma-separated indicator ids (default: all).")
@click.option("--param", "param", multiple=True, help="ID.name=value, repeatable.")
@click.option("--force", is_flag=True, help="Recompute even when nothing changed.")
@pass_app
def indicators_run(app: App, only: str | None, param: tuple[str, ...], force: bool) -> None:
    """Compute indicators and store results with provenance (no-op when nothing changed)."""
    ids = [i.strip() for i in only.split(",")] if only else None
    for i in ids or []:
        get_indicator(i)
    reports = run_all(app.engine(), only=ids, params=_parse_params(param), force=force, progress=app.progress)
    app.output([r.__dict__ for r in reports], "\n".join(r.summary() for r in reports))


@indicators.command("show")
@click.argument("indicator_id")
@click.option("--level", type=click.Choice(["city", "ward"]), help="Only this level.")
@pass_app
def indicators_show(app: App, indicator_id: str, level: str | None) -> None:
    """Show an indicator's current values."""
    spec = get_indicator(indicator_id)
    rows = indicator_values(app.engine(), spec, level=level)
    lines = [f"{spec.title_en} / {spec.title_vi} [{spec.unit}]"]
    lines += [
        f"  {r['level']:<5} {r['name_vi']:<22} {r['value']:>12,.1f}"
        if r["value"] is not None
        else f"  {r['level']:<5} {r['name_vi']:<22} {'—':>12}"
        for r in rows
    ]
    app.output(rows, "\n".join(lines))


# -- api / serve / demo ------------------------------------------------------------------------
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


def main() -> None:
    cli(prog_name="dothi")


if __name__ == "__main__":
    main()
