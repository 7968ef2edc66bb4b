"""The one 责任单位 grammar (shuzheng.text.responsibility) on phrasings from public documents.

Every row is a responsibility as a real document wrote it (the bracket's content, or the
table cell), with the roles a reader gives its units and where it was found.  Names are
compared as the grammar writes them (before the orgs resolver carries prefixes), one list
item each; "、" inside a name such as 各市、县（区） is kept by the resolver, not here.
docs/parse-schema.md lists the sources.
"""

import json
import re
from pathlib import Path

import pytest

from shuzheng.orgs.resolution import Registry
from shuzheng.text.responsibility import (
    LEAD,
    OWNER,
    SUPPORTING,
    looks_like_responsibility,
    role_clauses,
)

ROOT = Path(__file__).resolve().parents[2]

GOV_2014_31 = "国办函〔2014〕31号, www.gov.cn/zhengce/content/2014-03/10/content_8705.htm"
XIANYANG = "咸阳市2022年深化“放管服”改革优化营商环境工作要点, newton.com.tw/wiki/…/61994341"
HUBEI = "鄂政发〔2018〕26号 湖北省人民政府关于进一步优化营商环境的若干意见"
SICHUAN = "四川省“十四五”现代流通体系建设实施方案（川发改〔2022〕), law.foodmate.net/show-219854"
ANHUI = "安徽省土地节约集约利用综合改革试点实施方案（2022）, dingqianjf.com/news/show/134/1542380"
HEILONGJIANG = (
    "黑龙江省促进经济稳增长的若干措施, newton.com.tw/wiki/黑龍江省促進經濟穩增長的若干措施"
)
XIANGXI = "州政发〔2020〕5号 湘西自治州2020年深化“放管服”改革优化营商环境工作计划"
FUJIAN = (
    "闽政办〔2011〕113号 福建省中长期教育改革和发展规划纲要任务分工方案, m.777doc.com/doc-3957475"
)
GUOHAN_2018_144 = (
    "国函〔2018〕144号 国务院职业教育工作部际联席会议制度 (www.slrbs.com/news/guonei/2018-11-27)"
)
NINGXIA_2020_8 = "宁政办规发〔2020〕8号, dofcom.nx.gov.cn/zcfb/nxzc/202012/t20201208_2408129.html"
WEIHAI = "数字威海建设2023年工作要点（威海市人民政府办公室）, e-gov.org.cn/article-186199.html"
SHAOGUAN = "韶关市数字政府改革建设2023年工作要点, paobohui.com/policy/340715.htm"
QINGDAO = "数字青岛2022年行动方案（青岛市人民政府办公厅）, echinagov.com/policy/318817.htm"
FYMATE = "某市政府工作报告任务分解（“以上工作由…牵头，会同…”）, fymate.cn/html/text/lar/172725"
SAMPLE = "宁夏政府公报2023年第10期 (data/samples/ningxia-gazette-2023-10.txt)"
ISSUE_13 = "issue 13: a newly uploaded notice of the autonomous region"

