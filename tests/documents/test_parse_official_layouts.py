"""The parser on the common layouts of official documents (issue 13, point 5), held out from
the sample gazette: every document here was written for these tests after the layouts of
published documents (sources in docs/parse-schema.md, "Layouts the parser reads"); the Word
and PDF files are built here, not committed.
"""

import io
import json
from datetime import date
from pathlib import Path

import pytest

from shuzheng.documents.parsing.parser import parse
from shuzheng.orgs.resolution import Registry

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = ROOT / "src/shuzheng/orgs/data/ningxia.json"


@pytest.fixture(scope="module")
def resolve():
    registry = Registry.from_data(json.loads(REGISTRY.read_text(encoding="utf-8")))
    return registry.parse_responsibility


def parsed(text: str, resolve, name: str = "document.txt"):
    return parse(text.encode("utf-8"), name, resolve_responsibility=resolve)


def roles(task) -> tuple[list[str], list[str], list[str]]:
    return (
        [unit.name for unit in task.lead_units],
        [unit.name for unit in task.owner_units],
        [unit.name for unit in task.supporting_units],
    )


# --- numbered measures closed by a bracketed responsibility --------------------------------

MEASURES = """自治区人民政府办公厅关于印发宁夏回族自治区优化营商环境若干措施的通知

宁政办发〔2024〕12号

各市、县（区）人民政府，自治区政府各部门、各直属机构：

《宁夏回族自治区优化营商环境若干措施》已经自治区人民政府同意，现印发给你们，请认真贯彻落实。

宁夏回族自治区人民政府办公厅
2024年3月20日

（此件公开发布）

宁夏回族自治区优化营商环境若干措施

一、提升政务服务效能

1.推行企业开办“一网通办”，企业开办时间压缩至1个工作日以内。（自治区市场监督管理厅、自治区政务服务管理局负责）

2.全面推行工程建设项目审批“一张表单”。（自治区住房城乡建设厅牵头，自治区自然资源厅、自治区发展改革委配合）

3.建立惠企政策“免申即享”机制。（责任单位：自治区发展改革委；配合单位：自治区财政厅）

二、优化市场环境

4.开展涉企违规收费专项整治。（自治区市场监督管理厅负责，自治区发展改革委指导）

5.落实公平竞争审查制度。（责任单位：自治区发展改革委、自治区市场监督管理厅，各市、县（区）人民政府配合）

6.编制营商环境评价报告（2024—2025年）。
"""


def test_numbered_measures_closed_by_a_bracketed_responsibility(resolve):
    result = parsed(MEASURES, resolve)
    measures = result.documents[1]
    assert measures.title == "宁夏回族自治区优化营商环境若干措施"
    tasks = {task.number: task for task in measures.tasks}
    assert sorted(tasks) == [1, 2, 3, 4, 5, 6]
    assert roles(tasks[1]) == ([], ["自治区市场监督管理厅", "自治区政务服务管理局"], [])
    assert roles(tasks[2]) == (
        ["自治区住房城乡建设厅"],
        [],
        ["自治区自然资源厅", "自治区发展改革委"],
    )
    assert roles(tasks[3]) == (["自治区发展改革委"], [], ["自治区财政厅"])
    assert roles(tasks[4]) == ([], ["自治区市场监督管理厅"], ["自治区发展改革委"])
    # Issue 13: the two named units lead, the governments support (were all 配合).
    assert roles(tasks[5])[0] == ["自治区发展改革委", "自治区市场监督管理厅"]
    assert [unit.group for unit in tasks[5].supporting_units] == ["all-cities-and-counties"]
    assert tasks[1].content == "推行企业开办“一网通办”，企业开办时间压缩至1个工作日以内。"
    assert tasks[2].category == "一、提升政务服务效能"
    # "（2024—2025年）" is no responsibility: the measure asks for a unit to be assigned.
    assert tasks[6].raw_responsibility == "" and tasks[6].content.endswith("（2024—2025年）。")
    missing = [f for f in result.findings if f.code == "responsibility-missing"]
    assert [f.params["number"] for f in missing] == [6]
    # The measures document takes the notice's issuer and date (it names neither).
    assert measures.issuers == ["自治区人民政府办公厅"]
    assert measures.written_on == date(2024, 3, 20)


# --- attachment tables with other column names ---------------------------------------------

PROMOTION_TABLE = """国务院关于做好自由贸易试验区改革试点经验复制推广工作的通知

国发〔2024〕9号

各省、自治区、直辖市人民政府，国务院各部委、各直属机构：

现将改革试点经验复制推广工作有关事项通知如下。

附件：自由贸易试验区改革试点经验复制推广工作任务表

国务院
2024年6月3日

（此件公开发布）

附件

自由贸易试验区改革试点经验复制推广工作任务表

| 序号 | 改革举措 | 主要内容 | 指导部门 | 推广范围 |
|---|---|---|---|---|
| 一、投资管理领域（共2项） | | | | |
| 1 | 企业登记“一照多址” | 企业在同一县域内增设经营场所的，免于办理分支机构登记。 | 市场监管总局 | 全国 |
| 2 | 工程建设项目“拿地即开工” | 分阶段核发施工许可，土地出让后即可开工建设。 | 住房城乡建设部、自然资源部 | 全国 |
| 二、贸易便利化领域（共1项） | | | | |
| 3 | 进口货物“两段准入” | 在口岸准予提离，在目的地完成检查。 | 海关总署 | 全国 |
"""


