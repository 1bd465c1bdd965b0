"""Study areas: several cities, districts or a province side by side in one database.

Every layer table, results table, indicator run and load records the ``area`` its rows belong to
(``catalog.study_areas``, revision 0014).  ``mytho`` is the default, so every command without
``--area`` works on Mỹ Tho exactly as before.  A load replaces the rows of its own area only.

:func:`list_areas` is the contract other parts rely on (e.g. the Dask partitioning of indicator
runs): one :class:`Area` per study area with its code, names and bounding box in EPSG:4326.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Connection, Engine

from gis.sqlfiles import load_sql
from layers.catalog.types import DEFAULT_AREA
from layers.errors import LayerError

if TYPE_CHECKING:
    import geopandas as gpd

#: What an area code may look like (the CHECK of ``catalog.study_areas.area``).
AREA_PATTERN = re.compile(r"^[a-z0-9_]{1,63}$")
#: Characters of a rejected value an error message shows (the rest is counted, not echoed).
ECHO_LIMIT = 40

__all__ = [
    "AREA_PATTERN",
    "DEFAULT_AREA",
    "Area",
    "UnknownAreaError",
    "area_codes",
    "check_area_code",
    "echo_value",
    "ensure_area",
    "get_area",
    "list_areas",
    "prefixed_ids",
    "refresh_boundary",
    "require_area",
]


class UnknownAreaError(LayerError):
    """An area code that is not in ``catalog.study_areas`` (or not a valid code)."""

    exit_code = 14


@dataclass(frozen=True)
class Area:
    """One study area: code, names and bounding box ``(minx, miny, maxx, maxy)`` in EPSG:4326.

    ``bbox`` is the outline's extent, or that of the area's administrative units when it has no
    outline yet; None when neither is loaded.
    """

    code: str
    name_vi: str
    name_en: str
    bbox: tuple[float, float, float, float] | None
    source: str | None = None
    licence: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "area": self.code,
            "name_vi": self.name_vi,
            "name_en": self.name_en,
            "bbox": list(self.bbox) if self.bbox else None,
            "source": self.source,
            "licence": self.licence,
        }


def _cursor(conn: Connection) -> Any:
    return conn.connection.driver_connection.cursor()  # type: ignore[union-attr]


def _has_table(cur: Any) -> bool:
    cur.execute("SELECT to_regclass('catalog.study_areas') IS NOT NULL")
    return bool(cur.fetchone()[0])


def list_areas(engine: Engine) -> list[Area]:
    """Every study area of the database, by code (``[]`` before revision 0014)."""
    with engine.connect() as conn:
        cur = _cursor(conn)
        if not _has_table(cur):
            return []
        cur.execute(load_sql("layers", "areas_list"))
        rows = cur.fetchall()
    return [
        Area(
            code=r[0],
            name_vi=r[1],
            name_en=r[2],
            bbox=None if r[3] is None else (float(r[3]), float(r[4]), float(r[5]), float(r[6])),
            source=r[7],
            licence=r[8],
        )
        for r in rows
    ]


def area_codes(engine: Engine) -> list[str]:
    return [a.code for a in list_areas(engine)]


def echo_value(value: object, *, limit: int = ECHO_LIMIT) -> str:
    """A rejected value as an error message may show it: quoted with control and other
    non-printable characters escaped (``repr``: CR, LF, NUL never reach a log line or a response
    raw), and cut after ``limit`` characters with ``…`` and its length."""
    text = value if isinstance(value, str) else str(value)
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}… ({len(text)} ký tự / characters)"


def check_area_code(code: str, *, parameter: str = "area") -> str:
    """``code`` when it is a well-formed area code; a clear error naming ``parameter`` otherwise
    (the value echoed short and escaped, :func:`echo_value`)."""
    if not isinstance(code, str) or not AREA_PATTERN.fullmatch(code):
        raise UnknownAreaError(
            f"Mã vùng không hợp lệ / invalid {parameter} {echo_value(code)}.",
            hint="Lower-case letters, digits and _ only (e.g. mytho, tien_giang) / "
            "chỉ chữ thường, chữ số và _.",
        )
    return code


def prefixed_ids(frame: gpd.GeoDataFrame, id_field: str, area: str) -> gpd.GeoDataFrame:
    """``frame`` with its ids prefixed ``<area>:`` outside the default area: feature ids stay unique
    per table when two areas hold the same source features (the province contains the city)."""
    if area == DEFAULT_AREA:
        return frame
    return frame.assign(**{id_field: area + ":" + frame[id_field].astype(str)})


def get_area(engine: Engine, code: str, *, parameter: str = "area") -> Area:
    """The area called ``code``; an error naming ``parameter`` and listing the valid codes."""
    check_area_code(code, parameter=parameter)
    areas = list_areas(engine)
    for area in areas:
        if area.code == code:
            return area
    valid = ", ".join(a.code for a in areas) or "(none)"
    raise UnknownAreaError(
        f"Không có vùng nghiên cứu / unknown {parameter} {code!r}; valid / hợp lệ: {valid}.",
        hint="List them with `dothi areas list`; a province is added by `dothi load tien-giang`.",
    )


def require_area(engine: Engine, code: str, *, parameter: str = "area") -> str:
    """``code`` when that area exists (see :func:`get_area`)."""
    return get_area(engine, code, parameter=parameter).code


def ensure_area(
    conn: Connection,
    code: str,
    *,
    name_vi: str,
    name_en: str,
    source: str | None = None,
    licence: str | None = None,
) -> None:
    """Register (or rename) a study area inside the caller's transaction."""
    check_area_code(code)
    _cursor(conn).execute(
        load_sql("layers", "area_upsert"),
        {"area": code, "name_vi": name_vi, "name_en": name_en, "source": source, "licence": licence},
    )


def refresh_boundary(conn: Connection, code: str, *, vintage: int | None = None) -> None:
    """Set an area's outline to the union of its administrative units (of ``vintage`` if given)."""
    _cursor(conn).execute(load_sql("layers", "area_boundary"), {"area": code, "vintage": vintage})