# (text as written, lead, owner, supporting, source); names separated by " | ".
PHRASINGS = [
    (
        "由发展改革委会同中央农办、农业部、财政部、科技部、国土资源部、水利部、商务部、统计局、"
        "粮食局等部门研究提出落实意见",
        "发展改革委",
        "",
        "中央农办 | 农业部 | 财政部 | 科技部 | 国土资源部 | 水利部 | 商务部 | 统计局 | 粮食局等部门",
        GOV_2014_31,
    ),
    ("由国土资源部会同农业部等部门负责落实", "国土资源部", "", "农业部等部门", GOV_2014_31),
    (
        "市政府办公室、市行政审批制度改革工作领导小组办公室牵头，市级各有关部门及各县市区政府"
        "按职责分工负责",
        "市政府办公室 | 市行政审批制度改革工作领导小组办公室",
        "市级各有关部门 | 各县市区政府",
        "",
        XIANYANG,
    ),
    (
        "牵头单位：省发展改革委；责任单位：省编办、省国土资源厅、省环保厅、省住建厅",
        "省发展改革委",
        "省编办 | 省国土资源厅 | 省环保厅 | 省住建厅",
        "",
        HUBEI,
    ),
    (
        "责任单位：省发展改革委、省市场监管局、商务厅、省大数据中心按职责分工负责。具体任务均涉及"
        "相关市（州）人民政府，不再做分工，下同。",
        "",
        "省发展改革委 | 省市场监管局 | 商务厅 | 省大数据中心",
        "",
        SICHUAN,
    ),
    ("责任单位：省市场监管局", "", "省市场监管局", "", SICHUAN),
    (
        "牵头单位：省自然资源厅；责任单位：省住房城乡建设厅，各市、县人民政府",
        "省自然资源厅",
        "省住房城乡建设厅 | 各市 | 县人民政府",
        "",
        ANHUI,
    ),
    (
        "省发改委、铁路办、哈尔滨铁路局、相关市、县政府负责",
        "",
        "省发改委 | 铁路办 | 哈尔滨铁路局 | 相关市 | 县政府",
        "",
        HEILONGJIANG,
    ),
    (
        "省发改委、交通运输厅、相关市、县政府负责",
        "",
        "省发改委 | 交通运输厅 | 相关市 | 县政府",
        "",
        HEILONGJIANG,
    ),
    (
        "哈尔滨机场扩建指挥部、哈尔滨、黑河、绥芬河市政府、省农垦总局负责",
        "",
        "哈尔滨机场扩建指挥部 | 哈尔滨 | 黑河 | 绥芬河市政府 | 省农垦总局",
        "",
        HEILONGJIANG,
    ),
    (
        "牵头单位：州行政审批服务局；责任单位：州司法局、州委编办及州直相关单位，各县市人民政府、"
        "湘西经开区管委会，6月底完成",
        "州行政审批服务局",
        "州司法局 | 州委编办 | 州直相关单位 | 各县市人民政府 | 湘西经开区管委会",
        "",
        XIANGXI,
    ),
    (
        "财政厅、发展改革委、教育厅。列在首位的为牵头部门或单位，有关部门和单位按职责分工负责，下同",
        "财政厅",
        "发展改革委 | 教育厅",
        "",
        FUJIAN,
    ),
    (
        "教育厅、发展改革委、人力资源和社会保障厅、公务员局、物价局",
        "",
        "教育厅 | 发展改革委 | 人力资源和社会保障厅 | 公务员局 | 物价局",
        "",
        FUJIAN,
    ),
    (
        "发展改革委、教育厅、财政厅、住房和城乡建设厅、国土资源厅、公务员局",
        "",
        "发展改革委 | 教育厅 | 财政厅 | 住房和城乡建设厅 | 国土资源厅 | 公务员局",
        "",
        FUJIAN,
    ),
    ("教育部为牵头单位", "教育部", "", "", GUOHAN_2018_144),
    ("责任单位：自治区发展改革委、财政厅", "", "自治区发展改革委 | 财政厅", "", NINGXIA_2020_8),
    (
        "牵头单位：市行政审批服务局；责任单位：市直有关部门、单位，各区市政府、开发区管委。以下任务"
        "均需各区市政府、开发区管委落实，不再一一列出",
        "市行政审批服务局",
        "市直有关部门 | 单位 | 各区市政府 | 开发区管委",
        "",
        WEIHAI,
    ),
    (
        "市政务服务数据管理局、各县（市、区）政府牵头",
        "市政务服务数据管理局 | 各县（市、区）政府",
        "",
        "",
        SHAOGUAN,
    ),
    (
        "责任单位：市大数据局、市统计局、市人力资源社会保障局、市企业托管中心、市市场监管局",
        "",
        "市大数据局 | 市统计局 | 市人力资源社会保障局 | 市企业托管中心 | 市市场监管局",
        "",
        QINGDAO,
    ),
    (
        "责任单位：市大数据局，市委编办，市应急局、市发展改革委、市统计局",
        "",
        "市大数据局 | 市委编办 | 市应急局 | 市发展改革委 | 市统计局",
        "",
        QINGDAO,
    ),
    (
        "以上工作由省教育厅、人力资源社会保障厅牵头，会同省财政厅、公安厅",
        "省教育厅 | 人力资源社会保障厅",
        "",
        "省财政厅 | 公安厅",
        FYMATE,
    ),
    (
        "自治区发展改革委、自治区市场监督管理厅，各市、县（区）人民政府配合",
        "自治区发展改革委 | 自治区市场监督管理厅",
        "",
        "各市 | 县（区）人民政府",
        ISSUE_13,
    ),
    (
        "自治区农业农村厅牵头，各市、县（区）具体负责，自治区有关部门（单位）配合",
        "自治区农业农村厅",
        "各市 | 县（区）",
        "自治区有关部门（单位）",
        SAMPLE,
    ),
    (
        "自治区党委国安办牵头负责，自治区党委网信办，发展改革委等部门（单位）配合，自治区数据局参与",
        "自治区党委国安办",
        "",
        "自治区党委网信办 | 发展改革委等部门（单位） | 自治区数据局",
        SAMPLE,
    ),
    (
        "自治区财政厅、水利厅，各市、县（区）",
        "",
        "自治区财政厅 | 水利厅 | 各市 | 县（区）",
        "",
        SAMPLE,
    ),
    (
        "自治区大数据中心牵头，各市、县（区）人民政府负责",
        "自治区大数据中心",
        "各市 | 县（区）人民政府",
        "",
        SAMPLE,
    ),
    (
        "自治区有关部门（单位），各地级市按照职能分别负责",
        "",
        "自治区有关部门（单位） | 各地级市",
        "",
        SAMPLE,
    ),
]

