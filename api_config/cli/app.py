"""The ``dothi`` command group, the per-invocation :class:`App`, and the error edge.

Settings are built here (not at import) and passed down.  Errors from the packages are turned into
a readable message and an exit code only here.

Start-up stays fast: the command modules import only click, this module and light declarations
(the layer catalog, migration folders) at import time; pydantic settings, SQLAlchemy, pandas,
geopandas and pygeoapi are imported inside the commands that use them
(tests/test_cli.py checks that ``dothi --help`` loads none of the heavy ones).
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NoReturn

import click

from analysis.migrations import VERSIONS_DIR as ANALYSIS_VERSIONS
from gis.cluster import EmbeddedCluster
from gis.errors import DothiError
from layers.migrations import VERSIONS_DIR as LAYER_VERSIONS

if TYPE_CHECKING:
    from sqlalchemy.engine import URL, Engine

    from gis.settings import ApiSettings, DatabaseSettings

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
        from gis.engine import database_url

        return database_url(self.db)

    def engine(self) -> Engine:
        from gis.engine import PoolOptions, check_connection, create_engine

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


class LazyChoice(click.Choice[str]):
    """A :class:`click.Choice` whose values are ``attribute`` of ``module``, imported on first use.

    Keeps heavy modules (pandas, geopandas) out of start-up while the values stay declared once.
    """

    def __init__(self, module: str, attribute: str) -> None:
        self._source = (module, attribute)
        self._values: tuple[str, ...] | None = None
        super().__init__((), case_sensitive=True)

    @property
    def choices(self) -> tuple[str, ...]:
        if self._values is None:
            module, attribute = self._source
            self._values = tuple(getattr(importlib.import_module(module), attribute))
        return self._values

    @choices.setter
    def choices(self, values: Sequence[str]) -> None:
        self._values = tuple(values) or None


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
      api-key     keys that may run processes and see jobs (Authorization: Bearer)
      qgis        QGIS styles in the database and a ready-made project
      demo        all of the above on the Mỹ Tho data

    Settings come from DOTHI_* environment variables (see README).
    """
    from gis.settings import ApiSettings, DatabaseSettings

    ctx.obj = App(db=DatabaseSettings(), api=ApiSettings(), as_json=as_json)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="dothi")
