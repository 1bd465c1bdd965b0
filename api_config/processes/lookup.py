"""Tra cứu quy hoạch as an OGC API process (``lookup``, synchronous): the same answer as
``GET /lookup`` (:func:`api_config.lookup.place.lookup`) for QGIS's processing toolbox and scripts
that speak OGC API – Processes.  Like every process it runs with an API key; the anonymous,
rate-limited route for citizens is ``GET /lookup``."""

from __future__ import annotations

from typing import Any

from pygeoapi.process.base import BaseProcessor, ProcessorExecuteError

from api_config.lookup.place import LookupInputError, lookup, parse_point
from api_config.providers.db import engine_for

PROCESS_ID = "lookup"

METADATA: dict[str, Any] = {
    "version": "1.0.0",
    "id": PROCESS_ID,
    "title": {"vi": "Tra cứu quy hoạch", "en": "Planning look-up"},
    "description": {
        "vi": "Tại một điểm: phường/xã (ranh giới 2019 và 2025), sử dụng đất hiện trạng và quy hoạch "
        "kèm ý nghĩa mã đất, mức ngập theo các mực nước mô hình, khoảng cách đi bộ (theo mạng đường) "
        "tới trường học, cơ sở y tế, chợ, điểm dừng xe buýt và công viên gần nhất, và các chỉ số của "
        "phường so với toàn thành phố. Cũng có tại GET /lookup?lon=&lat=.",
        "en": "At one point: the ward (2019 and 2025 boundaries), current and planned land use with "
        "the code's meaning, flood exposure at the modelled water levels, the walking distance (along "
        "the street network) to the nearest school, health facility, market, transit stop and park, "
        "and the ward's indicators against the city. Also at GET /lookup?lon=&lat=.",
    },
    "jobControlOptions": ["sync-execute"],
    "outputTransmission": ["value"],
    "keywords": ["planning", "look-up", "quy hoạch"],
    "links": [],
    "inputs": {
        "lon": {
            "title": {"vi": "Kinh độ", "en": "Longitude"},
            "description": {"vi": "WGS 84, trong thành phố", "en": "WGS 84, inside the city"},
            "schema": {"type": "number", "minimum": -180, "maximum": 180},
            "minOccurs": 1,
            "maxOccurs": 1,
        },
        "lat": {
            "title": {"vi": "Vĩ độ", "en": "Latitude"},
            "description": {"vi": "WGS 84, trong thành phố", "en": "WGS 84, inside the city"},
            "schema": {"type": "number", "minimum": -90, "maximum": 90},
            "minOccurs": 1,
            "maxOccurs": 1,
        },
        "lang": {
            "title": {"vi": "Ngôn ngữ", "en": "Language"},
            "description": {"vi": "vi hoặc en", "en": "vi or en"},
            "schema": {"type": "string", "enum": ["vi", "en"], "default": "vi"},
            "minOccurs": 0,
            "maxOccurs": 1,
        },
    },
    "outputs": {
        "result": {
            "title": {"vi": "Kết quả tra cứu", "en": "Look-up result"},
            "schema": {"type": "object", "contentMediaType": "application/json"},
        }
    },
    "example": {"inputs": {"lon": 106.36, "lat": 10.355, "lang": "vi"}},
}


class LookupProcessor(BaseProcessor):
    """``processor: {name: <this class>, data: {…the processes' login…}, options: {…}}``; the
    connection is read-only."""

    def __init__(self, processor_def: dict[str, Any]) -> None:
        super().__init__(processor_def, METADATA)
        self.data = processor_def["data"]
        self.options = processor_def.get("options") or {}

    def execute(self, data: dict[str, Any], outputs: dict[str, Any] | None = None) -> tuple[str, Any]:
        data = dict(data or {})
        try:
            lon, lat = parse_point(data.get("lon"), data.get("lat"))
            engine = engine_for(self.data, self.options, read_only=True)
            with engine.connect() as conn:
                cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
                answer = lookup(cur, lon, lat, str(data.get("lang") or "vi"))
        except LookupInputError as exc:
            raise ProcessorExecuteError(str(exc)) from exc
        return "application/json", answer


def process_resource(login: dict[str, Any], statement_timeout_ms: int) -> dict[str, Any]:
    """The pygeoapi resource of the process (``resources[PROCESS_ID]``)."""
    return {
        PROCESS_ID: {
            "type": "process",
            "processor": {
                "name": f"{__name__}.LookupProcessor",
                "data": login,
                "options": {"statement_timeout_ms": statement_timeout_ms, "pool_size": 1, "max_overflow": 2},
            },
        }
    }
