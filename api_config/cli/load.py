"""``dothi load``, ``dothi layers`` and ``dothi export``: getting data in, seeing it, taking it out.

``dothi load <layer> <file>`` loads any supported vector file into a catalog layer;
``dothi load osm <extract>``, ``dothi load gtfs <feed>`` and ``dothi load mytho`` load whole sources.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from api_config.cli.app import App, LazyChoice, cli, pass_app
from layers.catalog import LAYERS, TRANSIT_STOPS, get_layer

if TYPE_CHECKING:
    import shapely

    from layers.load import LoadReport


class LoadGroup(click.Group):
    """``dothi load <layer> <file>`` when the first word is not a sub-command (osm, gtfs, mytho)."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            return "layer", self.commands["layer"], args
        return super().resolve_command(ctx, args)


@cli.group(cls=LoadGroup)
@pass_app
def load(app: App, what: str | None = None) -> None:
    """Load data into the layers.

    \b
      dothi load <layer> <file> [--source-layer L] [--crs EPSG:…] [--map src=dst …]
                                [--mode replace|append|upsert] [--force] [--area CODE]
      dothi load osm <extract.osm.pbf> [--boundary file] [--area CODE]
      dothi load gtfs <feed.zip> [--date YYYY-MM-DD] [--area CODE]
      dothi load mytho          the bundled real Mỹ Tho boundaries and 2009/2019 censuses
      dothi load tien-giang     the former Tiền Giang province (173 communes) as area tien_giang
                                [--area CODE] [--communes id,…] [--synthetic]

    Formats: GeoPackage, GeoJSON, zipped Shapefile, GeoParquet, FlatGeobuf, CSV (lon/lat or WKT
    columns; needs --crs), KML.  Every load is validated first and written in one transaction.
    """
    # ``ctx.invoke(load, what="mytho")`` (used by ``dothi demo``) still loads the bundled data.
    if what == "mytho":
        _load_mytho(app)


def _emit(app: App, reports: list[LoadReport], started: float) -> None:
    for report in reports:
        app.say(report.summary())
        for note in report.notes:
            app.say(f"  note: {note}")
        if report.synthetic_removed:
            app.say(f"  {report.synthetic_removed} synthetic feature(s) replaced by real data.")
        for repair in report.repairs[:5]:
            app.say(f"  repaired: {repair}")
    if app.as_json:
        app.output([r.__dict__ for r in reports], "")
    else:
        app.progress(f"done in {time.monotonic() - started:.1f} s")


_AREA = click.option(
    "--area",
    default="mytho",
    show_default=True,
    help="Vùng nghiên cứu / study area the features belong to (dothi areas list); a load replaces only "
    "its rows, and the extent check uses its outline.",
)


def _require_area(app: App, area: str) -> None:
    """Refuse an unknown --area before reading the source (the valid codes in the message)."""
    from layers.areas import require_area

    require_area(app.engine(), area, parameter="--area")


@load.command("layer")
@click.argument("layer")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--source-layer", help="Layer inside a multi-layer file (GeoPackage, KML).")
@click.option(
    "--crs", help="CRS of the file when it has none (or to override), e.g. EPSG:3405, VN2000-TM3-TIENGIANG."
)
@click.option("--map", "renames", multiple=True, metavar="SRC=DST", help="Rename a column (repeatable).")
@click.option("--mode", type=LazyChoice("layers.load", "MODES"), default="replace", show_default=True)
@click.option("--encoding", help="Shapefile text encoding (utf-8, cp1258, tcvn3); guessed when omitted.")
@click.option("--force", is_flag=True, help="Load even if the features lie far outside the study area.")
@_AREA
@pass_app
def load_layer(
    app: App,
    *,
    layer: str,
    source: Path,
    source_layer: str | None,
    crs: str | None,
    renames: tuple[str, ...],
    mode: str,
    encoding: str | None,
    force: bool,
    area: str,
) -> None:
    """Load a vector file into LAYER (e.g. buildings, roads, land_use)."""
    from layers.load import load_file
    from layers.readers import parse_renames

    started = time.monotonic()
    spec = get_layer(layer)
    _require_area(app, area)
    report = load_file(
        app.engine(),
        spec,
        source,
        source_layer=source_layer,
        crs=crs,
        renames=parse_renames(renames),
        encoding=encoding,
        mode=mode,  # type: ignore[arg-type]
        force=force,
        progress=app.progress,
        area=area,
    )
    _emit(app, [report], started)


