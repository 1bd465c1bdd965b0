"""Columns and parameters shared by several indicators."""

from __future__ import annotations

from analysis.spec import Parameter, ResultColumn

POPULATION = ResultColumn("population", "real", "Dân số", "Population", "persons")
POPULATION_SOURCE = ResultColumn(
    "population_source", "text", "Nguồn phân bố dân cư", "Where the population points come from"
)
POPULATION_WITHIN = ResultColumn(
    "population_within", "real", "Dân số trong phạm vi", "Population within the distance", "persons"
)
SHARE = ResultColumn("share_pct", "real", "Tỷ lệ dân số trong phạm vi", "Share of population within", "%")
SHARE_COLUMNS = (POPULATION, POPULATION_WITHIN, SHARE, POPULATION_SOURCE)

POPULATION_INPUTS = ("population_grid", "buildings")

ORIGINS_EN = (
    "Population points: the population_grid raster (cell centres) when loaded, else buildings with "
    "residents (centroids), else the latest census of the admin units spread evenly over 100 m cells. "
)
ORIGINS_VI = (
    "Điểm dân cư: tâm ô của lưới dân số nếu có, nếu không thì tâm công trình có người ở, nếu không "
    "thì dân số điều tra của phường/xã chia đều cho các ô 100 m. "
)
WALK_EN = (
    "Walking distance on the network of walkable streets (nodes at real intersections), from each "
    "population point snapped to the nearest street, one multi-source shortest-path pass per "
    "destination type; the straight-line gaps to and from the street are included. "
)
WALK_VI = (
    "Khoảng cách đi bộ trên mạng lưới đường đi bộ được (nút tại giao lộ thật), từ mỗi điểm dân cư "
    "gắn vào đường gần nhất, một lượt tìm đường ngắn nhất đa nguồn cho mỗi loại điểm đến; tính cả "
    "đoạn thẳng từ điểm tới đường. "
)
WALK_LIMITS = (
    "Walking distance is computed on street centre lines (no sidewalk, crossing or barrier data); "
    "crossings of lines are treated as intersections, so footbridges over streets connect. "
    "Population is placed at cell centres or building centroids."
)


def distance(name: str, default: float, en: str, vi: str) -> Parameter:
    return Parameter(name, "number", default, en, vi, minimum=10, maximum=20_000)
