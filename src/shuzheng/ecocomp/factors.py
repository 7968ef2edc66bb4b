"""The allocation factors a county's data may carry (分配因素), no Django.

Source: 宁党办〔2023〕32号 measures （八）–（九） (red-line and ecological-space control areas,
coefficients for sensitive and fragile areas, negative-list reductions, value of ecological
products), 财预〔2022〕59号 (standard fiscal gap, population moved out, eco spending) and the
provincial re-allocations that use population, forest area and eco spending (Hubei 2023).
A rule set may use any of them; its weights and bands are data, never here. Money is stored
in yuan: a workbook states 元 or 万元 per column header or in a unit column.
"""

from __future__ import annotations

from dataclasses import dataclass

from shuzheng.text.translation import gettext_noop

MONEY = "yuan"
AREA = "km2"
PEOPLE = "persons"
RATIO = "ratio"
SCORE = "score"
#: 1 (designated) or 0, e.g. the key ecological-function counties of measure （八）.
FLAG = "flag"


@dataclass(frozen=True)
class Factor:
    key: str
    #: The English name, translated at display; the Chinese names a workbook header uses.
    label: str
    headers: tuple[str, ...]
    unit: str


FACTORS: tuple[Factor, ...] = (
    Factor("fiscal_gap", gettext_noop("standard fiscal gap"), ("标准财政收支缺口",), MONEY),
    Factor("red_line_area", gettext_noop("ecological red-line area"), ("生态保护红线面积",), AREA),
    Factor(
        "red_line_ratio",
        gettext_noop("red-line share of the county's area"),
        ("生态保护红线占比", "红线面积占比"),
        RATIO,
    ),
    Factor(
        "control_area", gettext_noop("ecological-space control area"), ("生态空间管控区面积",), AREA
    ),
    Factor("forest_area", gettext_noop("forest area"), ("森林面积",), AREA),
    Factor("grassland_area", gettext_noop("grassland area"), ("草原面积",), AREA),
    Factor("wetland_area", gettext_noop("wetland area"), ("湿地面积",), AREA),
    Factor("population", gettext_noop("resident population"), ("常住人口",), PEOPLE),
    Factor("eco_spending", gettext_noop("ecological spending"), ("生态环保支出",), MONEY),
    Factor("moved_population", gettext_noop("population moved out"), ("生态移民人数",), PEOPLE),
    Factor(
        "quality_change",
        gettext_noop("environmental-quality change score"),
        ("环境质量变化得分",),
        SCORE,
    ),
    Factor(
        "negative_list_rate",
        gettext_noop("negative-list deduction rate"),
        ("负面清单扣减比例",),
        RATIO,
    ),
    Factor("assessment_score", gettext_noop("assessment score"), ("考评得分",), SCORE),
    # 宁党办〔2023〕32号 measure （八）: the 12 key ecological-function counties in the transfer
    # payment. The gazette does not name them and no public source naming all 12 was found,
    # so the list is data the finance department imports (1 = designated) with its source.
    Factor(
        "key_function_county",
        gettext_noop("key ecological-function county (1 if designated)"),
        ("重点生态功能区县",),
        FLAG,
    ),
)
#: The designation of measure （八）'s key ecological-function counties, and how many there are.
KEY_FUNCTION_COUNTY = "key_function_county"
KEY_FUNCTION_COUNTIES = 12
BY_KEY = {factor.key: factor for factor in FACTORS}
BY_HEADER = {header: factor for factor in FACTORS for header in factor.headers}