# The layouts named in the brief (issue 13, point 5), written as documents write them.
LAYOUTS = [
    ("自治区发展改革委、自治区财政厅负责", "", "自治区发展改革委 | 自治区财政厅", ""),
    ("自治区发展改革委牵头，自治区财政厅配合", "自治区发展改革委", "", "自治区财政厅"),
    ("责任单位：自治区发展改革委；配合单位：自治区财政厅", "自治区发展改革委", "", "自治区财政厅"),
    ("自治区商务厅负责，自治区发展改革委指导", "", "自治区商务厅", "自治区发展改革委"),
    (
        "牵头单位：自治区商务厅；配合单位：自治区财政厅、自治区税务局",
        "自治区商务厅",
        "",
        "自治区财政厅 | 自治区税务局",
    ),
    (
        "自治区发展改革委（牵头）、自治区财政厅、自治区商务厅",
        "自治区发展改革委",
        "自治区财政厅 | 自治区商务厅",
        "",
    ),
    ("自治区教育厅牵头，自治区财政厅参与", "自治区教育厅", "", "自治区财政厅"),
    ("自治区教育厅为牵头单位，自治区财政厅为配合单位", "自治区教育厅", "", "自治区财政厅"),
    ("主责单位：自治区水利厅；协办单位：自治区生态环境厅", "自治区水利厅", "", "自治区生态环境厅"),
    ("自治区水利厅主责，自治区林草局协助", "自治区水利厅", "", "自治区林草局"),
    ("自治区卫生健康委会同自治区医保局负责", "自治区卫生健康委", "", "自治区医保局"),
    ("各市、县（区）人民政府负责落实", "", "各市 | 县（区）人民政府", ""),
    ("指导部门：自治区商务厅", "", "", "自治区商务厅"),
    (
        "自治区公安厅牵头，自治区司法厅、自治区民政厅按职责分工负责",
        "自治区公安厅",
        "自治区司法厅 | 自治区民政厅",
        "",
    ),
    ("（自治区交通运输厅牵头，2024年底前完成）", "自治区交通运输厅", "", ""),
]


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.split("|") if name.strip()]


def _split(names: str) -> list[str]:
    plain = names
    for group in ("各县（市、区）政府",):
        plain = plain.replace(group, group.replace("、", "\x00"))
    parts = [part for part in re.split(r"[、，；]|及(?=[各州市省自])", plain) if part]
    return [part.replace("\x00", "、") for part in parts]


def _unbracketed(text: str) -> str:
    return text[1:-1] if text.startswith("（") and text.endswith("）") else text


def _by_role(text: str) -> dict[str, list[str]]:
    found = {LEAD: [], OWNER: [], SUPPORTING: []}
    for clause in role_clauses(_unbracketed(text)):
        found[clause.role] += _split(clause.names)
    return found


def test_at_least_forty_phrasings_with_their_sources():
    assert len(PHRASINGS) + len(LAYOUTS) >= 40
    assert all(row[4] for row in PHRASINGS)


@pytest.mark.parametrize(
    ("text", "lead", "owner", "supporting", "source"),
    PHRASINGS,
    ids=[f"{row[0][:12]}…" for row in PHRASINGS],
)
def test_real_phrasing(text, lead, owner, supporting, source):
    assert _by_role(text) == {
        LEAD: _names(lead),
        OWNER: _names(owner),
        SUPPORTING: _names(supporting),
    }, source


@pytest.mark.parametrize(("text", "lead", "owner", "supporting"), LAYOUTS)
def test_layout(text, lead, owner, supporting):
    assert _by_role(text) == {
        LEAD: _names(lead),
        OWNER: _names(owner),
        SUPPORTING: _names(supporting),
    }


@pytest.mark.parametrize(
    "text",
    [
        "以下简称“负责人”",
        "2023—2025年",
        "国发〔2022〕14号",
        "试行",
        "含负责同志",
        "见附件",
        "由各地负责解释的除外",
    ],
)
def test_asides_are_no_responsibility(text):
    assert not looks_like_responsibility(text)


@pytest.mark.parametrize("row", [row[0] for row in PHRASINGS] + [row[0] for row in LAYOUTS])
def test_every_phrasing_reads_as_a_responsibility(row):
    assert looks_like_responsibility(_unbracketed(row)) or not re.search(
        r"牵头|负责|配合|参与|指导|协助|主责|会同|单位：|落实", row
    )


def test_the_issue_13_notice_leads_with_both_named_units():
    """Issue 13: both named units were read as 配合, not as lead."""
    registry = Registry.from_data(
        json.loads((ROOT / "src/shuzheng/orgs/data/ningxia.json").read_text(encoding="utf-8"))
    )
    found = registry.parse_responsibility(
        "自治区发展改革委、自治区市场监督管理厅，各市、县（区）人民政府配合"
    )
    assert [unit.name for unit in found.lead] == ["自治区发展改革委", "自治区市场监督管理厅"]
    assert [unit.group for unit in found.supporting] == ["all-cities-and-counties"]
    assert found.owner == []
