"""``dothi scenario``: planning scenarios — edits over the baseline layers, evaluated incrementally."""

from __future__ import annotations

import getpass
import json
from pathlib import Path
from typing import Any

import click

from api_config.cli.app import App, cli, pass_app

_JSON = click.option("--json", "as_json", is_flag=True, help="Machine-readable JSON output.")
_AUTHOR = click.option("--author", default=None, help="Who makes the change (default: the OS user).")


def _author(value: str | None) -> str:
    return value or getpass.getuser()


@cli.group("scenario")
def scenario() -> None:
    """Planning scenarios: "what if we build a school here?" (edits never touch the baseline)."""


@scenario.command("create")
@click.argument("name")
@click.option("--title-vi", required=True, help="Tiêu đề tiếng Việt.")
@click.option("--title-en", required=True, help="English title.")
@click.option("--description-vi", default="", help="Mô tả tiếng Việt.")
@click.option("--description-en", default="", help="English description.")
@click.option("--on", "parent", default=None, help="Build on this scenario (phase 2 on phase 1).")
@click.option(
    "--area",
    default="mytho",
    show_default=True,
    help="Vùng nghiên cứu / study area whose baseline the scenario edits (dothi areas list).",
)
@_AUTHOR
@_JSON
@pass_app
def create(  # noqa: PLR0917 - click passes every option
    app: App, name: str, parent: str | None, area: str, author: str | None, as_json: bool, **titles: str
) -> None:
    """Create the empty scenario NAME of study area --area on today's baseline."""
    from analysis.scenarios import store

    s = store.create(app.engine(), name, author=_author(author), parent=parent, area=area, **titles)
    app.as_json = app.as_json or as_json
    app.output(
        s.to_json(),
        f"Đã tạo kịch bản / created scenario {s.name!r} [{s.area}]" + (f" on {parent!r}" if parent else ""),
    )


@scenario.command("list")
@_JSON
@pass_app
def list_(app: App, as_json: bool) -> None:
    """Every scenario: name, study area, title, author, edits, parent, published."""
    from analysis.scenarios import store

    rows = store.list_all(app.engine())
    app.as_json = app.as_json or as_json
    lines = [
        f"{r['name']:<24} {r['area']:<12} {r['edits']:>4} edits  {r['author']:<12} "
        f"{r['updated_at']:%Y-%m-%d %H:%M}"
        f"{'  on ' + r['parent'] if r['parent'] else ''}"
        f"{'  published' if r['published'] else ''}  {r['title_en']}"
        for r in rows
    ]
    app.output(rows, "\n".join(lines) or "(chưa có kịch bản / no scenarios)")


@scenario.command("show")
@click.argument("name")
@_JSON
@pass_app
def show(app: App, name: str, as_json: bool) -> None:
    """The scenario, its edits, and whether the baseline changed since it was drawn."""
    from analysis.scenarios import store

    eng = app.engine()
    s = store.get(eng, name)
    edits = store.effective_edits(eng, name)
    changed = store.baseline_changes(eng, s)
    stale = store.stale_edits(eng, edits, area=s.area)
    data = {
        **s.to_json(),
        "effective_edits": [e.to_json() for e in edits],
        "baseline_changed": changed,
        "edits_no_longer_apply": [e.key for e in stale],
    }
    app.as_json = app.as_json or as_json
    lines = [
        f"{s.name}: {s.title_vi} / {s.title_en}",
        f"  study area {s.area}",
        f"  author {s.author}, updated {s.updated_at:%Y-%m-%d %H:%M}",
    ]
    if s.parent:
        lines.append(f"  on scenario {s.parent}")
    lines += [f"  {e.op:<7} {e.layer}:{e.feature_id}" for e in edits]
    lines += _warnings(changed, stale)
    app.output(data, "\n".join(lines))


