"""``dothi indicators``: list, run and show planning indicators."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from api_config.cli.app import App, cli, pass_app


@cli.group()
def indicators() -> None:
    """Planning indicators: list, run, show."""


@indicators.command("list")
@pass_app
def indicators_list(app: App) -> None:
    """The indicators in the registry."""
    from analysis.registry import INDICATORS

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
    from analysis.registry import get_indicator

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
@click.option(
    "--allow-skip",
    is_flag=True,
    help="Exit 0 even when some indicators were skipped (inputs missing or unusable).",
)
@click.option(
    "--area",
    "area",
    multiple=True,
    help="Vùng nghiên cứu / study area to compute (its inputs only; its results only replaced); "
    "repeatable, or `all` for every area (one run, partitioned by area). Default: mytho.",
)
@click.option(
    "--executor",
    type=click.Choice(["auto", "serial", "dask"]),
    default="auto",
    show_default=True,
    help="serial: this process; dask: Dask (DOTHI_DASK_SCHEDULER, else a local cluster); auto: Dask when "
    "DOTHI_DASK_SCHEDULER is set or the work splits into several partitions (several areas, large area).",
)
@click.option("--workers", type=click.IntRange(min=1), help="Worker processes of a local Dask cluster.")
@click.option("--tiles", type=click.IntRange(min=1), help="Tiles per study area for tiled indicators (Dask).")
@pass_app
def indicators_run(  # noqa: PLR0917 - click passes every option
    app: App,
    only: str | None,
    param: tuple[str, ...],
    force: bool,
    allow_skip: bool,
    executor: str,
    workers: int | None,
    tiles: int | None,
    area: tuple[str, ...],
) -> None:
    """Compute indicators and store results with provenance (no-op when nothing changed).

    Without --only every indicator runs; one whose inputs are missing or cannot support it is
    skipped with the reason, the others still run.

    \b
    Exit codes / mã thoát:
      0   every indicator computed or unchanged (or skips allowed with --allow-skip)
      23  one or more indicators skipped (the reasons are printed)
      20  an indicator failed (with --only)
      21  a bad parameter (--param)
      22  an input layer is missing or empty (with --only)
      24  the Dask scheduler (DOTHI_DASK_SCHEDULER) cannot be reached

    \b
    Study areas / vùng nghiên cứu: --area mytho (default), --area a --area b, or --area all; each
    area is computed and published on its own; on Dask the work is partitioned by area first.

    \b
    On Dask / trên Dask: DOTHI_DASK_SCHEDULER=tcp://host:8786 uses that scheduler; the workers read
    PostGIS with their own DOTHI_DATABASE_URL and rasters under DOTHI_DATA_DIR.
    """
    from analysis.distributed.choose import ALL_AREAS, resolve_areas, run_indicators
    from analysis.errors import SkippedIndicatorsError
    from analysis.registry import get_indicator
    from layers.areas import require_area

    for code in area:
        if code != ALL_AREAS:
            require_area(app.engine(), code, parameter="--area")
    areas = resolve_areas(app.engine(), area)
    ids = [i.strip() for i in only.split(",")] if only else None
    for i in ids or []:
        get_indicator(i)
    reports = run_indicators(
        app.engine(),
        mode=executor,  # type: ignore[arg-type]
        workers=workers,
        tiles=tiles,
        only=ids,
        params=_parse_params(param),
        force=force,
        data_dir=app.db.data_dir,
        progress=app.progress,
        area=areas,
    )
    app.output([r.__dict__ for r in reports], "\n".join(r.summary() for r in reports))
    skipped = [r.indicator_id for r in reports if r.skipped]
    if skipped and not allow_skip:
        raise SkippedIndicatorsError(
            f"{len(skipped)} chỉ số bị bỏ qua / indicator(s) skipped: {', '.join(skipped)}.",
            hint="Load the missing layers (see the reasons above), or pass --allow-skip to accept it.",
        )


def _value(value: Any, digits: int = 2) -> str:
    return f"{value:>12,.{digits}f}" if value is not None else f"{'—':>12}"


def _show_text(spec: Any, rows: list[dict[str, Any]], limit: int) -> str:
    from layers.notices import SYNTHETIC_RESULT

    digits = spec.precision
    lines = [f"{spec.title_en} / {spec.title_vi} [{spec.unit}]"]
    if any(r.get("synthetic") for r in rows):
        lines.append(f"  ! {SYNTHETIC_RESULT['vi']} / {SYNTHETIC_RESULT['en']}")
    named = [r for r in rows if r["level"] in ("city", "ward")]
    lines += [
        f"  {r['level']:<5} {_vintage(r['vintage'])} {r['name_vi'] or r['unit_id']:<34} "
        f"{_value(r['value'], digits)}"
        for r in named
    ]
    for small in ("grid", "block"):
        cells = [r for r in rows if r["level"] == small]
        values = sorted(r["value"] for r in cells if r["value"] is not None)
        if values:
            lines.append(
                f"  {small:<5} {len(cells)} {'cells' if small == 'grid' else 'blocks'}: "
                f"min {values[0]:,.{digits}f}, "
                f"median {values[len(values) // 2]:,.{digits}f}, max {values[-1]:,.{digits}f}"
            )
        if cells and not named:
            lines += [f"  {small:<5} {r['unit_id']:<28} {_value(r['value'], digits)}" for r in cells[:limit]]
            if len(cells) > limit:
                lines.append(f"  … {len(cells) - limit} more (--limit, or --json for all)")
    if not rows:
        lines.append("  (no results: run `dothi indicators run --only " + spec.id + "`)")
    return "\n".join(lines)


def _vintage(vintage: int | None) -> str:
    """The boundary vintage a row belongs to (``ranh giới 2025 / 2025 boundaries``)."""
    return f"[{vintage}]" if vintage is not None else "      "


@indicators.command("show")
@click.argument("indicator_id")
@click.option("--level", type=click.Choice(["city", "ward", "grid", "block"]), help="Only this level.")
@click.option(
    "--vintage",
    type=int,
    help="Only this boundary vintage (year of the ward boundaries, e.g. 2025); each row shows its vintage.",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable JSON output (all rows).")
@click.option("--limit", default=20, show_default=True, help="Grid cells / blocks listed in text output.")
@click.option(
    "--area", default="mytho", show_default=True, help="Vùng nghiên cứu / study area (dothi areas list)."
)
@pass_app
def indicators_show(  # noqa: PLR0917 - click passes each option by name
    app: App, indicator_id: str, level: str | None, vintage: int | None, as_json: bool, limit: int, area: str
) -> None:
    """Show an indicator's current values (city and wards with their boundary vintage [year], and a
    summary of grid cells), rounded to the indicator's precision."""
    from analysis.registry import get_indicator
    from api_config.inventory import indicator_values

    spec = get_indicator(indicator_id)
    if level and level not in spec.levels:
        raise click.BadParameter(
            f"{spec.id} reports at {', '.join(spec.levels)}, not {level}.", param_hint="--level"
        )
    app.as_json = app.as_json or as_json
    if area != "mytho":
        from layers.areas import require_area

        require_area(app.engine(), area, parameter="--area")
    rows = indicator_values(app.engine(), spec, level=level, vintage=vintage, area=area)
    if vintage is not None and not rows:
        raise click.BadParameter(
            f"{spec.id} has no results for boundary vintage {vintage} / không có kết quả cho ranh giới "
            f"năm {vintage}.",
            param_hint="--vintage",
        )
    app.output(rows, _show_text(spec, rows, limit))


@indicators.command("docs")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("docs/indicators.md"),
    show_default=True,
    help="Where to write the methods page.",
)
@click.option("--check", is_flag=True, help="Only check that the file is up to date (exit 1 if not).")
@pass_app
def indicators_docs(app: App, output: Path, check: bool) -> None:
    """Write docs/indicators.md (methods, formulas, parameters, inputs) from the registry."""
    from analysis.docs import render_markdown
    from analysis.registry import INDICATORS

    text = render_markdown()
    if check:
        current = output.read_text(encoding="utf-8") if output.is_file() else ""
        if current != text:
            raise click.ClickException(f"{output} is out of date; run `dothi indicators docs`.")
        app.say(f"{output} is up to date.")
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    app.say(f"Wrote {output} ({len(INDICATORS)} indicators).")
