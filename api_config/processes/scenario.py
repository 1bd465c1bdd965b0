"""``scenario-evaluate``: "what if we build a school here?" as a synchronous OGC API process.

Inputs: ``edits`` — a GeoJSON FeatureCollection of edits (each feature's properties hold ``layer``,
``op`` = add / change / remove, the layer's id field and attributes; a removal has no geometry) —
or ``scenario`` — the name of a saved scenario (``dothi scenario create``); optional ``indicators``
(ids) and, for a saved scenario, ``publish`` (store and publish its results as the
``scenario-results`` collection); ``area`` — the study area of inline edits (default ``mytho``; a
saved scenario is evaluated in its own area).  Execution needs an API key (planner or analyst), like every
process.  The answer: per touched indicator the city and ward rows that change (before, after,
change) at the indicator's published precision, the changed grid cells (GeoJSON features without
geometry, to join to ``<indicator>-grid`` on ``unit_id``; with their polygons when
``grid_geometry`` is true), how it was computed (incremental or full) and the scenario / synthetic
notices in both languages.  Edits are validated like loads; a bad edit is a 400 naming it, and
nothing is stored or evaluated.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pygeoapi.process.base import BaseProcessor, ProcessorExecuteError

from analysis.errors import IndicatorError
from analysis.scenarios import store
from analysis.scenarios.edits import Edit, edit_from_json, validate_edits
from analysis.scenarios.errors import ScenarioError
from analysis.scenarios.evaluate import evaluate_edits, summary
from api_config.processes.area_input import AREA_INPUT, AREA_INPUT_METADATA, pop_area
from api_config.providers.db import engine_for
from api_config.security.identity import current
from layers.notices import SCENARIO_RESULT, SYNTHETIC_RESULT

PROCESS_ID = "scenario-evaluate"
#: Edits one request may carry (bigger plans: save a scenario with `dothi scenario edit`).
MAX_EDITS = 200

METADATA: dict[str, Any] = {
    "version": "1.0.0",
    "id": PROCESS_ID,
    "title": {"vi": "Đánh giá kịch bản", "en": "Evaluate a scenario"},
    "description": {
        "vi": "Nếu xây một trường học, trạm y tế, điểm dừng hay công viên ở đây thì các chỉ số thay đổi "
        "thế nào? Nhận các chỉnh sửa (GeoJSON) hoặc tên một kịch bản đã lưu; trả về thay đổi theo "
        "thành phố, phường và ô lưới. Không thay đổi dữ liệu nền.",
        "en": "What if we build a school, health station, stop or park here? Takes edits (GeoJSON) or a "
        "saved scenario's name; returns the indicator changes per city, ward and grid cell. The "
        "baseline is never changed.",
    },
    "jobControlOptions": ["sync-execute"],
    "outputTransmission": ["value"],
    "keywords": ["scenario", "planning", "accessibility"],
    "links": [],
    "inputs": {
        "edits": {
            "title": {"vi": "Chỉnh sửa", "en": "Edits"},
            "description": {
                "vi": "FeatureCollection GeoJSON (CRS84); mỗi đối tượng có properties layer, op "
                "(add/change/remove), mã đối tượng và thuộc tính của lớp.",
                "en": "GeoJSON FeatureCollection (CRS84); each feature's properties: layer, op "
                f"(add/change/remove), the layer's id and attributes. At most {MAX_EDITS} edits.",
            },
            "schema": {"type": "object", "contentMediaType": "application/geo+json"},
            "minOccurs": 0,
            "maxOccurs": 1,
        },
        "scenario": {
            "title": {"vi": "Kịch bản đã lưu", "en": "Saved scenario"},
            "description": {
                "vi": "Tên kịch bản (thay cho edits).",
                "en": "A saved scenario's name (instead of edits).",
            },
            "schema": {"type": "string"},
            "minOccurs": 0,
            "maxOccurs": 1,
        },
        "indicators": {
            "title": {"vi": "Chỉ số", "en": "Indicators"},
            "description": {"vi": "Chỉ tính các chỉ số này.", "en": "Only these indicator ids."},
            "schema": {"type": "array", "items": {"type": "string"}},
            "minOccurs": 0,
            "maxOccurs": 1,
        },
        "grid_geometry": {
            "title": {"vi": "Hình ô lưới", "en": "Grid cell geometry"},
            "description": {
                "vi": "Mặc định các ô lưới thay đổi không kèm hình (mã ô, cấp, giá trị; nối với bộ sưu "
                "tập <chỉ số>-grid theo unit_id qua liên kết kèm theo); true: kèm đa giác của từng ô.",
                "en": "By default the changed grid cells come without geometry (cell id, level, values; "
                "join them to the <indicator>-grid collection on unit_id, linked in the answer); "
                "true: each cell with its polygon.",
            },
            "schema": {"type": "boolean", "default": False},
            "minOccurs": 0,
            "maxOccurs": 1,
        },
        AREA_INPUT: {
            **AREA_INPUT_METADATA,
            "description": {
                "vi": AREA_INPUT_METADATA["description"]["vi"]
                + " Với edits: vùng của các chỉnh sửa; kịch bản đã lưu được đánh giá trong vùng của nó.",
                "en": AREA_INPUT_METADATA["description"]["en"]
                + " With edits: the edits' study area; a saved scenario is evaluated in its own area.",
            },
        },
        "publish": {
            "title": {"vi": "Công bố", "en": "Publish"},
            "description": {
                "vi": "Lưu và công bố kết quả của kịch bản đã lưu (bộ sưu tập scenario-results).",
                "en": "Store and publish a saved scenario's results (collection scenario-results).",
            },
            "schema": {"type": "boolean", "default": False},
            "minOccurs": 0,
            "maxOccurs": 1,
        },
    },
    "outputs": {
        "result": {
            "title": {"vi": "Thay đổi chỉ số", "en": "Indicator changes"},
            "schema": {"type": "object", "contentMediaType": "application/json"},
        }
    },
    "example": {
        "inputs": {
            "edits": {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {
                            "layer": "schools",
                            "op": "add",
                            "school_id": "new-1",
                            "level": "primary",
                        },
                        "geometry": {"type": "Point", "coordinates": [106.36, 10.36]},
                    }
                ],
            }
        }
    },
}


def _bad(message: str) -> ProcessorExecuteError:
    return ProcessorExecuteError(message, user_msg=message)


#: JSON type names of the Python values a JSON body decodes to (for error messages).
_JSON_TYPES = {str: "string", int: "number", float: "number", list: "array", dict: "object"}


def _flag(data: dict[str, Any], name: str) -> bool:
    """A boolean input (absent or null: false); any other JSON type is a 400 naming the input."""
    value = data.get(name)
    if value is None:
        return False
    if not isinstance(value, bool):
        kind = _JSON_TYPES.get(type(value), type(value).__name__)
        raise _bad(
            f"'{name}' phải là true hoặc false, không phải {kind} / "
            f"Input '{name}' must be a boolean (true or false), not a {kind}."
        )
    return value


def parse_edits(collection: Any) -> list[Edit]:
    """Edits from a GeoJSON FeatureCollection (a 400 naming the feature when one is malformed)."""
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise _bad(
            "Đầu vào 'edits' phải là FeatureCollection GeoJSON / "
            "Input 'edits' must be a GeoJSON FeatureCollection."
        )
    features = collection.get("features")
    if not isinstance(features, list) or not features:
        raise _bad("'edits' không có đối tượng nào / Input 'edits' has no features.")
    if len(features) > MAX_EDITS:
        raise _bad(
            f"Tối đa {MAX_EDITS} chỉnh sửa / At most {MAX_EDITS} edits per request (got {len(features)})."
        )
    out = []
    for n, feature in enumerate(features, start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(props, dict):
            raise _bad(f"edits feature #{n}: cần properties / needs properties (layer, op, id)")
        item = {"layer": props.get("layer"), "op": props.get("op", "add"), "feature": feature}
        clean = {k: v for k, v in props.items() if k not in ("layer", "op")}
        item["feature"] = {**feature, "properties": clean}
        out.append(edit_from_json(item, where=f"edits feature #{n}"))
    return out


class ScenarioProcessor(BaseProcessor):
    """``processor: {name: api_config.processes.scenario.ScenarioProcessor, data: {…}}``."""

    def __init__(self, processor_def: dict[str, Any]) -> None:
        super().__init__(processor_def, METADATA)
        self.data = processor_def["data"]
        self.options = processor_def.get("options") or {}
        self.data_dir = Path(processor_def["data_dir"]) if processor_def.get("data_dir") else None
        self.base_url = str(processor_def.get("base_url") or "").rstrip("/")

    def execute(self, data: dict[str, Any], outputs: dict[str, Any] | None = None) -> tuple[str, Any]:
        data = dict(data or {})
        engine = engine_for(self.data, self.options)
        only = data.get("indicators")
        if only is not None and (not isinstance(only, list) or not all(isinstance(i, str) for i in only)):
            raise _bad("'indicators' phải là danh sách mã chỉ số / Input 'indicators' must be a list of ids.")
        grid_geometry = _flag(data, "grid_geometry")
        publish = _flag(data, "publish")
        name = data.get("scenario")
        given_area = AREA_INPUT in data
        area = pop_area(engine, data)
        try:
            if name is not None and data.get("edits") is not None:
                raise _bad("Chỉ một trong 'edits' và 'scenario' / Give 'edits' or 'scenario', not both.")
            notes: list[str] = []
            if name is not None:
                edits, notes, area = self._saved(engine, str(name), area if given_area else None)
            elif data.get("edits") is not None:
                edits = validate_edits(engine, parse_edits(data["edits"]), area=area)
            else:
                raise _bad("Thiếu 'edits' hoặc 'scenario' / Give input 'edits' or 'scenario'.")
            changes = evaluate_edits(engine, edits, only=only, data_dir=self.data_dir, area=area)
            if name is not None and publish:
                store.save_results(engine, str(name), changes, publish=True)
        except ScenarioError as exc:
            raise _bad(str(exc)) from exc
        except IndicatorError as exc:
            raise _bad(str(exc)) from exc
        who = current()
        synthetic = any(c.synthetic for c in changes)
        return "application/json", {
            "scenario": name,
            "area": area,
            "notice": SCENARIO_RESULT,
            **({"synthetic_notice": SYNTHETIC_RESULT} if synthetic else {}),
            "notes": notes,
            "edits": len(edits),
            "run_by": who.name if who else None,
            "indicators": summary(changes, grid_geometry=grid_geometry, base_url=self.base_url),
        }

    @staticmethod
    def _saved(engine: Any, name: str, area: str | None) -> tuple[list[Edit], list[str], str]:
        """The saved scenario's usable edits, the notes, and its study area (an ``area`` input
        naming another area is a 400)."""
        s = store.get(engine, name)
        if area is not None and area != s.area:
            raise _bad(
                f"Kịch bản {name!r} thuộc vùng {s.area!r}, không phải {area!r} / "
                f"Input 'area': scenario {name!r} is of study area {s.area!r}, not {area!r}."
            )
        edits = store.effective_edits(engine, name)
        stale = {e.key for e in store.stale_edits(engine, edits, area=s.area)}
        notes = [
            f"baseline changed since the scenario was drawn: {t}" for t in store.baseline_changes(engine, s)
        ]
        notes += [f"edit no longer applies (feature gone): {k}" for k in sorted(stale)]
        usable = [e for e in edits if e.key not in stale]
        clean = validate_edits(engine, usable, check_existing=False, area=s.area) if usable else []
        return clean, notes, s.area

    def __repr__(self) -> str:
        return f"<ScenarioProcessor> {PROCESS_ID}"


def process_resource(
    analyst_connection: dict[str, Any], *, data_dir: Path | None, timeout_ms: int, base_url: str = ""
) -> dict[str, Any]:
    """The pygeoapi resource entry of the process (added by :func:`api_config.config.build_config`)."""
    return {
        PROCESS_ID: {
            "type": "process",
            "processor": {
                "name": f"{__name__}.ScenarioProcessor",
                "data": analyst_connection,
                "options": {"statement_timeout_ms": timeout_ms, "pool_size": 2, "max_overflow": 2},
                **({"data_dir": str(data_dir)} if data_dir is not None else {}),
                "base_url": base_url,  # the grid collections' links in the answer
            },
        }
    }
