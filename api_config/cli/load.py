"""``dothi load`` and ``dothi layers``: getting data in, and seeing what is there."""

from __future__ import annotations

import click

from api_config.cli.app import App, cli, pass_app
from api_config.inventory import layer_inventory
from layers.catalog import ADMIN_UNITS
from layers.load import load_frame
from layers.sources import mytho


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
    lines = [f"{'layer':<34} {'features':>9}  {'last load (UTC)':<25}  source"]
    for r in rows:
        count = "—" if r["features"] is None else str(r["features"])
        lines.append(f"{r['layer']:<34} {count:>9}  {r['last_loaded'] or '—':<25}  {r['source'] or ''}")
    app.output(rows, "\n".join(lines))
