"""``dothi load raster`` and ``dothi rasters``: raster layers stored as Cloud-Optimized GeoTIFFs.

``load`` is a command of :mod:`api_config.cli.load`; ``raster`` joins it as a sub-command (when
``load`` is already a group) or through a small dispatching group that keeps every other
``dothi load …`` form working unchanged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

import api_config.cli.load as _load_module  # noqa: F401 - ``load`` must be registered first
from api_config.cli.app import App, cli, pass_app
from layers.catalog import RASTERS


@click.command("raster")
@click.argument("name", type=click.Choice(sorted(RASTERS)))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--year", type=int, default=None, help="Year of a time-series layer (built_up, land_cover).")
@click.option("--synthetic", is_flag=True, help="Mark the raster as synthetic (generated) data.")
@click.option("--licence", default="", help="Licence of the source.")
@click.option("--attribution", default="", help="Attribution of the source.")
@pass_app
def load_raster(
    app: App, *, name: str, file: Path, year: int | None, synthetic: bool, licence: str, attribution: str
) -> None:
    """Store a raster FILE (any GDAL format) as layer NAME: a COG under the data folder + catalog row."""
    from layers.rasters import load_raster_file

    report = load_raster_file(
        app.engine(),
        app.db.data_dir,
        name,
        file,
        year=year,
        synthetic=synthetic,
        licence=licence,
        attribution=attribution,
        progress=app.progress,
    )
    app.output(report.__dict__, report.summary())


class _LoadWithRaster(click.Group):
    """``dothi load``: ``raster …`` goes to :func:`load_raster`, anything else to the original command."""

    def __init__(self, original: click.Command) -> None:
        super().__init__(name=original.name, help=original.help, params=[])
        self.original = original
        self.add_command(load_raster)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or args[0] in self.commands or args[0] in ctx.help_option_names:
            return super().parse_args(ctx, args)
        ctx.meta["dothi_load_args"] = list(args)
        return []

    def invoke(self, ctx: click.Context) -> Any:
        if "dothi_load_args" in ctx.meta:
            args = ctx.meta.pop("dothi_load_args")
            sub = self.original.make_context(self.original.name or "load", args, parent=ctx.parent)
            with sub:
                return self.original.invoke(sub)
        return super().invoke(ctx)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, "WHAT | raster NAME FILE [--year Y]")

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self.original.format_help_text(ctx, formatter)
        formatter.write_paragraph()
        formatter.write_text("`dothi load raster NAME FILE [--year Y]` stores a raster layer (COG).")
        formatter.write_paragraph()
        formatter.write_text(f"Other forms: dothi load {' '.join(self.original.collect_usage_pieces(ctx))}")


def _register() -> None:
    existing = cli.commands.get("load")
    if isinstance(existing, click.Group):
        existing.add_command(load_raster)
    elif existing is not None:
        cli.add_command(_LoadWithRaster(existing), "load")
    else:
        cli.add_command(click.Group("load", commands=[load_raster]))


_register()


@cli.group()
def rasters() -> None:
    """Raster layers stored as Cloud-Optimized GeoTIFFs."""


@rasters.command("list")
@pass_app
def rasters_list(app: App) -> None:
    """Stored rasters: layer, year, size, file, synthetic or not."""
    from layers.rasters import list_rasters

    rows = list_rasters(app.engine())
    lines = [f"{'layer':<28} {'year':>5} {'size':>11}  {'synthetic':<9}  path"]
    for r in rows:
        size = f"{r['width']}×{r['height']}"
        synthetic = "yes" if r["synthetic"] else "no"
        lines.append(f"{r['layer']:<28} {r['year'] or '—':>5} {size:>11}  {synthetic:<9}  {r['path']}")
    app.output(rows, "\n".join(lines))
