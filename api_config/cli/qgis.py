"""``dothi qgis``: default QGIS styles in the database, and the QGIS project for planners."""

from __future__ import annotations

from pathlib import Path

import click

from api_config.cli.app import App, cli, pass_app
from api_config.styling.breaks import METHODS

_method = click.option(
    "--method",
    type=click.Choice(METHODS),
    default="jenks",
    show_default=True,
    help="Class breaks of the indicator choropleths.",
)
_classes = click.option(
    "--classes", type=click.IntRange(2, 9), default=5, show_default=True, help="Choropleth classes."
)


@cli.group()
def qgis() -> None:
    """QGIS for planners: default styles and a ready-made project."""


@qgis.command("styles")
@_method
@_classes
@pass_app
def qgis_styles(app: App, method: str, classes: int) -> None:
    """Store every layer's and indicator's style in public.layer_styles (QGIS default styles)."""
    from api_config.qgis.store import write_styles

    report = write_styles(app.engine(), method=method, classes=classes)  # type: ignore[arg-type]
    skipped = "".join(f"\n  bỏ qua / skipped {k}: {v}" for k, v in report.skipped.items())
    app.output(
        report.as_dict(),
        f"Kiểu QGIS đã lưu / QGIS styles stored: {len(report.written)} (public.layer_styles){skipped}",
    )


@qgis.command("project")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--no-database", is_flag=True, help="Do not store the project in the database.")
@click.option(
    "--scenario",
    "scenarios",
    multiple=True,
    help="Scenario to put in the Scenarios group, to draw edits on (repeatable).",
)
@click.option("--all-scenarios", is_flag=True, help="Put every scenario in the Scenarios group.")
@click.option(
    "--planner-service",
    default=None,
    help="PostgreSQL service (pg_service.conf) the Scenarios group's layers connect through; each "
    "planner's service names their own login, a member of dothi_planner (default: this login).",
)
@_method
@_classes
@pass_app
def qgis_project(  # noqa: PLR0917 - click passes every option
    app: App,
    path: Path | None,
    no_database: bool,
    scenarios: tuple[str, ...],
    all_scenarios: bool,
    planner_service: str | None,
    method: str,
    classes: int,
) -> None:
    """Write the QGIS project (PATH, default <data dir>/qgis/dothi.qgs) and store it in the database.

    Styles are refreshed first, so the project's layers get them.  With --scenario (or
    --all-scenarios) a Scenarios group holds, per scenario, layers to draw edits on (schools,
    health facilities, markets, stops, green spaces, land use) and the evaluated result
    (docs/qgis.md, "Scenarios / Kịch bản").  Needs QGIS's Python (Debian/Ubuntu: apt-get install
    python3-qgis).
    """
    from api_config.qgis.project import build_project, project_uri
    from api_config.qgis.store import write_styles

    engine = app.engine()
    write_styles(engine, method=method, classes=classes)  # type: ignore[arg-type]
    target = path or app.db.data_dir / "qgis" / "dothi.qgs"
    target.parent.mkdir(parents=True, exist_ok=True)
    app.progress("QGIS đang dựng dự án / QGIS is building the project")
    result = build_project(
        engine,
        app.url,
        app.api,
        data_dir=app.db.data_dir,
        path=target,
        to_database=not no_database,
        method=method,  # type: ignore[arg-type]
        classes=classes,
        scenarios=list(scenarios) or None,
        all_scenarios=all_scenarios,
        planner_service=planner_service,
    )
    bad = [f"  ! {layer['name']} ({layer['kind']})" for layer in result["layers"] if not layer["valid"]]
    note = (
        "\nChưa tải được (máy chủ `dothi serve` chưa chạy?) / not loaded now (is `dothi serve` running?):\n"
        + "\n".join(bad)
        if bad
        else ""
    )
    where = "" if no_database else f"\nTrong CSDL / in the database: {project_uri(app.url)}"
    app.output(
        result, f"Dự án QGIS / QGIS project: {target}{where}\n{len(result['layers'])} lớp / layers{note}"
    )
