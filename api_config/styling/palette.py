"""Colours and symbols of dothi's maps that are more than one style hint: land use by national code,
streets by class, choropleth ramps, raster ramps.

Land-use colours follow the convention of Vietnamese land-use maps (bảng màu của bản đồ hiện trạng /
quy hoạch sử dụng đất, Thông tư 25/2014/TT-BTNMT, codes of Thông tư 27/2018/TT-BTNMT): residential
pink, agriculture yellow to orange, public and commercial works salmon, transport orange, water
cyan, defence red, cemeteries grey.  Street classes follow the usual OpenStreetMap cartography
(major roads coloured and wide, minor ones white with a grey casing, paths dashed).
"""

from __future__ import annotations

from typing import NamedTuple

from layers.catalog.infrastructure import ROAD_CLASSES
from layers.catalog.landuse_codes import LAND_USE_CODES

#: Land-use code → fill colour (RGB of the national land-use map legend).
LAND_USE_COLOURS: dict[str, str] = {
    "ODT": "#ffa0ff",
    "ONT": "#ffd0ff",
    "TMD": "#faaaa0",
    "DCH": "#faaaa0",
    "SKC": "#faaaa0",
    "SKK": "#faaaa0",
    "TSC": "#ffaaa0",
    "DGD": "#ffaaa0",
    "DYT": "#ffaaa0",
    "DVH": "#ffaaa0",
    "DTT": "#ffaaa0",
    "DKV": "#ffaaa0",
    "TON": "#ffaaa0",
    "TIN": "#ffaaa0",
    "NTD": "#d2d2d2",
    "CQP": "#ff6450",
    "CAN": "#ff5046",
    "DGT": "#ffaa32",
    "DTL": "#aaffff",
    "DNL": "#ffaaa0",
    "SON": "#a0ffff",
    "MNC": "#b4ffff",
    "LUA": "#fffc78",
    "HNK": "#fff0b4",
    "CLN": "#ffd2a0",
    "NTS": "#aaffff",
    "BCS": "#fffffe",
}
LAND_USE_STROKE = "#8c7a3c"


class RoadSymbol(NamedTuple):
    """How one street class is drawn: colour, width (mm), casing colour, dashed, labelled."""

    colour: str
    width: float
    casing: str | None = None
    dashed: bool = False
    main: bool = False  # a main street: its name is labelled


_MAJOR = {
    "motorway": RoadSymbol("#e8585a", 1.6, "#a0282a", main=True),
    "trunk": RoadSymbol("#f08a5d", 1.5, "#a8502a", main=True),
    "primary": RoadSymbol("#f6b35b", 1.3, "#a06a20", main=True),
    "secondary": RoadSymbol("#f7df6a", 1.1, "#9a8a30", main=True),
    "tertiary": RoadSymbol("#ffffff", 1.0, "#8a8a8a", main=True),
    "residential": RoadSymbol("#ffffff", 0.6, "#a8a8a8"),
    "unclassified": RoadSymbol("#ffffff", 0.6, "#a8a8a8"),
    "living_street": RoadSymbol("#ededed", 0.6, "#a8a8a8"),
    "service": RoadSymbol("#ffffff", 0.35, "#b4b4b4"),
    "pedestrian": RoadSymbol("#dddde8", 0.5, "#a0a0b0"),
    "track": RoadSymbol("#996600", 0.3, dashed=True),
}
_PATH = RoadSymbol("#fa8072", 0.25, dashed=True)
#: Street class → symbol; every class of the catalog has one (paths and footways dashed salmon).
ROAD_SYMBOLS: dict[str, RoadSymbol] = {c: _MAJOR.get(c, _PATH) for c in ROAD_CLASSES}

#: Road class titles (vi, en) for legends.
ROAD_CLASS_TITLES: dict[str, tuple[str, str]] = {
    "motorway": ("Đường cao tốc", "Motorway"),
    "trunk": ("Quốc lộ", "Trunk road"),
    "primary": ("Đường chính", "Primary road"),
    "secondary": ("Đường thứ cấp", "Secondary road"),
    "tertiary": ("Đường cấp ba", "Tertiary road"),
    "residential": ("Đường khu dân cư", "Residential street"),
    "service": ("Đường nội bộ", "Service road"),
    "unclassified": ("Đường chưa phân cấp", "Unclassified road"),
    "track": ("Đường đất", "Track"),
    "path": ("Lối đi", "Path"),
    "footway": ("Đường đi bộ", "Footway"),
    "cycleway": ("Đường xe đạp", "Cycleway"),
    "pedestrian": ("Phố đi bộ", "Pedestrian street"),
    "living_street": ("Ngõ, hẻm", "Living street"),
    "steps": ("Bậc thang", "Steps"),
}

#: 5-class ColorBrewer ramps (light to dark) by indicator theme.
RAMPS: dict[str, tuple[str, ...]] = {
    "land": ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"),  # YlOrRd
    "health": ("#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"),  # Reds
    "education": ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"),  # Blues
    "safety": ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f"),  # Purples
    "mobility": ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"),  # YlGnBu
    "environment": ("#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c"),  # Greens
}

#: Elevation: low (blue-green) to high (brown), a hypsometric ramp.
ELEVATION_RAMP = ("#2b83ba", "#abdda4", "#ffffbf", "#fdae61", "#a6611a")
#: Population grid: sequential purple-red (ColorBrewer PuRd).
POPULATION_RAMP = ("#f1eef6", "#d7b5d8", "#df65b0", "#dd1c77", "#980043")
#: Built-up share of a cell by class: (upper bound, colour, vi, en).
BUILT_UP_CLASSES = (
    (0.1, "#ffffff00", "Không xây dựng (< 10 %)", "Not built-up (< 10 %)"),
    (0.3, "#fdd0a2", "Xây dựng thưa (10–30 %)", "Sparsely built (10–30 %)"),
    (0.6, "#fd8d3c", "Xây dựng trung bình (30–60 %)", "Moderately built (30–60 %)"),
    (1.0, "#a63603", "Xây dựng dày (> 60 %)", "Densely built (> 60 %)"),
)


def ramp_colours(ramp: tuple[str, ...], classes: int) -> list[str]:
    """``classes`` colours spread over ``ramp`` (the darkest for one class)."""
    if classes == 1:
        return [ramp[-1]]
    return [ramp[round(i * (len(ramp) - 1) / (classes - 1))] for i in range(classes)]


def land_use_titles(code: str) -> tuple[str, str]:
    entry = LAND_USE_CODES[code]
    return f"{code} – {entry.name_vi}", f"{code} – {entry.name_en}"
