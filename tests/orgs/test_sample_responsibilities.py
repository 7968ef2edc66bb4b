"""The resolver on every 责任单位 string of the sample gazette.

Seed: data/samples/ningxia-gazette-2023-10.txt — the 124 tasks of attachment 2 of 宁政发〔2023〕17号
(column 责任单位) and the inline 〔责任单位：…〕 brackets of 宁党办〔2023〕32号.  The expected
values below were written by reading the text; names are given as the text means them
(prefix carried: "发展改革委" after "自治区党委网信办" is 自治区发展改革委), separated by spaces.
"""

import json
import re
from pathlib import Path

import pytest

from shuzheng.orgs.resolution import Registry

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "samples" / "ningxia-gazette-2023-10.txt"
REGISTRY_FILE = ROOT / "src" / "shuzheng" / "orgs" / "data" / "ningxia.json"
TABLE_HEADER = ["主要任务", "重点内容", "责任单位", "完成时限"]
SECOND_DOCUMENT_TITLE = "## 自治区党委办公厅 人民政府办公厅 印发"
# The bracket may break anywhere, even inside 责任单位 (measure (七) breaks after 责任单).
INLINE_BRACKET = re.compile(r"[〔\[［]\s*责\s*任\s*单\s*位\s*[:：](.*?)[〕\]］]", re.S)


def table_cells() -> dict[int, str]:
    """Task number → 责任单位 cell; rows continue across repeated header rows."""
    cells = {}
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        columns = line.split("\t")
        if len(columns) != 4 or columns == TABLE_HEADER:
            continue
        number = int(columns[1].split(".", 1)[0])
        cells[number] = columns[2]
    return cells


def inline_brackets() -> list[str]:
    text = SAMPLE.read_text(encoding="utf-8")
    second_document = text[text.index(SECOND_DOCUMENT_TITLE) :]
    return [match.group(1) for match in INLINE_BRACKET.finditer(second_document)]


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.from_data(json.loads(REGISTRY_FILE.read_text(encoding="utf-8")))