def _warnings(changed: list[str], stale: list[Any]) -> list[str]:
    out = []
    if changed:
        out.append(
            "  ! Dữ liệu nền đã thay đổi từ khi vẽ kịch bản / "
            "the baseline changed since the scenario was drawn: " + ", ".join(changed)
        )
    out += [
        f"  ! Chỉnh sửa không còn áp dụng được / edit no longer applies: {e.op} {e.key} (feature is gone)"
        for e in stale
    ]
    return out


@scenario.command("copy")
@click.argument("name")
@click.argument("new_name")
@_AUTHOR
@pass_app
def copy_(app: App, name: str, new_name: str, author: str | None) -> None:
    """Copy NAME (its own edits, same parent) to NEW_NAME."""
    from analysis.scenarios import store

    store.copy(app.engine(), name, new_name, author=_author(author))
    app.say(f"Đã sao chép / copied {name!r} → {new_name!r}")


@scenario.command("rename")
@click.argument("name")
@click.argument("new_name")
@pass_app
def rename(app: App, name: str, new_name: str) -> None:
    """Rename NAME to NEW_NAME."""
    from analysis.scenarios import store

    store.rename(app.engine(), name, new_name)
    app.say(f"Đã đổi tên / renamed {name!r} → {new_name!r}")


@scenario.command("delete")
@click.argument("name")
@pass_app
def delete(app: App, name: str) -> None:
    """Delete NAME with its edits and results (never the baseline)."""
    from analysis.scenarios import store

    store.delete(app.engine(), name)
    app.say(f"Đã xoá / deleted {name!r}")


@scenario.command("edit")
@click.argument("name")
@click.option("--layer", required=True, help="The edited layer (e.g. schools).")
@click.option("--add", "add_file", type=click.Path(exists=True, path_type=Path), help="New features (file).")
@click.option(
    "--change", "change_file", type=click.Path(exists=True, path_type=Path), help="Changed features."
)
@click.option("--remove", "remove_ids", default=None, help="Comma-separated ids of features to remove.")
@click.option("--undo", "undo_ids", default=None, help="Comma-separated ids whose edits to drop.")
@_AUTHOR
@pass_app
def edit(  # noqa: PLR0917 - click passes every option
    app: App,
    name: str,
    layer: str,
    add_file: Path | None,
    change_file: Path | None,
    remove_ids: str | None,
    undo_ids: str | None,
    author: str | None,
) -> None:
    """Add, change or remove features of LAYER in scenario NAME (validated like a load; all or nothing)."""
    from analysis.scenarios import store
    from analysis.scenarios.edits import Edit, edits_from_file

    eng = app.engine()
    edits: list[Edit] = []
    if add_file:
        edits += edits_from_file(layer, add_file, "add")
    if change_file:
        edits += edits_from_file(layer, change_file, "change")
    if remove_ids:
        edits += [Edit(layer, "remove", i.strip()) for i in remove_ids.split(",") if i.strip()]
    if undo_ids:
        n = store.drop_edits(eng, name, [f"{layer}:{i.strip()}" for i in undo_ids.split(",") if i.strip()])
        app.say(f"Đã bỏ {n} chỉnh sửa / dropped {n} edit(s)")
    if edits:
        stored = store.add_edits(eng, name, edits, author=_author(author))
        app.say(f"Đã lưu {len(stored)} chỉnh sửa / stored {len(stored)} edit(s) in {name!r}")
    elif not undo_ids:
        raise click.UsageError("give --add FILE, --change FILE, --remove IDS or --undo IDS")


def _evaluate(app: App, name: str, only: tuple[str, ...]) -> tuple[list[Any], list[str]]:
    changes, notes, _ = _evaluate_edits(app, name, only)
    return changes, notes


