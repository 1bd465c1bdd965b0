"""``dothi indicators``: list, run and show planning indicators."""

from __future__ import annotations

import click

from analysis.registry import INDICATORS, get_indicator
from analysis.runner import run_all
from api_config.cli.app import App, cli, pass_app
from api_config.inventory import indicator_values


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