# Task number → (lead, owner, supporting).
EXPECTED_TABLE = {
    1: ("自治区发展改革委 自治区工业和信息化厅", "", "自治区有关部门（单位） 银川市 中卫市"),
    2: ("自治区工业和信息化厅", "", "自治区有关部门（单位） 各市、县（区）"),
    3: ("自治区工业和信息化厅", "", "自治区有关部门（单位） 各市、县（区）"),
    4: ("", "自治区国资委", ""),
    5: ("自治区市场监管厅 自治区公安厅 宁夏通信管理局", "", "自治区党委网信办 各市、县（区）"),
    6: ("", "各市、县（区）", "自治区有关部门（单位）"),
    7: ("自治区教育厅", "", "自治区有关部门（单位） 各市、县（区）"),
    8: ("自治区卫生健康委", "", "自治区有关部门（单位） 各市、县（区）"),
    9: (
        "各地级市",
        "",
        "自治区发展改革委 自治区工业和信息化厅 自治区科技厅 自治区公安厅 自治区财政厅 自治区自然资源厅 自治区生态环境厅 自治区住房城乡建设厅 自治区交通运输厅 自治区党委网信办 各县（市、区）",
    ),
    10: ("自治区农业农村厅", "各市、县（区）", "自治区有关部门（单位）"),
    11: ("自治区供销社", "", "自治区有关部门（单位） 各市、县（区）"),
    12: ("自治区发展改革委", "", "自治区公共资源交易管理局 各市、县（区）"),
    13: ("自治区发展改革委", "", "自治区公共资源交易管理局"),
    14: ("", "自治区各部门（单位） 各市、县（区）", ""),
    15: ("", "自治区各部门（单位） 各市、县（区）", ""),
    16: (
        "自治区党委国安办",
        "",
        "自治区党委网信办 自治区发展改革委 自治区公安厅 自治区安全厅 宁夏通信管理局",
    ),
    17: (
        "自治区党委国安办",
        "",
        "自治区党委网信办 自治区发展改革委 自治区公安厅 自治区安全厅 自治区保密局 自治区密码管理局",
    ),
    18: ("", "自治区各部门（单位） 各市、县（区）", ""),
    19: ("自治区政府办公厅", "", "自治区各部门（单位）"),
    20: ("", "承担数字化发展职能的自治区有关部门（单位）", "自治区党委编办"),
    21: ("自治区政府办公厅", "", "自治区各部门（单位） 各市、县（区）"),
    22: ("自治区政府办公厅", "自治区市场监管厅 自治区水利厅 自治区住房城乡建设厅 各地级市", ""),
    23: ("自治区政府办公厅", "", "自治区各部门（单位） 各市、县（区）"),
    24: ("自治区发展改革委", "", "自治区政府办公厅 自治区财政厅 自治区审计厅 各市、县（区）"),
    25: ("自治区财政厅", "", "各市、县（区）"),
    26: ("自治区政府办公厅", "", "自治区司法厅"),
    27: ("自治区政府办公厅 自治区市场监管厅", "", "自治区相关部门（单位）"),
    28: ("自治区政府办公厅", "", "自治区各部门（单位） 各市、县（区）"),
    29: ("自治区政府办公厅", "", "自治区各部门（单位） 各市、县（区）"),
    30: ("自治区政府办公厅", "自治区各部门（单位） 各市、县（区）", ""),
    31: ("自治区政府办公厅", "", "自治区有关部门（单位）"),
    32: ("", "自治区各部门（单位） 各市、县（区）", ""),
    33: (
        "自治区人力资源社会保障厅 自治区市场监管厅 自治区自然资源厅 自治区发展改革委 自治区政府办公厅",
        "",
        "自治区各部门（单位） 各市、县（区）",
    ),
    34: (
        "自治区政府办公厅 自治区卫生健康委 自治区人力资源社会保障厅 自治区生态环境厅 自治区发展改革委 自治区应急厅 自治区国资委",
        "",
        "自治区各部门（单位） 各市、县（区）",
    ),
    35: ("自治区政府办公厅 自治区发展改革委", "", "自治区各部门（单位） 各市、县（区）"),
    36: ("自治区政府办公厅", "", "自治区各部门（单位） 各市、县（区）"),
    37: ("", "自治区各部门（单位） 各地级市", ""),
    38: ("自治区政府办公厅", "", "自治区有关部门（单位）"),
    39: ("", "自治区有关部门（单位） 各地级市", ""),
    40: ("自治区档案局", "自治区各部门（单位） 各市、县（区）", ""),
    41: ("自治区政府办公厅", "", "自治区各部门（单位） 各市、县（区）"),
    42: ("自治区政府办公厅", "", "自治区各部门（单位） 各市、县（区）"),
    43: ("自治区政府办公厅", "", "自治区各部门（单位） 各地级市"),
    44: ("", "自治区政府办公厅", ""),
    45: ("", "自治区有关部门（单位） 各地级市", ""),
    46: ("自治区政府办公厅", "", "自治区各部门（单位） 各市、县（区）"),
    47: ("自治区政府办公厅", "", "自治区各部门（单位） 各市、县（区）"),
    48: ("自治区政府办公厅", "各市、县（区）", ""),
    49: ("自治区党委政法委", "", "自治区有关部门（单位） 各市、县（区）"),
    50: ("自治区政府办公厅", "", "自治区有关部门（单位）"),
    51: ("自治区政府办公厅", "自治区有关部门（单位）", ""),
    52: (
        "自治区政府办公厅",
        "自治区公安厅 自治区民政厅 自治区教育厅 自治区人力资源社会保障厅 自治区住房城乡建设厅 自治区交通运输厅 自治区文化旅游厅 自治区卫生健康委 自治区市场监管厅",
        "",
    ),
    53: ("", "自治区政府办公厅 自治区市场监管厅 自治区人力资源社会保障厅 宁夏税务局", ""),
    54: ("自治区党委办公厅 自治区档案局", "自治区各部门（单位） 各市、县（区）", ""),
    55: ("自治区财政厅", "自治区有关部门（单位） 各市、县（区）", ""),
    56: ("自治区财政厅", "自治区有关部门（单位） 各市、县（区）", ""),
    57: ("自治区发展改革委", "", "自治区各部门（单位） 各市、县（区）"),
    58: ("自治区自然资源厅", "", "自治区有关部门（单位） 各市、县（区）"),
    59: ("自治区政府办公厅", "", "自治区有关部门（单位） 各市、县（区）"),
    60: ("", "自治区政府办公厅", ""),
    61: ("自治区党委编办", "", "自治区政府办公厅 自治区发展改革委"),
    62: ("自治区国资委", "", "自治区有关部门（单位）"),
    63: ("自治区科技厅", "", "自治区政府办公厅"),
    64: ("", "各市、县（区）", ""),
    65: ("自治区发展改革委", "", "自治区统计局"),
    66: (
        "自治区工业和信息化厅 自治区发展改革委 自治区商务厅",
        "",
        "自治区有关部门（单位） 各市、县（区）",
    ),
    67: ("自治区发展改革委", "", "自治区各部门（单位） 各市、县（区）"),
    68: ("自治区政府办公厅", "自治区有关部门（单位）", ""),
    69: ("自治区市场监管厅", "自治区有关部门（单位）", ""),
    70: ("自治区市场监管厅", "自治区有关部门（单位）", ""),
    71: (
        "",
        "自治区市场监管厅 自治区农业农村厅 自治区卫生健康委 自治区工业和信息化厅 自治区药监局",
        "各市、县（区）",
    ),
    72: ("", "承担监管职责的自治区有关部门（单位）", "各市、县（区）"),
    73: ("", "承担监管职责的自治区有关部门（单位）", "各市、县（区）"),
    74: ("", "承担监管职责的自治区有关部门（单位）", "各市、县（区）"),
    75: ("", "承担监管职责的自治区有关部门（单位）", "各市、县（区）"),
    76: ("自治区地方金融监管局", "", "自治区有关部门（单位） 各市、县（区）"),
    77: (
        "自治区党委政法委",
        "自治区公安厅 自治区法院 自治区检察院 自治区司法厅 自治区信访局",
        "各市、县（区）",
    ),
    78: ("", "自治区公安厅", "自治区有关部门（单位） 各市、县（区）"),
    79: ("自治区党委政法委 自治区公安厅", "", "自治区有关部门（单位） 各市、县（区）"),
    80: (
        "自治区应急厅 自治区卫生健康委 自治区公安厅 自治区水利厅 自治区自然资源厅 自治区交通运输厅 自治区商务厅 自治区林草局 自治区消防救援总队",
        "",
        "自治区生态环境厅 宁夏气象局 自治区人防办 各市、县（区）",
    ),
    81: (
        "自治区党委政法委",
        "自治区政府办公厅 自治区公安厅 自治区应急厅 自治区水利厅 自治区自然资源厅 自治区交通运输厅 自治区生态环境厅 自治区林草局 自治区消防救援总队",
        "各市、县（区）",
    ),
    82: (
        "自治区应对新冠肺炎疫情工作指挥部办公室",
        "自治区卫生健康委 自治区政府办公厅 自治区公安厅 宁夏通信管理局",
        "各市、县（区）",
    ),
    83: ("自治区党委政法委", "各市、县（区）", "自治区有关部门（单位）"),
    84: ("自治区政府办公厅", "自治区有关部门（单位） 各市、县（区）", ""),
    85: ("自治区政府办公厅", "自治区有关部门（单位） 各市、县（区）", ""),
    86: ("自治区政府办公厅", "", "自治区有关部门（单位） 各市、县（区）"),
    87: ("自治区政府办公厅", "自治区有关部门（单位） 各地级市", ""),
    88: ("自治区市场监管厅", "自治区有关部门（单位） 各市、县（区）", ""),
    89: ("自治区政府办公厅", "自治区有关部门（单位）", "各市、县（区）"),
    90: ("", "自治区文化和旅游厅 自治区体育局 自治区档案局", ""),
    91: ("", "自治区市场监管厅", ""),
    92: ("各地级市", "", "自治区政府办公厅 各县（市、区）"),
    93: ("", "自治区各部门（单位） 各市、县（区）", ""),
    94: ("自治区生态环境厅", "", "自治区有关部门（单位） 各市、县（区）"),
    95: ("自治区生态环境厅", "", "自治区有关部门（单位） 各市、县（区）"),
    96: ("自治区水利厅", "", "自治区有关部门（单位） 各市、县（区）"),
    97: ("自治区自然资源厅", "", "自治区有关部门（单位） 各市、县（区）"),
    98: ("自治区林草局", "", "自治区有关部门（单位） 各市、县（区）"),
    99: ("自治区地质局", "", "自治区有关部门（单位） 各市、县（区）"),
    100: (
        "自治区公共资源交易管理局",
        "",
        "自治区水利厅 自治区自然资源厅 自治区生态环境厅 自治区林草局 各市、县（区）",
    ),
    101: ("自治区发展改革委 自治区市场监管厅", "", "自治区有关部门（单位） 各市、县（区）"),
    102: ("自治区生态环境厅", "", "自治区有关部门（单位） 各市、县（区）"),
    103: ("", "自治区各部门（单位）", ""),
    104: ("自治区政府办公厅", "", "自治区各部门（单位） 各市、县（区）"),
    105: ("自治区政府办公厅", "", "自治区各部门（单位） 各市、县（区）"),
    106: ("自治区政府办公厅", "", "自治区各部门（单位） 各市、县（区）"),
    107: ("自治区机管局", "", "自治区各部门（单位） 各市、县（区）"),
    108: ("自治区公共资源交易管理局", "", "自治区各部门（单位） 各市、县（区）"),
    109: ("", "自治区人民政府督查室", ""),
    110: ("", "自治区财政厅", ""),
    111: ("自治区机管局", "", "自治区各部门（单位） 各市、县（区）"),
    112: ("", "自治区各部门（单位） 各市、县（区）", ""),
    113: ("自治区人大常委会法工委", "", "自治区各部门（单位） 各市、县（区）"),
    114: ("", "自治区各部门（单位） 各市、县（区）", ""),
    115: ("自治区政府办公厅", "", "自治区各部门（单位） 各市、县（区）"),
    116: ("", "自治区各部门（单位） 各市、县（区）", ""),
    117: ("", "自治区人力资源社会保障厅 自治区工业和信息化厅 自治区教育厅", ""),
    118: ("", "自治区党委组织部 自治区党委党校（行政学院）", "自治区政府办公厅"),
    119: ("", "自治区教育厅 自治区科技厅 自治区政府研究室 宁夏社科院 宁夏大学", ""),
    120: ("", "自治区党委组织部 自治区党委宣传部 自治区人力资源社会保障厅 自治区科协", ""),
    121: ("", "自治区政府办公厅", "各市、县（区） 自治区相关部门"),
    122: ("", "自治区党委办公厅", ""),
    123: ("", "自治区党委组织部 各市、县（区）", ""),
    124: ("", "自治区政府办公厅", ""),
}

