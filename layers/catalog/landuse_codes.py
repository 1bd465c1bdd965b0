"""Vietnam's land-use category codes (Luật Đất đai 2013; Thông tư 27/2018/TT-BTNMT, phụ lục 01).

Used by ``land.land_use`` (allowed values), the land-use mix indicator (groups) and the open-public-
space indicators (``public_open``).  Each code: Vietnamese name, English name, group, and whether the
land is open public space in the sense of SDG 11.7.1.
"""

from __future__ import annotations

from typing import NamedTuple


class LandUseCode(NamedTuple):
    name_vi: str
    name_en: str
    group: str  # residential, commercial, industrial, public, transport, green, water, agriculture...
    public_open: bool = False


LAND_USE_CODES: dict[str, LandUseCode] = {
    "ODT": LandUseCode("Đất ở tại đô thị", "Urban residential land", "residential"),
    "ONT": LandUseCode("Đất ở tại nông thôn", "Rural residential land", "residential"),
    "TMD": LandUseCode("Đất thương mại, dịch vụ", "Commercial and service land", "commercial"),
    "DCH": LandUseCode("Đất chợ", "Market land", "commercial"),
    "SKC": LandUseCode(
        "Đất cơ sở sản xuất phi nông nghiệp", "Non-agricultural production land", "industrial"
    ),
    "SKK": LandUseCode("Đất khu công nghiệp", "Industrial zone land", "industrial"),
    "TSC": LandUseCode("Đất xây dựng trụ sở cơ quan", "Government office land", "public"),
    "DGD": LandUseCode("Đất xây dựng cơ sở giáo dục và đào tạo", "Education facility land", "public"),
    "DYT": LandUseCode("Đất xây dựng cơ sở y tế", "Health facility land", "public"),
    "DVH": LandUseCode("Đất xây dựng cơ sở văn hóa", "Cultural facility land", "public"),
    "DTT": LandUseCode(
        "Đất xây dựng cơ sở thể dục thể thao", "Sports facility land", "public", public_open=True
    ),
    "DKV": LandUseCode(
        "Đất khu vui chơi, giải trí công cộng", "Public recreation land (parks)", "green", public_open=True
    ),
    "TON": LandUseCode("Đất cơ sở tôn giáo", "Religious land", "public"),
    "TIN": LandUseCode("Đất cơ sở tín ngưỡng", "Belief/shrine land", "public"),
    "NTD": LandUseCode("Đất làm nghĩa trang, nghĩa địa", "Cemetery land", "public"),
    "CQP": LandUseCode("Đất quốc phòng", "Defence land", "special"),
    "CAN": LandUseCode("Đất an ninh", "Security land", "special"),
    "DGT": LandUseCode("Đất giao thông", "Transport land (streets)", "transport", public_open=True),
    "DTL": LandUseCode("Đất công trình thủy lợi", "Irrigation and drainage works", "utility"),
    "DNL": LandUseCode("Đất công trình năng lượng", "Energy works land", "utility"),
    "SON": LandUseCode("Đất sông, ngòi, kênh, rạch, suối", "Rivers, canals and streams", "water"),
    "MNC": LandUseCode("Đất có mặt nước chuyên dùng", "Special-use water surface", "water"),
    "LUA": LandUseCode("Đất trồng lúa", "Rice land", "agriculture"),
    "HNK": LandUseCode("Đất trồng cây hàng năm khác", "Other annual crop land", "agriculture"),
    "CLN": LandUseCode("Đất trồng cây lâu năm", "Perennial crop land (orchards)", "agriculture"),
    "NTS": LandUseCode("Đất nuôi trồng thủy sản", "Aquaculture land", "agriculture"),
    "BCS": LandUseCode("Đất bằng chưa sử dụng", "Unused flat land", "unused"),
}
