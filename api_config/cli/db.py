"""``dothi db``: the embedded cluster or the external server, and migrations."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from api_config.cli.app import VERSION_DIRS, App, cli, pass_app
from gis.cluster import State
from gis.errors import DothiError


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
    from gis import migrate as migrations
    from gis.engine import ensure_database

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
    from gis import migrate as migrations

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
        info["heads"] = sorted(migrations.head_revisions(VERSION_DIRS))
        try:
            info["revisions"] = sorted(migrations.current_revisions(app.engine()))
        except DothiError:
            info["detail"] = f"database {app.db.db_name!r} not created yet: run `dothi db up`"
            info["revisions"] = []
        if info["revisions"] != info["heads"] and not info["detail"]:
            info["detail"] = "schema not up to date: run `dothi db migrate`"
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


@db.command()
@click.option("--show-password", is_flag=True, help="Print the passwords instead of *** (embedded cluster).")
@pass_app
def roles(app: App, show_password: bool) -> None:
    """The API's login roles (dothi_api reads, dothi_jobs runs jobs): create them, print their URLs.

    Embedded cluster: made by `db up` already; this repairs them.  External server
    (DOTHI_DATABASE_URL of a role that may create roles): creates them with NEW passwords and prints
    DOTHI_READER_URL and DOTHI_ANALYST_URL to set for `dothi serve`.
    """
    from gis.logins import api_logins, create_external_logins

    if app.db.external:
        logins = create_external_logins(app.url)
        show_password = True  # generated now, shown once: nowhere else keeps them
    else:
        app.cluster.ensure_logins()
        logins = api_logins(app.db, app.url)
    urls = {
        name: url.set(drivername="postgresql").render_as_string(hide_password=not show_password)
        for name, url in (("DOTHI_READER_URL", logins.reader), ("DOTHI_ANALYST_URL", logins.analyst))
    }
    app.output(urls, "\n".join(f"{name}={url}" for name, url in urls.items()))


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
    from gis import migrate as migrations

    migrations.upgrade(app.engine(), extra_version_dirs=VERSION_DIRS, revision=revision)
    revs = sorted(migrations.current_revisions(app.engine()))
    app.output({"revisions": revs}, f"Schema at / lược đồ ở phiên bản: {', '.join(revs)}")