# The inline brackets in order; they carry no role word, so every unit is an owner.
EXPECTED_INLINE = [
    "自治区财政厅 自治区水利厅 自治区农业农村厅 各市、县（区）",
    "自治区财政厅 自治区自然资源厅 自治区林草局 各市、县（区）",
    "自治区财政厅 自治区农业农村厅 自治区林草局 各市、县（区）",
    "自治区财政厅 自治区自然资源厅 自治区林草局 各市、县（区）",
    "自治区财政厅 自治区自然资源厅 自治区农业农村厅 各市、县（区）",
    "自治区财政厅 自治区自然资源厅 自治区林草局 各市、县（区）",
    "自治区财政厅 自治区自然资源厅 自治区生态环境厅 自治区水利厅 自治区农业农村厅 自治区林草局 各市、县（区）",
    "自治区发展改革委 自治区财政厅 自治区自然资源厅 自治区生态环境厅 自治区水利厅 自治区农业农村厅 自治区林草局 各市、县（区）",
    "自治区发展改革委 自治区财政厅 自治区自然资源厅 自治区生态环境厅 自治区住房城乡建设厅 自治区林草局 各市、县（区）",
    "自治区发展改革委 自治区财政厅 自治区生态环境厅 自治区水利厅 自治区林草局 各市、县（区）",
    "自治区发展改革委 自治区财政厅 自治区自然资源厅 自治区生态环境厅 自治区水利厅 自治区农业农村厅 自治区林草局 宁夏税务局 各市、县（区）",
    "自治区财政厅 自治区生态环境厅 自治区地方金融监管局 宁夏证监局 各市、县（区）",
    "自治区发展改革委 自治区财政厅 自治区自然资源厅 自治区生态环境厅 自治区农业农村厅 自治区文化和旅游厅 自治区林草局 各市、县（区）",
    "自治区人大法工委 自治区司法厅 自治区自然资源厅 自治区水利厅 自治区农业农村厅 自治区林草局 宁夏税务局 各市、县（区）",
    "自治区自然资源厅 自治区生态环境厅 自治区水利厅 自治区统计局 自治区林草局 各市、县（区）",
    "自治区发展改革委 自治区财政厅 自治区自然资源厅 自治区生态环境厅 自治区水利厅 自治区住房城乡建设厅 宁夏税务局 各市、县（区）",
    "自治区发展改革委 自治区科技厅 自治区财政厅 自治区自然资源厅 自治区生态环境厅 自治区住房城乡建设厅 自治区水利厅 自治区农业农村厅 自治区市场监管厅 自治区林草局 宁夏税务局 各市、县（区）",
]