def _boundary(path: Path | None) -> shapely.Geometry | None:
    if path is None:
        return None
    import shapely

    from layers.readers import read_source

    frame = read_source(path).frame.to_crs(4326)
    return shapely.union_all(frame.geometry.to_numpy())


@load.command("osm")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--boundary", type=click.Path(path_type=Path), help="Keep only features intersecting it.")
@click.option("--force", is_flag=True, help="Load even if the extract lies far outside the study area.")
@_AREA
@pass_app
def load_osm(app: App, source: Path, boundary: Path | None, force: bool, area: str) -> None:
    """Load an OpenStreetMap extract into roads, buildings, schools, health facilities, markets,
    green spaces, water bodies and transit stops (mapping: docs/osm-mapping.md).

    The OSM features of each layer replace the previous OSM features and the layer's synthetic
    features of the study area --area, all in one transaction; outside mytho the ids are
    prefixed with the area (osm:n1 → tien_giang:osm:n1).
    """
    from layers.load import FrameLoad, SourceInfo, file_checksum, load_in_area
    from layers.osm import ATTRIBUTION as OSM_ATTRIBUTION
    from layers.osm import LICENCE as OSM_LICENCE
    from layers.osm import read_osm

    started = time.monotonic()
    _require_area(app, area)
    result = read_osm(source, boundary=_boundary(boundary), progress=app.progress)
    checksum = file_checksum([source, *([boundary] if boundary else [])])
    items = []
    for name, frame in result.frames.items():
        info = SourceInfo(str(source), checksum, "EPSG:4326", OSM_LICENCE, OSM_ATTRIBUTION)
        notes = (
            [f"{result.rejected[name]} feature(s) with unusable geometry skipped"]
            if result.rejected[name]
            else []
        )
        items.append(
            FrameLoad(
                LAYERS[name], frame, info, scope={"source": "OpenStreetMap"}, drop_synthetic=True, notes=notes
            )
        )
    reports = load_in_area(
        app.engine(), items, area=area, force=force, prefix_ids=True, progress=app.progress
    )
    for report, name in zip(reports, result.frames, strict=True):
        report.rejected = result.rejected[name]
    _emit(app, reports, started)


@load.command("gtfs")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--date", "service_date", type=click.DateTime(["%Y-%m-%d", "%Y%m%d"]), help="Service day.")
@click.option("--force", is_flag=True, help="Load even if the stops lie far outside the study area.")
@_AREA
@pass_app
def load_gtfs(app: App, source: Path, service_date: dt.datetime | None, force: bool, area: str) -> None:
    """Load a GTFS feed's stops into transit_stops with weekday departures and peak headway.

    The feed's stops replace that feed's stops and the synthetic stops of the study area --area;
    outside mytho the stop ids are prefixed with the area."""
    from layers.gtfs import read_gtfs
    from layers.load import FrameLoad, SourceInfo, file_checksum, load_in_area

    started = time.monotonic()
    _require_area(app, area)
    app.progress(f"reading GTFS {source}")
    result = read_gtfs(source, service_date=service_date.date() if service_date else None)
    info = SourceInfo(str(source), file_checksum([source]), "EPSG:4326", "as published by the operator", "")
    note = f"frequencies for service day {result.service_date.isoformat()} ({result.trips_running} trips)"
    item = FrameLoad(
        TRANSIT_STOPS,
        result.frame,
        info,
        scope={"source": f"GTFS {source.name}"},
        drop_synthetic=True,
        notes=[note],
    )
    reports = load_in_area(
        app.engine(), [item], area=area, force=force, prefix_ids=True, progress=app.progress
    )
    _emit(app, reports, started)