def test_a_markdown_table_named_otherwise_with_section_rows(resolve):
    result = parsed(PROMOTION_TABLE, resolve, "promotion.md")
    notice = result.documents[0]
    assert [task.number for task in notice.tasks] == [1, 2, 3]
    first, second, third = notice.tasks
    assert (
        first.content
        == "企业登记“一照多址”：企业在同一县域内增设经营场所的，免于办理分支机构登记。"
    )
    assert first.category == "一、投资管理领域" and third.category == "二、贸易便利化领域"
    assert first.category_raw == "一、投资管理领域（共2项）"
    assert second.raw_responsibility == "指导单位：住房城乡建设部、自然资源部"
    assert [unit.name for unit in second.supporting_units] == ["住房城乡建设部", "自然资源部"]
    assert second.lead_units == second.owner_units == []


TAB_TABLE = (
    "关于印发2024年数字政府建设重点工作任务的通知\n\n宁政办发〔2024〕3号\n\n"
    "各市、县（区）人民政府：\n\n现将重点工作任务印发给你们。\n\n"
    "宁夏回族自治区人民政府办公厅\n二○二四年一月十日\n\n"
    "序号\t重点任务\t牵头单位\t配合单位\t完成时限\n"
    "一、数字基础设施（共2项）\t\t\t\t\n"
    "1\t建成全区一体化政务云平台。\t自治区大数据中心\t自治区财政厅\t2024年底前\n"
    "2\t推进政务外网IPv6改造。\t自治区党委网信办\t各市、县（区）人民政府\t2024年6月底前\n"
)


def test_a_tab_separated_table_with_lead_and_supporting_columns(resolve):
    result = parsed(TAB_TABLE, resolve)
    notice = result.documents[0]
    assert notice.written_on == date(2024, 1, 10)  # 二○二四年 with the white circle
    first, second = notice.tasks
    assert first.raw_responsibility == "牵头单位：自治区大数据中心；配合单位：自治区财政厅"
    assert roles(first) == (["自治区大数据中心"], [], ["自治区财政厅"])
    assert [unit.group for unit in second.supporting_units] == ["all-cities-and-counties"]
    assert first.category == "一、数字基础设施"
    assert first.milestones[0].on == date(2024, 12, 31)


def _docx(rows: list[list[str]], merged_rows: set[int]) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("自治区发展改革委关于印发深化投资审批制度改革任务清单的通知")
    document.add_paragraph("宁发改投资〔2024〕88号")
    document.add_paragraph("各市、县（区）发展改革局：")
    document.add_paragraph("现将任务清单印发给你们，请抓好落实。")
    document.add_paragraph("宁夏回族自治区发展和改革委员会")
    document.add_paragraph("2024年4月2日")
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for row_index, cells in enumerate(rows):
        if row_index in merged_rows:
            merged = table.cell(row_index, 0).merge(table.cell(row_index, len(cells) - 1))
            merged.text = cells[0]
            continue
        for column, text in enumerate(cells):
            table.cell(row_index, column).text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_word_table_with_a_merged_section_row(resolve):
    rows = [
        ["序号", "改革举措", "主要内容", "责任单位", "完成时限"],
        ["一、审批流程（共2项）", "", "", "", ""],
        [
            "1",
            "投资项目“承诺制”",
            "对备案类项目推行告知承诺。",
            "自治区发展改革委牵头，自治区自然资源厅配合",
            "2024年9月底前",
        ],
        [
            "2",
            "联合验收",
            "竣工验收实行“一家牵头、联合验收”。",
            "自治区住房城乡建设厅负责",
            "2024年底前",
        ],
    ]
    result = parse(_docx(rows, {1}), "tasks.docx", resolve_responsibility=resolve)
    notice = result.documents[0]
    assert [task.number for task in notice.tasks] == [1, 2]
    first, second = notice.tasks
    assert first.content == "投资项目“承诺制”：对备案类项目推行告知承诺。"
    assert first.category == "一、审批流程"
    assert roles(first) == (["自治区发展改革委"], [], ["自治区自然资源厅"])
    assert roles(second) == ([], ["自治区住房城乡建设厅"], [])