# Every name above → the unit code, or "group:<key>" for a unit group.
NAME_TARGETS = {
    "自治区发展改革委": "nx-development-reform",
    "自治区工业和信息化厅": "nx-industry-it",
    "自治区有关部门（单位）": "group:region-relevant-units",
    "银川市": "gov-640100",
    "中卫市": "gov-640500",
    "各市、县（区）": "group:all-cities-and-counties",
    "自治区国资委": "nx-state-assets",
    "自治区市场监管厅": "nx-market-regulation",
    "自治区公安厅": "nx-public-security",
    "宁夏通信管理局": "nx-communications-administration",
    "自治区党委网信办": "nx-party-cyberspace",
    "自治区教育厅": "nx-education",
    "自治区卫生健康委": "nx-health",
    "各地级市": "group:all-prefecture-cities",
    "自治区科技厅": "nx-science-technology",
    "自治区财政厅": "nx-finance",
    "自治区自然资源厅": "nx-natural-resources",
    "自治区生态环境厅": "nx-ecology-environment",
    "自治区住房城乡建设厅": "nx-housing-urban-rural",
    "自治区交通运输厅": "nx-transport",
    "各县（市、区）": "group:all-counties",
    "自治区农业农村厅": "nx-agriculture-rural",
    "自治区供销社": "nx-supply-marketing-cooperatives",
    "自治区公共资源交易管理局": "nx-public-resources-trading",
    "自治区各部门（单位）": "group:region-all-units",
    "自治区党委国安办": "nx-party-national-security",
    "自治区安全厅": "nx-state-security",
    "自治区保密局": "nx-secrecy",
    "自治区密码管理局": "nx-cryptography",
    "自治区政府办公厅": "nx-general-office",
    "承担数字化发展职能的自治区有关部门（单位）": "group:region-digital-development-units",
    "自治区党委编办": "nx-party-establishment",
    "自治区水利厅": "nx-water-resources",
    "自治区审计厅": "nx-audit",
    "自治区司法厅": "nx-justice",
    "自治区相关部门（单位）": "group:region-relevant-units",
    "自治区人力资源社会保障厅": "nx-human-resources-social-security",
    "自治区应急厅": "nx-emergency-management",
    "自治区档案局": "nx-archives",
    "自治区党委政法委": "nx-party-political-legal",
    "自治区民政厅": "nx-civil-affairs",
    "自治区文化旅游厅": "nx-culture-tourism",
    "宁夏税务局": "nx-taxation",
    "自治区党委办公厅": "nx-party-general-office",
    "自治区统计局": "nx-statistics",
    "自治区商务厅": "nx-commerce",
    "自治区药监局": "nx-medical-products",
    "承担监管职责的自治区有关部门（单位）": "group:region-supervision-units",
    "自治区地方金融监管局": "nx-local-financial-regulation",
    "自治区法院": "nx-high-court",
    "自治区检察院": "nx-procuratorate",
    "自治区信访局": "nx-petitions",
    "自治区林草局": "nx-forestry-grassland",
    "自治区消防救援总队": "nx-fire-rescue",
    "宁夏气象局": "nx-meteorology",
    "自治区人防办": "nx-civil-air-defence",
    "自治区应对新冠肺炎疫情工作指挥部办公室": "nx-covid19-headquarters-office",
    "自治区文化和旅游厅": "nx-culture-tourism",
    "自治区体育局": "nx-sports",
    "自治区地质局": "nx-geology",
    "自治区机管局": "nx-government-offices-administration",
    "自治区人民政府督查室": "nx-inspection-office",
    "自治区人大常委会法工委": "nx-congress-legislative-affairs",
    "自治区党委组织部": "nx-party-organisation",
    "自治区党委党校（行政学院）": "nx-party-school",
    "自治区政府研究室": "nx-research-office",
    "宁夏社科院": "nx-academy-social-sciences",
    "宁夏大学": "nx-ningxia-university",
    "自治区党委宣传部": "nx-party-publicity",
    "自治区科协": "nx-science-association",
    "自治区相关部门": "group:region-relevant-units",
    "宁夏证监局": "nx-securities-regulatory",
    "自治区人大法工委": "nx-congress-legislative-affairs",
}