def _evaluate_edits(app: App, name: str, only: tuple[str, ...]) -> tuple[list[Any], list[str], list[Any]]:
    """The evaluation (on the scenario's study area), the warnings (baseline changed, edits no
    longer applying) and the edits used."""
    from analysis.scenarios import store
    from analysis.scenarios.edits import validate_edits
    from analysis.scenarios.evaluate import evaluate_edits

    eng = app.engine()
    s = store.get(eng, name)
    edits = store.effective_edits(eng, name)
    stale = store.stale_edits(eng, edits, area=s.area)
    notes = _warnings(store.baseline_changes(eng, s), stale)
    gone = {e.key for e in stale}
    usable = [e for e in edits if e.key not in gone]
    if usable:  # edits drawn outside dothi (psql, QGIS) get the same checks as `scenario edit`
        usable = validate_edits(eng, usable, check_existing=False, area=s.area)
    changes = (
        evaluate_edits(eng, usable, only=only or None, data_dir=app.db.data_dir, area=s.area)
        if usable
        else []
    )
    return changes, notes, usable


@scenario.command("evaluate")
@click.argument("name")
@click.option("--indicator", "only", multiple=True, help="Only these indicators (repeatable).")
@click.option("--publish", is_flag=True, help="Publish the results (OGC API collection scenario-results).")
@_JSON
@pass_app
def evaluate(app: App, name: str, only: tuple[str, ...], publish: bool, as_json: bool) -> None:
    """Evaluate NAME against today's baseline and store its results."""
    from analysis.scenarios import store
    from analysis.scenarios.evaluate import summary
    from layers.notices import SCENARIO_RESULT, SYNTHETIC_RESULT

    changes, notes = _evaluate(app, name, only)
    count = store.save_results(app.engine(), name, changes, publish=publish)
    app.as_json = app.as_json or as_json
    lines = [f"{SCENARIO_RESULT['vi']} / {SCENARIO_RESULT['en']}", *notes]
    for ch in changes:
        city = ch.rows[ch.rows["level"] == "city"]
        head = f"{ch.indicator_id} ({ch.method}, {ch.seconds:.2f} s): {len(ch.rows)} unit(s) change"
        lines.append(head + (f"  [{SYNTHETIC_RESULT['en']}]" if ch.synthetic else ""))
        lines += [
            f"    {r.unit_id:<14} {ch.value_column} {r.before:.3f} → {r.after:.3f} ({r.change:+.3f})"
            for r in city.itertuples()
        ]
    lines.append(f"{count} result row(s) stored" + (" and published" if publish else ""))
    app.output(
        {
            "scenario": name,
            "area": store.get(app.engine(), name).area,
            "notes": notes,
            "indicators": summary(changes),
        },
        "\n".join(lines),
    )


@scenario.command("compare")
@click.argument("name")
@click.option("--indicator", "only", multiple=True, help="Only these indicators (repeatable).")
@click.option("--level", type=click.Choice(["city", "ward", "grid"]), default="ward", show_default=True)
@_JSON
@pass_app
def compare(app: App, name: str, only: tuple[str, ...], level: str, as_json: bool) -> None:
    """Before / after / change per indicator for the city and wards (or cells) that change."""
    from analysis.scenarios.evaluate import summary

    changes, notes = _evaluate(app, name, only)
    app.as_json = app.as_json or as_json
    lines = [*notes]
    for ch in changes:
        rows = ch.rows[ch.rows["level"].isin(["city", level])]
        lines.append(f"{ch.indicator_id} [{ch.value_column}]")
        lines += [
            f"  {r.level:<5} {r.unit_id:<28} {r.before:10.3f} {r.after:10.3f} {r.change:+10.3f}"
            for r in rows.itertuples()
        ]
    app.output(
        {"scenario": name, "notes": notes, "indicators": summary(changes)}, "\n".join(lines) or "(no change)"
    )


@scenario.command("export")
@click.argument("name")
@click.argument("path", type=click.Path(path_type=Path))
@pass_app
def export(app: App, name: str, path: Path) -> None:
    """Write NAME's effective edits to PATH (.gpkg: one table per layer; .geojson: one file)."""
    import geopandas as gpd

    from analysis.scenarios import store

    edits = store.effective_edits(app.engine(), name)
    if not edits:
        raise click.UsageError(f"scenario {name!r} has no edits")
    rows = [
        {
            "layer": e.layer,
            "op": e.op,
            "feature_id": e.feature_id,
            "attributes": json.dumps(dict(e.attributes)),
        }
        for e in edits
    ]
    frame = gpd.GeoDataFrame(rows, geometry=[e.geometry for e in edits], crs=4326)
    if path.suffix.lower() == ".gpkg":
        for layer, part in frame.groupby("layer"):
            part.to_file(path, layer=str(layer), driver="GPKG")
    else:
        frame.to_file(path, driver="GeoJSON")
    app.say(f"{len(edits)} chỉnh sửa → / edits → {path}")


