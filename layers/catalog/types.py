"""The types of the layer catalog: attributes, style hints, vector and raster layer specs.

From a :class:`LayerSpec` come its PostGIS table (:mod:`layers.tables`, used by the migrations), the
loader's validation (:mod:`layers.validate`), the pygeoapi collection (``api_config``) and the docs.
Every table also gets the common columns :data:`COMMON_COLUMNS` (``synthetic``, ``source``,
``load_id``) and a ``geom`` column in the storage CRS.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

AttrType = Literal["text", "integer", "real", "boolean", "date"]
Domain = Literal["land", "infrastructure", "environment"]
GeometryType = Literal["Point", "MultiPoint", "MultiLineString", "MultiPolygon"]


@dataclass(frozen=True)
class Attribute:
    """One attribute of a layer."""

    name: str
    type: AttrType
    title_vi: str
    title_en: str
    unit: str | None = None
    required: bool = False
    allowed: tuple[str | int, ...] | None = None
    description_en: str = ""
    minimum: float | None = None
    """Smallest value a number may take (checked by the loader), e.g. 0 for a population."""


@dataclass(frozen=True)
class StyleHint:
    """How the layer is drawn by default (QGIS styles and web maps)."""

    fill: str | None = None
    stroke: str = "#333333"
    stroke_width: float = 0.5
    label: str | None = None


@dataclass(frozen=True)
class LayerSpec:
    """Declaration of one vector layer."""

    name: str
    domain: Domain
    geometry: GeometryType
    id_field: str
    attributes: tuple[Attribute, ...]
    title_vi: str
    title_en: str
    description_vi: str
    description_en: str
    keywords_vi: tuple[str, ...] = ()
    keywords_en: tuple[str, ...] = ()
    licence: str = ""
    attribution: str = ""
    style: StyleHint = field(default_factory=StyleHint)

    @property
    def qualified_name(self) -> str:
        return f"{self.domain}.{self.name}"

    @property
    def table(self) -> str:
        return self.name

    @property
    def schema(self) -> str:
        return self.domain

    def attribute(self, name: str) -> Attribute:
        for attr in self.attributes:
            if attr.name == name:
                return attr
        raise KeyError(f"layer {self.qualified_name} has no attribute {name!r}")

    @property
    def attribute_names(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.attributes)


#: Columns every layer table has besides its declared attributes and ``geom``.
COMMON_COLUMNS: tuple[Attribute, ...] = (
    Attribute(
        "synthetic",
        "boolean",
        "Dữ liệu tổng hợp (giả lập)",
        "Synthetic (generated) data",
        required=True,
        description_en="True when the feature was generated, not observed.",
    ),
    Attribute("source", "text", "Nguồn dữ liệu", "Data source"),
    Attribute("load_id", "integer", "Mã lần nạp", "Load id (catalog.load_provenance)"),
    Attribute(
        "area",
        "text",
        "Vùng nghiên cứu",
        "Study area",
        required=True,
        description_en="Study area code (catalog.study_areas), e.g. mytho / Mã vùng nghiên cứu.",
    ),
)

#: The study area of rows loaded before areas existed, and of every command without ``--area``.
DEFAULT_AREA = "mytho"


@dataclass(frozen=True)
class RasterSpec:
    """Declaration of one raster layer.

    Rasters are stored as Cloud-Optimized GeoTIFFs in ``<data_dir>/rasters/<name>/`` (one file per
    year for time series) with one row per file in ``catalog.rasters``.  COGs rather than PostGIS
    rasters: pygeoapi's coverage provider, QGIS, rasterio and GDAL read them directly and by
    window, they stay out of the database's WAL and backups, and the analysis reads them with
    rasterio (zonal statistics run faster on arrays than on ``ST_SummaryStats`` over tiles).
    """

    name: str
    domain: Domain
    title_vi: str
    title_en: str
    description_vi: str
    description_en: str
    unit: str
    dtype: Literal["uint8", "int16", "float32"]
    resolution_m: float
    nodata: float
    by_year: bool = False
    categories: dict[int, tuple[str, str]] | None = None
    keywords_vi: tuple[str, ...] = ()
    keywords_en: tuple[str, ...] = ()
    licence: str = ""
    attribution: str = ""

    @property
    def qualified_name(self) -> str:
        return f"{self.domain}.{self.name}"
