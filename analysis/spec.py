"""The types of the indicator registry: parameters, result columns and the indicator spec."""

from __future__ import annotations

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