@scenario.command("publish")
@click.argument("name")
@click.option("--unpublish", is_flag=True, help="Withdraw the published results.")
@pass_app
def publish(app: App, name: str, unpublish: bool) -> None:
    """Publish (or withdraw) NAME's evaluated results for anonymous readers."""
    from analysis.scenarios import store

    store.set_published(app.engine(), name, not unpublish)
    app.say(("Đã rút / withdrawn " if unpublish else "Đã công bố / published ") + repr(name))


def _with_removed_geometries(engine: Any, edits: list[Any], area: str) -> list[Any]:
    """Removals carry no geometry: take the removed feature's from the baseline layer (for the map)."""
    from dataclasses import replace

    from analysis.inputs import read_vector
    from layers.catalog import get_layer

    found: dict[str, Any] = {}
    for layer in sorted({e.layer for e in edits if e.op == "remove" and e.geometry is None}):
        frame = read_vector(engine, layer, required=False, area=area)
        if frame is not None:
            ids = frame[get_layer(layer).id_field].astype(str)
            found.update(zip(layer + ":" + ids, frame.to_crs(4326).geometry, strict=True))
    return [replace(e, geometry=found.get(e.key)) if e.op == "remove" else e for e in edits]


@scenario.command("report")
@click.argument("name")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "pdf"]),
    default="html",
    show_default=True,
    help="html: one self-contained file; pdf: the same printed to A4 (WeasyPrint).",
)
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True, help="Language.")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File (default NAME-LANG.FORMAT).",
)
@click.option("--indicator", "only", multiple=True, help="Only these indicators (repeatable).")
@pass_app
def report(  # noqa: PLR0917 - click passes every option
    app: App, name: str, fmt: str, lang: str, output: Path | None, only: tuple[str, ...]
) -> None:
    """The document a planner attaches to a proposal: NAME's edits, a map, who gains (people newly
    within reach of a school, clinic, stop or park, per ward and for the city), and per indicator
    the city and ward values before and after.  Evaluated against today's baseline (nothing stored).
    """
    from datetime import UTC, datetime

    from analysis.inputs import read_vector
    from analysis.scenarios import store
    from analysis.scenarios.who_gains import who_gains
    from api_config.scenario_report import ReportData, render_html, render_pdf

    path = output or Path(f"{name}-{lang}.{fmt}")
    if not path.parent.is_dir():
        raise click.BadParameter(
            f"thư mục không tồn tại / no such folder: {path.parent}", param_hint="--output"
        )
    app.progress(f"đánh giá kịch bản / evaluating {name!r}")
    changes, notes, usable = _evaluate_edits(app, name, only)
    eng = app.engine()
    app.progress("ai được lợi, bản đồ / who gains, map")
    scenario = store.get(eng, name)
    units = read_vector(eng, "admin_units", required=False, area=scenario.area)
    wards = None if units is None else units[units["vintage"] == units["vintage"].max()].to_crs(4326)
    data = ReportData(
        scenario=scenario,
        edits=_with_removed_geometries(eng, store.effective_edits(eng, name), scenario.area),
        changes=changes,
        gains=who_gains(eng, changes, usable, data_dir=app.db.data_dir, area=scenario.area),
        wards=wards,
        notes=notes,
        generated=datetime.now(UTC),
    )
    text = render_html(data, lang=lang)
    if fmt == "pdf":
        app.progress("in PDF / printing the PDF")
        path.write_bytes(render_pdf(text))
    else:
        path.write_text(text, encoding="utf-8")
    for note in notes:
        app.say(note)
    app.say(f"Báo cáo / report → {path}")
