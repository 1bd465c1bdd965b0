"""The indicator registry: every indicator declared once.

From an :class:`IndicatorSpec` come its computation (``recipe``), its results table in the
``analysis`` schema (:mod:`analysis.tables`), its pygeoapi collection (and later its OGC API
process) and its methods page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import geopandas as gpd

from analysis.errors import ParameterError, UnknownIndicatorError
from analysis.indicators.recipes import population_density_recipe

Theme = Literal["health", "education", "safety", "mobility", "environment", "land"]
Level = Literal["city", "ward", "grid"]
ParamType = Literal["integer", "number", "text", "boolean"]
Recipe = Callable[[dict[str, gpd.GeoDataFrame], dict[str, Any]], gpd.GeoDataFrame]


@dataclass(frozen=True)
class Parameter:
    name: str
    type: ParamType
    default: Any
    description_en: str
    description_vi: str
    minimum: float | None = None
    maximum: float | None = None

    def coerce(self, value: Any, *, indicator: str) -> Any:
        """Convert a user-given value (often a string from the CLI or a URL) to the type."""
        where = f"{indicator}.{self.name}"
        if value is None:
            return None
        try:
            if self.type == "integer":
                result: Any = int(str(value))
            elif self.type == "number":
                result = float(str(value))
            elif self.type == "boolean":
                text = str(value).lower()
                if text not in {"true", "false", "1", "0"}:
                    raise ValueError(value)
                result = text in {"true", "1"}
            else:
                result = str(value)
        except ValueError:
            raise ParameterError(f"Parameter {where}: {value!r} is not a valid {self.type}.") from None
        if self.minimum is not None and result < self.minimum:
            raise ParameterError(f"Parameter {where}: {result} is below the minimum {self.minimum}.")
        if self.maximum is not None and result > self.maximum:
            raise ParameterError(f"Parameter {where}: {result} is above the maximum {self.maximum}.")
        return result


@dataclass(frozen=True)
class ResultColumn:
    name: str
    type: Literal["text", "integer", "real"]
    title_vi: str
    title_en: str
    unit: str | None = None


@dataclass(frozen=True)
class IndicatorSpec:
    id: str
    title_vi: str
    title_en: str
    description_vi: str
    description_en: str
    theme: Theme
    standard: str
    unit: str
    formula: str
    inputs: tuple[str, ...]
    levels: tuple[Level, ...]
    value_column: str
    result_columns: tuple[ResultColumn, ...]
    recipe: Recipe
    parameters: tuple[Parameter, ...] = ()
    limitations: str = ""
    keywords_en: tuple[str, ...] = ()
    keywords_vi: tuple[str, ...] = ()

    @property
    def table(self) -> str:
        return self.id

    def resolve_params(self, given: dict[str, Any] | None = None) -> dict[str, Any]:
        """Defaults overlaid with ``given`` (coerced); unknown names are refused."""
        given = dict(given or {})
        known = {p.name: p for p in self.parameters}
        unknown = sorted(set(given) - set(known))
        if unknown:
            raise ParameterError(
                f"Indicator {self.id} has no parameter(s) {', '.join(unknown)}.",
                hint=f"Its parameters: {', '.join(known) or 'none'}.",
            )
        return {
            name: p.coerce(given[name], indicator=self.id) if name in given else p.default
            for name, p in known.items()
        }


POPULATION_DENSITY = IndicatorSpec(
    id="population_density",
    title_vi="Mật độ dân số",
    title_en="Population density",
    description_vi=(
        "Số người trên mỗi km² diện tích tự nhiên của phường/xã và toàn thành phố. Diện tích tính "
        "trong hệ toạ độ phẳng (UTM), không tính bằng độ."
    ),
    description_en=(
        "Residents per km² of land area of each ward/commune and of the whole city. Areas are "
        "computed in a metric projected CRS (UTM), never in degrees."
    ),
    theme="land",
    standard="ISO 37120:2018 (population density, profile indicator); local",
    unit="people/km²",
    formula="density = population / area_km2; city = Σ population / Σ area_km2",
    inputs=("admin_units",),
    levels=("city", "ward"),
    value_column="density_per_km2",
    result_columns=(
        ResultColumn("population", "real", "Dân số", "Population", "persons"),
        ResultColumn("population_method", "text", "Nguồn dân số", "Population method"),
        ResultColumn("area_km2", "real", "Diện tích", "Area", "km²"),
        ResultColumn("density_per_km2", "real", "Mật độ dân số", "Population density", "people/km²"),
    ),
    recipe=population_density_recipe,
    parameters=(
        Parameter(
            "census_vintage",
            "integer",
            None,
            "Boundary vintage whose units carry the census population (default: the latest "
            "vintage with population). Units of other vintages get it by areal interpolation.",
            "Năm ranh giới mang số liệu điều tra dân số (mặc định: năm gần nhất có dân số). Các "
            "đơn vị của năm khác được nội suy theo diện tích.",
            minimum=1900,
            maximum=2100,
        ),
    ),
    limitations=(
        "Gross density over the whole unit area, water and farmland included. Areal "
        "interpolation assumes population spread evenly within each census unit."
    ),
    keywords_en=("population density", "ISO 37120"),
    keywords_vi=("mật độ dân số",),
)

#: All indicators, by id.
INDICATORS: dict[str, IndicatorSpec] = {spec.id: spec for spec in (POPULATION_DENSITY,)}


def get_indicator(indicator_id: str) -> IndicatorSpec:
    try:
        return INDICATORS[indicator_id]
    except KeyError:
        raise UnknownIndicatorError(
            f"Unknown indicator {indicator_id!r}.",
            hint=f"Known indicators: {', '.join(sorted(INDICATORS))} (see `dothi indicators list`).",
        ) from None