def names(text: str) -> list[str]:
    return text.split()


def target(resolution) -> str:
    return f"group:{resolution.group}" if resolution.group else resolution.unit_codes[0]


def assert_resolves_as_expected(resolutions, expected_names: str, where: str):
    assert [r.name for r in resolutions] == names(expected_names), where
    for resolution in resolutions:
        assert resolution.resolved, f"{where}: {resolution.name} unresolved"
        assert target(resolution) == NAME_TARGETS[resolution.name], f"{where}: {resolution.name}"


def test_the_sample_has_124_tasks_and_17_inline_brackets():
    assert sorted(table_cells()) == list(range(1, 125))
    assert len(inline_brackets()) == len(EXPECTED_INLINE) == 17


@pytest.mark.parametrize("number", sorted(EXPECTED_TABLE))
def test_task_table_responsibility(registry, number):
    cell = table_cells()[number]
    result = registry.parse_responsibility(cell)
    lead, owner, supporting = EXPECTED_TABLE[number]
    assert_resolves_as_expected(result.lead, lead, f"task {number} lead")
    assert_resolves_as_expected(result.owner, owner, f"task {number} owner")
    assert_resolves_as_expected(result.supporting, supporting, f"task {number} supporting")
    assert result.unresolved == []
    assert result.raw == cell


@pytest.mark.parametrize("index", range(16))
def test_inline_bracket_responsibility(registry, index):
    result = registry.parse_responsibility(inline_brackets()[index])
    assert result.lead == [] and result.supporting == []
    assert_resolves_as_expected(result.owner, EXPECTED_INLINE[index], f"bracket {index + 1}")
    assert result.unresolved == []


def test_open_groups_of_the_sample_have_no_members(registry):
    opened = {
        resolution.group
        for cell in [*table_cells().values(), *inline_brackets()]
        for resolutions in registry.parse_responsibility(cell).by_role().values()
        for resolution in resolutions
        if resolution.open_group
    }
    assert opened == {
        "region-relevant-units",
        "region-all-units",
        "region-digital-development-units",
        "region-supervision-units",
    }
    for key in opened:
        assert registry.group_members(key) == []
