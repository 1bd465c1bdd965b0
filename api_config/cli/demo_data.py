"""``dothi demo-data``: the synthetic (generated) layers no open data exists for."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from api_config.cli.app import App, cli, pass_app
from layers.catalog import LAYERS, RASTERS

if TYPE_CHECKING:
    from layers.synthetic.generate import GenerateReport

DEFAULT_SEED = 2019


@cli.group("demo-data")
def demo_data() -> None:
    """Dữ liệu tổng hợp / synthetic data for the layers without open data (streets, buildings…)."""


@demo_data.command("generate")
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True, help="Seed of the generator.")
@click.option("--load/--no-load", "do_load", default=True, show_default=True, help="Load into the database.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Also write dothi-synthetic.gpkg and the rasters (COG) to this folder.",
)
@click.option(
    "--scale",
    type=click.FloatRange(min=0.01, max=1.0),
    default=1.0,
    show_default=True,
    help="Fraction of the census households to generate (1 = all; less for quick trials).",
)
@click.option(
    "--area",
    default="mytho",
    show_default=True,
    help="Vùng nghiên cứu / study area, calibrated to its loaded 2019 communes (e.g. tien_giang).",
)
@pass_app
def generate_cmd(app: App, *, seed: int, do_load: bool, out: Path | None, scale: float, area: str) -> None:
    """Generate the synthetic layers from SEED (deterministic) and load them.

    Synthetic features carry synthetic = true; real features are never replaced, and layers that
    already hold real data keep only their real data.
    """
    from layers.synthetic.generate import generate, generate_and_load, load_synthetic, write_files

    if not do_load and out is None:
        raise click.UsageError("Nothing to do: with --no-load give --out DIR to write the files.")
    if area != "mytho":
        from layers.areas import require_area

        require_area(app.engine(), area, parameter="--area")
        if out is not None:
            raise click.UsageError("--out writes Mỹ Tho's data only; leave it out with --area.")
    report: GenerateReport | None
    if do_load and out is None:
        report = generate_and_load(
            app.engine(), app.db.data_dir, seed=seed, progress=app.progress, scale=scale, area=area
        )
    else:
        data = generate(seed=seed, scale=scale, progress=app.progress)
        if out is not None:
            for path in write_files(data, out):
                app.say(f"wrote {path}")
        report = (
            load_synthetic(app.engine(), app.db.data_dir, data, progress=app.progress) if do_load else None
        )
    if report is not None:
        _print_status(app, report)


def _print_status(app: App, report: GenerateReport) -> None:
    """Which layers are real and which synthetic (every catalog layer, then rasters)."""
    from layers.synthetic.generate import layer_status, raster_status

    engine = app.engine()
    statuses = layer_status(engine, tuple(LAYERS))
    rasters = raster_status(engine)
    rows: list[dict[str, Any]] = [
        {"layer": s.layer, "kind": s.kind, "real": s.real, "synthetic": s.synthetic} for s in statuses
    ]
    for name, spec in RASTERS.items():
        stored = sorted((year, row) for (n, year), row in rasters.items() if n == name and year is not None)
        plain = rasters.get((name, None))
        items = ([(None, plain)] if plain else []) + stored
        kind = "empty" if not items else ("synthetic" if all(r["synthetic"] for _, r in items) else "real")
        years = ",".join(str(y) for y, _ in items if y is not None)
        rows.append({"layer": spec.qualified_name + (f" [{years}]" if years else ""), "kind": kind})
    label = {
        "real": "THẬT / real",
        "synthetic": "TỔNG HỢP / synthetic",
        "mixed": "thật + tổng hợp / mixed",
        "empty": "trống / empty",
    }
    lines = [f"{'reused' if report.reused else 'loaded'}: {report.source}"]
    lines += [f"  {r['layer']:<40} {label[r['kind']]}" for r in rows]
    app.output({"source": report.source, "reused": report.reused, "layers": rows}, "\n".join(lines))