def _pdf(rows: list[list[str]]) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=12, leading=19, wordWrap="CJK")
    cell = ParagraphStyle("cell", parent=body, fontSize=10, leading=14)
    story = [
        Paragraph("关于印发2024年生态环境保护重点任务分工的通知", body),
        Paragraph("宁环发〔2024〕21号", body),
        Paragraph("各市、县（区）生态环境局：", body),
        Paragraph("现将重点任务分工印发给你们。", body),
        Spacer(1, 12),
        Table(
            [[Paragraph(text, cell) for text in cells] for cells in rows],
            colWidths=[15 * mm, 60 * mm, 35 * mm, 35 * mm, 25 * mm],
            style=TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]),
        ),
    ]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, invariant=1).build(story)
    return buffer.getvalue()


def test_a_pdf_table_with_lead_and_supporting_columns(resolve):
    rows = [
        ["序号", "主要内容", "牵头单位", "配合单位", "完成时限"],
        ["1", "完成黄河干流入河排污口整治。", "自治区生态环境厅", "自治区水利厅", "2024年底前"],
        [
            "2",
            "开展重点行业清洁生产审核。",
            "自治区工业和信息化厅",
            "自治区生态环境厅",
            "2024年10月底前",
        ],
    ]
    result = parse(_pdf(rows), "tasks.pdf", resolve_responsibility=resolve)
    tasks = result.documents[0].tasks
    assert [task.number for task in tasks] == [1, 2]
    assert roles(tasks[0]) == (["自治区生态环境厅"], [], ["自治区水利厅"])
    assert roles(tasks[1]) == (["自治区工业和信息化厅"], [], ["自治区生态环境厅"])
    assert tasks[1].milestones[0].on == date(2024, 10, 31)


# --- notices transmitting several documents, joint issuers, the 1990s -----------------------

TWO_DOCUMENTS = """自治区人民政府办公厅关于印发《宁夏回族自治区政务数据共享管理办法》和《宁夏回族自治区公共数据开放管理办法》的通知

宁政办规发〔2024〕2号

各市、县（区）人民政府，自治区政府各部门：

《宁夏回族自治区政务数据共享管理办法》和《宁夏回族自治区公共数据开放管理办法》已经自治区人民政府同意，现印发给你们，请认真遵照执行。

宁夏回族自治区人民政府办公厅
2024年2月6日

（此件公开发布）

宁夏回族自治区政务数据共享管理办法

第一条 为规范政务数据共享，制定本办法。

第二条 本办法自印发之日起施行。

宁夏回族自治区公共数据开放管理办法

第一条 为促进公共数据有序开放，制定本办法。

第二条 本办法自印发之日起施行。
"""


def test_a_notice_transmitting_two_documents(resolve):
    result = parsed(TWO_DOCUMENTS, resolve)
    notice, sharing, opening = result.documents
    assert notice.transmits == 1 and notice.transmitted == [1, 2]
    assert sharing.title == "宁夏回族自治区政务数据共享管理办法"
    assert opening.title == "宁夏回族自治区公共数据开放管理办法"
    assert result.text[sharing.start : sharing.end].endswith("本办法自印发之日起施行。")
    assert result.text[opening.start :].startswith("宁夏回族自治区公共数据开放管理办法")
    assert sharing.end < opening.start
    assert opening.disclosure == "public" and opening.written_on == date(2024, 2, 6)
    assert not [f for f in result.findings if f.code == "transmitted-not-found"]


JOINT = """财政部 发展改革委 人民银行关于在公共服务领域推广政府和社会资本合作模式的指导意见

财金〔2015〕21号

各省、自治区、直辖市人民政府：

为打造大众创业、万众创新和增加公共产品、公共服务“双引擎”，现提出以下意见。

一、充分认识推广政府和社会资本合作模式的重大意义

二、总体要求

财政部　　发展改革委　　人民银行
2015年5月19日
"""


def test_a_jointly_issued_document(resolve):
    document = parsed(JOINT, resolve).documents[0]
    assert document.issuers == ["财政部", "发展改革委", "人民银行"]
    assert document.signatories == ["财政部", "发展改革委", "人民银行"]
    assert document.doc_number == "财金〔2015〕21号"
    assert document.written_on == date(2015, 5, 19)
    assert document.doc_type == "意见"


@pytest.mark.parametrize("number", ["国发〔1996〕12号", "国发[1996]12号", "国发（1996）12号"])
def test_a_document_of_the_1990s(resolve, number):
    text = f"""国务院关于加强流通领域价格管理的通知
{number}
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
为稳定市场物价，现就有关问题通知如下：
一、各地区要加强对重要商品价格的监测。
二、本通知自发布之日起施行。
国务院
一九九六年三月五日
"""
    document = parsed(text, resolve).documents[0]
    assert document.title == "国务院关于加强流通领域价格管理的通知"
    assert document.doc_number == "国发〔1996〕12号"
    assert document.issuers == ["国务院"] and document.signatories == ["国务院"]
    assert document.written_on == date(1996, 3, 5)
    assert [section.path for section in document.sections] == ["一", "二"]
