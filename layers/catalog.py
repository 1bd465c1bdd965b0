"""The layer catalog: every layer declared once.

From a :class:`LayerSpec` come its PostGIS table (:mod:`layers.tables`, used by the migrations), the
loader's validation (:mod:`layers.validate`), the pygeoapi collection (``api_config``) and the docs.
Every table also gets the common columns :data:`COMMON_COLUMNS` (``synthetic``, ``source``,
``load_id``) and a ``geom`` column in the storage CRS.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from layers.errors import UnknownLayerError

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
)

ADMIN_UNITS = LayerSpec(
    name="admin_units",
    domain="land",
    geometry="MultiPolygon",
    id_field="unit_id",
    attributes=(
        Attribute(
            "unit_id",
            "text",
            "Mã đơn vị (kèm năm)",
            "Unit id (with vintage)",
            required=True,
            description_en="'<vintage>-<code>', unique across vintages",
        ),
        Attribute(
            "vintage",
            "integer",
            "Năm ranh giới",
            "Boundary vintage",
            required=True,
            description_en="Year of the administrative structure the boundary belongs to",
        ),
        Attribute("code", "text", "Mã hành chính", "Administrative code", required=True),
        Attribute("name_vi", "text", "Tên (tiếng Việt)", "Name (Vietnamese)", required=True),
        Attribute("name_en", "text", "Tên (không dấu/tiếng Anh)", "Name (English)"),
        Attribute(
            "level",
            "text",
            "Cấp",
            "Level",
            required=True,
            allowed=("ward", "commune", "town", "district", "city", "province"),
            description_en="phường = ward, xã = commune, thị trấn = town",
        ),
        Attribute("parent_name_vi", "text", "Đơn vị cấp trên", "Parent unit"),
        Attribute("population", "integer", "Dân số", "Population", unit="persons"),
        Attribute("population_urban", "integer", "Dân số thành thị", "Urban population", unit="persons"),
        Attribute("population_rural", "integer", "Dân số nông thôn", "Rural population", unit="persons"),
        Attribute("households", "integer", "Số hộ", "Households", unit="households"),
        Attribute(
            "population_year",
            "integer",
            "Năm dân số",
            "Population year",
            description_en="Census year of the population figures",
        ),
        Attribute("official_area_km2", "real", "Diện tích chính thức", "Official area", unit="km²"),
    ),
    title_vi="Đơn vị hành chính (phường, xã)",
    title_en="Administrative units (wards and communes)",
    description_vi=(
        "Ranh giới phường/xã. Năm 2019: 17 phường, xã của thành phố Mỹ Tho kèm dân số Tổng điều "
        "tra 2019; năm 2025: 5 phường sau sắp xếp đơn vị hành chính."
    ),
    description_en=(
        "Ward and commune boundaries. Vintage 2019: the 17 wards/communes of Mỹ Tho city with "
        "2019 census population; vintage 2025: the five wards after the 2025 reorganisation."
    ),
    keywords_vi=("ranh giới hành chính", "phường", "xã", "dân số"),
    keywords_en=("administrative boundaries", "wards", "communes", "population"),
    licence="MIT (boundaries); official public statistics (census)",
    attribution=(
        "Boundaries 2019: censusVN2009 (LucieContamin/censusVN2009, MIT); "
        "census 2019: General Statistics Office of Viet Nam; "
        "boundaries 2025: vietnamese-provinces-database (thanglequoc, MIT)"
    ),
    style=StyleHint(fill="#f2efe9", stroke="#7a4b94", stroke_width=0.8, label="name_vi"),
)

#: All declared vector layers, by name.
LAYERS: dict[str, LayerSpec] = {spec.name: spec for spec in (ADMIN_UNITS,)}


def get_layer(name: str) -> LayerSpec:
    """Look a layer up by name (``admin_units``) or qualified name (``land.admin_units``)."""
    key = name.split(".", 1)[-1]
    try:
        return LAYERS[key]
    except KeyError:
        raise UnknownLayerError(
            f"Unknown layer {name!r}.", hint=f"Known layers: {', '.join(sorted(LAYERS))}."
        ) from None
