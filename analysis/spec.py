"""The types of the indicator registry: parameters, result columns and the indicator spec."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import geopandas as gpd

from analysis.errors import ParameterError

Theme = Literal["health", "education", "safety", "mobility", "environment", "land"]
Level = Literal["city", "ward", "grid", "block"]
ParamType = Literal["integer", "number", "text", "boolean"]
#: A recipe takes {input name: GeoDataFrame (vector, metric CRS) | Raster | list[Raster] (by year)}
#: and the resolved parameters, and returns the result rows.
Recipe = Callable[[dict[str, Any], dict[str, Any]], gpd.GeoDataFrame]


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
    digits: int | None = None
    """Decimal places published (default: :data:`UNIT_DIGITS` by unit)."""


#: Decimal places published for a real result column, by unit (others: 2).
UNIT_DIGITS: dict[str | None, int] = {
    "persons": 0,
    "beds": 0,
    "people/km²": 0,
    "1/km²": 1,
    "%": 1,
    "%/year": 2,
    "m²": 1,
    "km²": 3,
    "ha": 2,
    "km": 2,
    "m": 2,
    "0–1": 3,
    None: 3,
}
DEFAULT_DIGITS = 2


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
    """Required layers: vector layer names (``roads``) or raster names (``elevation``)."""
    levels: tuple[Level, ...]
    value_column: str
    result_columns: tuple[ResultColumn, ...]
    recipe: Recipe
    parameters: tuple[Parameter, ...] = ()
    limitations: str = ""
    keywords_en: tuple[str, ...] = ()
    keywords_vi: tuple[str, ...] = ()
    optional_inputs: tuple[str, ...] = ()
    """Layers used when loaded (e.g. ``population_grid``, else ``buildings``, else the census)."""
    precision: int = 1
    """Decimal places of the indicator's value (``value_column``) in every published output."""

    @property
    def table(self) -> str:
        return self.id

    def digits(self, column: str) -> int:
        """Decimal places a real result column is published with (views, API, CLI, exports)."""
        if column == self.value_column:
            return self.precision
        found = next((c for c in self.result_columns if c.name == column), None)
        if found is None:
            return DEFAULT_DIGITS
        if found.digits is not None:
            return found.digits
        return UNIT_DIGITS.get(found.unit, DEFAULT_DIGITS)

    def rounded(self, column: str, value: Any) -> Any:
        """``value`` rounded as published (None for a missing or non-finite value)."""
        if not isinstance(value, float):
            return value
        if not math.isfinite(value):  # NaN, ±∞
            return None
        return round(value, self.digits(column))

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