@load.command("mytho")
@pass_app
def load_mytho(app: App) -> None:
    """The bundled real Mỹ Tho boundaries (17 + 5 units) and the 2009 and 2019 censuses."""
    _load_mytho(app)


def _load_mytho(app: App) -> None:
    from layers.sources import mytho

    started = time.monotonic()
    _emit(app, mytho.load_bundles(app.engine(), progress=app.progress), started)


# -- layers ---------------------------------------------------------------------------------
@cli.group()
def layers() -> None:
    """What is loaded: layers, counts and load history."""


@layers.command("list")
@pass_app
def layers_list(app: App) -> None:
    """Layers with feature counts and their last load."""
    from api_config.inventory import layer_inventory

    rows = layer_inventory(app.engine())
    lines = [f"{'layer':<34} {'features':>9}  {'last load (UTC)':<25}  source"]
    for r in rows:
        count = "—" if r["features"] is None else str(r["features"])
        lines.append(f"{r['layer']:<34} {count:>9}  {r['last_loaded'] or '—':<25}  {r['source'] or ''}")
    app.output(rows, "\n".join(lines))


@layers.command("history")
@click.argument("layer")
@pass_app
def layers_history(app: App, layer: str) -> None:
    """Every load of LAYER, newest first: when, by whom, from what, how many features."""
    from layers.load import history

    spec = get_layer(layer)
    rows = history(app.engine(), spec)
    lines = [f"{spec.qualified_name}: {len(rows)} load(s)"]
    lines += [_history_line(r) for r in rows]
    app.output(rows, "\n".join(lines))


def _history_line(r: dict[str, Any]) -> str:
    when = r["loaded_at"].isoformat(timespec="seconds") if r["loaded_at"] else "—"
    scope = f" scope {r['scope']}" if r["scope"] else ""
    return (
        f"  v{r['layer_version']:<3} load {r['load_id']:<5} {when}  {r['mode']:<7}{scope}  "
        f"read {r['features_read']}, repaired {r['features_repaired']}, rejected "
        f"{r['features_rejected']}, written {r['features_written']}  ← {r['source_path']}"
        + ("  [synthetic]" if r["synthetic"] else "")
    )


@cli.command("export")
@click.argument("name")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=LazyChoice("layers.export", "FORMATS"),
    help="Output format; by default from PATH's suffix (.gpkg .parquet .csv .geojson .fgb .zip).",
)
@click.option("--level", help="Indicators: only this level (city, ward, grid, block…).")
@click.option("--vintage", type=int, help="Indicators: only this vintage (e.g. 2025 or 2019 wards).")
@click.option("--area", help="Vùng nghiên cứu / only this study area (dothi areas list); default: all.")
@pass_app
def export(
    app: App,
    name: str,
    path: Path,
    *,
    fmt: str | None,
    level: str | None,
    vintage: int | None,
    area: str | None,
) -> None:
    """Write a layer or an indicator's results to PATH, in the format of its suffix: GeoPackage
    (.gpkg), GeoParquet (.parquet), CSV with WKT (.csv), GeoJSON, FlatGeobuf, Shapefile (.zip).

    NAME is a layer (``admin_units``) or an indicator id (``population_density``); an
    indicator's rows can be narrowed to one ``--level`` and ``--vintage``."""
    from analysis.registry import INDICATORS

    if area is not None:
        from layers.areas import require_area

        require_area(app.engine(), area, parameter="--area")
    if name in INDICATORS:
        from analysis.export import export_indicator

        report = export_indicator(
            app.engine(), INDICATORS[name], path, fmt=fmt, level=level, vintage=vintage, area=area
        )
    else:
        from layers.export import export_layer

        if level is not None or vintage is not None:
            raise click.BadParameter(
                f"{name!r} is a layer; --level and --vintage apply to indicator results.",
                param_hint="--level",
            )
        report = export_layer(app.engine(), get_layer(name), path, fmt=fmt, area=area)
    text = f"{report.layer}: {report.features} feature(s) written to {report.path} ({report.format})."
    text += "".join(f"\n  note: {n}" for n in report.notes)
    app.output(report.__dict__, text)
