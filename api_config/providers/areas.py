"""The ``area`` query parameter of the features collections: an unknown study area is a 400 that
names the parameter and lists the valid codes (never an empty 200 that looks like "no data")."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pygeoapi.provider.base import ProviderInvalidQueryError

from gis.sqlfiles import load_sql
from layers.areas import echo_value


def area_values(properties: Iterable[tuple[str, str]]) -> list[str]:
    """The values given to ``area=`` in a request's property filters."""
    return [value for name, value in properties if name == "area"]


def check_areas(cur: Any, values: list[str]) -> None:
    """Raise a 400 when one of ``values`` is not a study area of the database."""
    if not values:
        return
    cur.execute(load_sql("api_config.providers", "area_codes"))
    valid = [row[0] for row in cur.fetchall()]
    unknown = [v for v in values if v not in valid]
    if unknown:
        shown = echo_value(unknown[0])  # short and escaped: the value may be anything
        message = (
            f"Parameter 'area': unknown study area {shown} / không có vùng nghiên cứu "
            f"{shown}. Valid / hợp lệ: {', '.join(valid)}."
        )
        raise ProviderInvalidQueryError(message, user_msg=message)
