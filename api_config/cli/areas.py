"""``dothi areas`` and ``dothi load tien-giang``: several study areas in one database.

Every command that reads or writes area data takes ``--area CODE`` (default ``mytho``, so every
command without it works on Mỹ Tho as before); :func:`area_option` is that option.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any, TypeVar

import click

from api_config.cli.app import App, cli, pass_app
from api_config.cli.load import _emit, load

F = TypeVar("F", bound=Callable[..., Any])
_CODE = re.compile(r"^[a-z0-9_]{1,63}$")


def _check_code(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not _CODE.match(value):
        raise click.BadParameter(
            f"{value!r}: chỉ chữ thường, chữ số và _ / lower-case letters, digits and _ only "
            "(e.g. tien_giang).",
            param_hint="--area",
        )
    return value


def area_option(default: str | None = "mytho") -> Callable[[F], F]:
    """``--area CODE``: the study area a command works on (``dothi areas list``)."""
    return click.option(
        "--area",
        default=default,
        show_default=default is not None,
        callback=_check_code,
        help="Vùng nghiên cứu / study area code (dothi areas list), e.g. mytho, tien_giang.",
    )


@cli.group()
def areas() -> None:
    """Vùng nghiên cứu / study areas held side by side (cities, districts, a province)."""


@areas.command("list")
@pass_app
def areas_list(app: App) -> None:
    """Mã, tên và khung bao / code, names and bounding box (EPSG:4326) of every study area."""
    from layers.areas import list_areas

    rows = [a.to_dict() for a in list_areas(app.engine())]
    lines = [f"{'area':<20} {'bbox (minx, miny, maxx, maxy)':<44} name"]
    for r in rows:
        bbox = ", ".join(f"{v:.4f}" for v in r["bbox"]) if r["bbox"] else "—"
        lines.append(f"{r['area']:<20} {bbox:<44} {r['name_vi']} / {r['name_en']}")
    app.output(rows, "\n".join(lines))


@load.command("tien-giang")
@area_option(default="tien_giang")
@click.option(
    "--communes",
    help="Chỉ các xã này / only these communes: comma-separated censusVN2009 codes (e.g. "
    "8070101,8070103) — a small area for tests and trials; give it its own --area.",
)
@click.option(
    "--synthetic/--no-synthetic",
    default=False,
    show_default=True,
    help="Cũng sinh dữ liệu tổng hợp / also generate the synthetic layers for every commune.",
)
@click.option("--seed", type=int, default=2019, show_default=True, help="Seed of the generator.")
@click.option(
    "--scale",
    type=click.FloatRange(min=0.01, max=1.0),
    default=1.0,
    show_default=True,
    help="Fraction of the census households to generate (with --synthetic).",
)
@pass_app
def load_tien_giang(
    app: App, *, area: str, communes: str | None, synthetic: bool, seed: int, scale: float
) -> None:
    """Tỉnh Tiền Giang cũ / the former Tiền Giang province as study area AREA: the 173 communes
    and wards (censusVN2009 boundaries, 2009 and 2019 censuses, households) and the 57 wards of
    2025. Other areas are never touched. With --synthetic the generator then produces the missing
    layers (streets, buildings, facilities…, labelled synthetic) calibrated to every commune.
    """
    from layers.sources import tien_giang

    if area == "mytho":
        raise click.BadParameter("mytho is Mỹ Tho's area; choose another code.", param_hint="--area")
    started = time.monotonic()
    codes = [c.strip() for c in communes.split(",") if c.strip()] if communes else None
    _emit(app, tien_giang.load(app.engine(), area=area, communes=codes, progress=app.progress), started)
    if synthetic:
        from layers.synthetic.generate import generate_and_load

        report = generate_and_load(
            app.engine(), app.db.data_dir, seed=seed, progress=app.progress, scale=scale, area=area
        )
        app.say("\n".join(report.lines()))
