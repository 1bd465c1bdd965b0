"""The ``area`` input of the indicator processes: which study area to compute (default ``mytho``)."""

from __future__ import annotations

from typing import Any

from pygeoapi.process.base import ProcessorExecuteError
from sqlalchemy.engine import Engine

from layers.areas import UnknownAreaError, require_area
from layers.catalog.types import DEFAULT_AREA

AREA_INPUT = "area"

#: The process description of the input.
AREA_INPUT_METADATA: dict[str, Any] = {
    "title": {"vi": "Vùng nghiên cứu", "en": "Study area"},
    "description": {
        "vi": "Mã vùng nghiên cứu (ví dụ mytho, tien_giang); mặc định mytho.",
        "en": "Study area code (e.g. mytho, tien_giang); mytho by default.",
    },
    "schema": {"type": "string", "pattern": "^[a-z0-9_]{1,63}$", "default": DEFAULT_AREA},
    "minOccurs": 0,
    "maxOccurs": 1,
}


def pop_area(engine: Engine, data: dict[str, Any]) -> str:
    """Take the ``area`` input out of ``data``; an unknown one is a 400 naming the input."""
    value = data.pop(AREA_INPUT, DEFAULT_AREA)
    try:
        return (
            require_area(engine, value, parameter="input 'area'") if isinstance(value, str) else _bad(value)
        )
    except UnknownAreaError as exc:
        raise ProcessorExecuteError(exc.message, user_msg=exc.message) from exc


def _bad(value: Any) -> str:
    message = f"Input 'area' must be a string (a study area code), got {type(value).__name__}."
    raise ProcessorExecuteError(message, user_msg=message)
