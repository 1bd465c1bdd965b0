"""OGC API – Records: a catalogue of every layer, raster and indicator, generated from the catalogs.

Each record carries titles and descriptions in Vietnamese and English, keywords, licence and
attribution, and — for layers that have been loaded — provenance from ``catalog.load_provenance``
(latest load time, source, version, whether the data is synthetic).  The catalogue is small (tens of
records), so it is built per request and searched in Python: ``q`` (free text), ``type``, ``domain``,
``synthetic`` and ``sortby`` on any property; ``filter`` (CQL2) is refused with a 400.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pygeoapi.provider.base import BaseProvider, ProviderItemNotFoundError, SchemaType

from analysis.provenance import ResultProvenance, result_provenance
from analysis.registry import INDICATORS, IndicatorSpec
from api_config.providers.db import engine_for
from api_config.providers.params import coerce
from api_config.providers.postgis import PooledCursor, invalid
from api_config.providers.tables import Field
from gis.sqlfiles import load_sql
from layers.catalog import LAYERS, RASTERS, LayerSpec, RasterSpec
from layers.notices import SYNTHETIC_RESULT

_FIELDS = {
    "type": Field("type", "string", "Loại", "Record type"),
    "title": Field("title", "string", "Tên", "Title"),
    "description": Field("description", "string", "Mô tả", "Description"),
    "domain": Field("domain", "string", "Lĩnh vực", "Domain"),
    "license": Field("license", "string", "Giấy phép", "Licence"),
    "synthetic": Field("synthetic", "boolean", "Dữ liệu tổng hợp", "Synthetic data"),
}


def _layer(spec: LayerSpec) -> dict[str, Any]:
    return {
        "id": spec.name,
        "type": "dataset",
        "domain": spec.domain,
        "title": f"{spec.title_vi} / {spec.title_en}",
        "description": f"{spec.description_vi}\n\n{spec.description_en}",
        "keywords": [*spec.keywords_vi, *spec.keywords_en],
        "license": spec.licence,
        "attribution": spec.attribution,
        "geometry_type": spec.geometry,
        "layer": spec.qualified_name,
    }


def _raster(spec: RasterSpec) -> dict[str, Any]:
    return {
        "id": f"raster-{spec.name}",
        "type": "dataset",
        "domain": spec.domain,
        "title": f"{spec.title_vi} / {spec.title_en}",
        "description": f"{spec.description_vi}\n\n{spec.description_en}",
        "keywords": [*spec.keywords_vi, *spec.keywords_en, "raster"],
        "license": spec.licence,
        "attribution": spec.attribution,
        "unit": spec.unit,
        "resolution_m": spec.resolution_m,
        "layer": spec.qualified_name,
    }


def _indicator(spec: IndicatorSpec) -> dict[str, Any]:
    return {
        "id": f"indicator-{spec.id}",
        "type": "indicator",
        "domain": "analysis",
        "title": f"{spec.title_vi} / {spec.title_en}",
        "description": f"{spec.description_vi}\n\n{spec.description_en}\n\nLimitations: {spec.limitations}",
        "keywords": [*spec.keywords_vi, *spec.keywords_en, spec.theme],
        "license": "Derived from the input layers; see their licences",
        "standard": spec.standard,
        "formula": spec.formula,
        "unit": spec.unit,
        "inputs": list(spec.inputs),
    }


def _with_results(record: dict[str, Any], provenance: ResultProvenance | None) -> None:
    """Whether the indicator's published results were computed from generated data (false when
    nothing is published), which layers, and the notice in both languages."""
    record["published"] = provenance is not None
    record["synthetic"] = bool(provenance and provenance.synthetic)
    record["synthetic_inputs"] = list(provenance.synthetic_inputs) if provenance else []
    if record["synthetic"]:
        record["notice"] = f"{SYNTHETIC_RESULT['vi']} / {SYNTHETIC_RESULT['en']}"
        record["description"] = f"{record['notice']}\n\n{record['description']}"


class CatalogueProvider(BaseProvider):
    """Record provider over the layer catalog, raster catalog and indicator registry."""

    def __init__(self, provider_def: dict[str, Any]) -> None:
        super().__init__(provider_def)
        self.engine = engine_for(self.data, provider_def.get("options"), read_only=True)
        self.id_field = "id"
        self._fields = {
            n: {"type": f.type, "title": f"{f.title_vi} / {f.title_en}"} for n, f in _FIELDS.items()
        }

    def get_fields(self) -> dict[str, Any]:
        return self._fields

    def get_schema(self, schema_type: SchemaType = SchemaType.item) -> tuple[str, dict[str, Any]]:
        return "application/geo+json", {"type": "object", "properties": self._fields}

    def _provenance(self) -> dict[str, tuple[Any, ...]]:
        with PooledCursor(self.engine) as cur:
            cur.execute(load_sql("api_config", "layer_inventory"))
            return {row[0]: row for row in cur.fetchall()}

    def _results(self) -> dict[str, ResultProvenance | None]:
        """The synthetic status of every indicator's published results."""
        with PooledCursor(self.engine) as cur:
            return {f"indicator-{spec.id}": result_provenance(cur, spec) for spec in INDICATORS.values()}

    def records(self) -> list[dict[str, Any]]:
        """Every record as a GeoJSON feature (no geometry: the extents are on the collections)."""
        loads = self._provenance()
        results = self._results()
        props = [
            *map(_layer, LAYERS.values()),
            *map(_raster, RASTERS.values()),
            *map(_indicator, INDICATORS.values()),
        ]
        out = []
        for p in props:
            load = loads.get(p.get("layer", ""))
            if load is not None:
                p["updated"] = load[1].isoformat(timespec="seconds")
                p["provenance"] = {"source": load[2], "layer_version": load[3], "synthetic": load[4]}
                p["synthetic"] = bool(load[4])
            if p["type"] == "indicator":
                _with_results(p, results.get(p["id"]))
            p.setdefault("synthetic", None)
            out.append({"type": "Feature", "id": p["id"], "geometry": None, "properties": p})
        return out

    def query(
        self,
        offset: int = 0,
        limit: int = 10,
        resulttype: str = "results",
        bbox: list[float] | None = None,
        properties: list[tuple[str, str]] | None = None,
        sortby: list[dict[str, str]] | None = None,
        q: str | None = None,
        filterq: Any = None,
        datetime_: str | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        if filterq is not None:
            raise invalid("Parameter 'filter' is not supported on the catalogue; use q or type/domain.")
        if bbox:
            raise invalid("Parameter 'bbox' is not supported on the catalogue (records have no geometry).")
        if datetime_:
            raise invalid("Parameter 'datetime' is not supported on the catalogue.")
        found = self.records()
        for name, value in properties or []:
            if name not in _FIELDS:
                raise invalid(f"Unknown query parameter {name!r}; queryables: {', '.join(_FIELDS)}.")
            wanted = coerce(name, value, _FIELDS[name])
            found = [r for r in found if r["properties"].get(name) == wanted]
        if q:
            words = q.lower().replace(",", " ").split()
            found = [r for r in found if all(w in _text(r) for w in words)]
        for item in reversed(sortby or []):
            found.sort(key=_sort_key(item["property"]), reverse=item.get("order") == "-")
        page = found[offset : offset + limit] if resulttype == "results" else []
        return {
            "type": "FeatureCollection",
            "features": page,
            "numberMatched": len(found),
            "numberReturned": len(page),
        }

    def get(self, identifier: str, **kwargs: Any) -> dict[str, Any]:
        for record in self.records():
            if record["id"] == identifier:
                return record
        raise ProviderItemNotFoundError(f"No record {identifier!r}", user_msg=f"No record {identifier!r}.")


def _text(record: dict[str, Any]) -> str:
    p = record["properties"]
    return " ".join([p["title"], p["description"], *p["keywords"]]).lower()


def _sort_key(name: str) -> Callable[[dict[str, Any]], str]:
    def key(record: dict[str, Any]) -> str:
        return str(record["properties"].get(name) or "")

    return key
