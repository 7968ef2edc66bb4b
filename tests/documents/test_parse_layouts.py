"""The parser on layouts the sample gazette does not use (issue 3, items 5 and 8)."""

import json
from datetime import date
from pathlib import Path

import pytest

from shuzheng.documents.parsing.model import MilestoneKind
from shuzheng.documents.parsing.parser import parse
from shuzheng.orgs.resolution import Registry

REGISTRY = Path(__file__).resolve().parents[2] / "src/shuzheng/orgs/data/ningxia.json"

HEADER = "主要任务\t重点内容\t责任单位\t完成时限"

SINGLE_NOTICE = """宁夏回族自治区人民政府办公厅文件

宁政办发〔2024〕5号

自治区人民政府办公厅关于做好
政务数据共享工作的通知

各市、县（区）人民政府，自治区政府各部门：

为落实《宁夏回族自治区政务数据管理办法》（宁政规发[2022]3号），现就有关事项通知如下。

一、明确共享责任

（一）建立目录。各部门按照宁政发〔2023〕17号要求编制目录。

（二）按时报送。

二、加强督促检查

附件：政务数据共享责任清单

宁夏回族自治区人民政府办公厅
2024年1月8日

（此件依申请公开）
"""

PAGE_BREAK_TABLE = f"""关于推进数据共享的实施方案

一、重点任务

{HEADER}
(一) 建设平台\t1. 建成全区政务数据共享平台，\t自治区政府办公厅牵\t2024年

— 3 —

{HEADER}
(一) 建设平台\t实现部门间数据按需共享。\t头负责，各市、县（区）配合\t
\t2. 编制政务数据资源目录。\t自治区政府办公厅负责\t2023年6月底前
(二) 完善机制\t3. 建立数据共享考核制度。\t自治区政府办公厅牵头，自治区发展改革委配合\t持续推进
"""

PIPE_TABLE = """关于推进数据共享的实施方案

| 序号 | 主要任务 | 重点内容 | 责任单位 | 完成时限 |
| --- | --- | --- | --- | --- |
| 1 | (一) 建设平台 | 建成全区政务数据共享平台。 | 自治区政府办公厅牵头负责 | 2024年建成 |
| 2 |  | 编制政务数据资源目录。 | 自治区财政厅负责 | 2023年底前 |
"""

LINE_BROKEN_TABLE = """关于推进数据共享的实施方案

主要任务
重点内容
责任单位
完成时限
（一）建设平台
1. 建成全区政务数据共享平台。
自治区政府办公厅牵头负责，各市、县（区）配合
2024年建成
2. 编制政务数据资源目录。
自治区财政厅负责
2023年启动，2024年完成
（二）完善机制
3. 建立数据共享考核制度。
自治区政府办公厅负责
长期坚持

二、保障措施
"""

NUMBERED_LIST = """关于推进数据共享的工作方案

一、重点任务

1. 建成全区政务数据共享平台。
责任单位：自治区政府办公厅牵头，各市、县（区）配合
完成时限：2024年底前

2. 编制政务数据资源目录。（责任单位：自治区财政厅；完成时限：2023年6月底前）

二、保障措施

3. 加强宣传。
"""


@pytest.fixture(scope="module")
def resolve():
    registry = Registry.from_data(json.loads(REGISTRY.read_text(encoding="utf-8")))
    return registry.parse_responsibility


def parse_text(text, name="fixture.txt", **kwargs):
    return parse(text.encode("utf-8"), name, **kwargs)


def test_single_notice_without_gazette():
    result = parse_text(SINGLE_NOTICE)
    assert result.gazette is None
    [notice] = result.documents
    assert notice.title == "自治区人民政府办公厅关于做好政务数据共享工作的通知"
    assert notice.doc_number == "宁政办发〔2024〕5号"
    assert notice.doc_type == "通知"
    assert notice.issuers == ["自治区人民政府办公厅"]
    assert notice.signatories == ["宁夏回族自治区人民政府办公厅"]
    assert notice.addressees == ["各市、县（区）人民政府", "自治区政府各部门"]
    assert notice.written_on == date(2024, 1, 8)
    assert notice.disclosure == "on_request"
    assert [(a.number, a.title, a.omitted) for a in notice.attachments] == [
        (None, "政务数据共享责任清单", False)
    ]
    assert notice.start == 0  # the 版头 belongs to the document
    assert [(s.path, s.heading) for s in notice.sections] == [
        ("一", "明确共享责任"),
        ("一/(一)", "建立目录"),
        ("一/(二)", "按时报送"),
        ("二", "加强督促检查"),
    ]
    sections = {section.path: section for section in notice.sections}
    assert sections["二"].end == result.text.index("加强督促检查") + len("加强督促检查")
    assert [(c.title, c.doc_number) for c in notice.citations] == [
        ("宁夏回族自治区政务数据管理办法", "宁政规发〔2022〕3号"),
        (None, "宁政发〔2023〕17号"),
    ]
    assert notice.citations[1].raw == "宁政发〔2023〕17号"


def test_a_document_without_number_or_gazette():
    result = parse_text("# 关于推进数据共享的实施意见\n\n## 一、总体要求\n\n坚持统筹。\n")
    [document] = result.documents
    assert (document.title, document.doc_type, document.doc_number) == (
        "关于推进数据共享的实施意见",
        "意见",
        None,
    )
    assert [section.path for section in document.sections] == ["一"]


def test_plain_markdown_headings_nest_by_depth():
    text = "# 数据共享工作要点\n\n## 背景\n\n说明。\n\n### 现状\n\n说明。\n\n## 目标\n\n说明。\n"
    [document] = parse_text(text, "notes.md").documents
    assert [(s.path, s.level) for s in document.sections] == [
        ("背景", 1),
        ("背景/现状", 2),
        ("目标", 1),
    ]


def test_a_task_continued_after_a_page_break_is_joined(resolve):
    result = parse_text(PAGE_BREAK_TABLE, resolve_responsibility=resolve)
    tasks = result.documents[0].tasks
    assert [task.number for task in tasks] == [1, 2, 3]
    first = tasks[0]
    assert first.content == "建成全区政务数据共享平台，实现部门间数据按需共享。"
    assert first.raw_responsibility == "自治区政府办公厅牵头负责，各市、县（区）配合"
    assert first.category == "(一) 建设平台"
    assert [u.name for u in first.lead_units] == ["自治区政府办公厅"]
    assert [u.name for u in first.supporting_units] == ["各市、县（区）"]
    assert result.text[first.start : first.end].endswith("头负责，各市、县（区）配合\t")
    second = tasks[1]
    assert second.category == "(一) 建设平台"
    assert [(m.kind, m.on) for m in second.milestones] == [
        (MilestoneKind.COMPLETE, date(2023, 6, 30))
    ]
    assert tasks[2].category == "(二) 完善机制"
    assert result.findings == []


def test_pipe_table_in_a_text_file():
    tasks = parse_text(PIPE_TABLE).documents[0].tasks
    assert [
        (t.number, t.category, t.content, t.raw_responsibility, t.deadline_text) for t in tasks
    ] == [
        (
            1,
            "(一) 建设平台",
            "建成全区政务数据共享平台。",
            "自治区政府办公厅牵头负责",
            "2024年建成",
        ),
        (2, "(一) 建设平台", "编制政务数据资源目录。", "自治区财政厅负责", "2023年底前"),
    ]
    assert tasks[1].milestones[0].on == date(2023, 12, 31)


def test_pipe_table_in_a_markdown_file():
    tasks = parse_text(PIPE_TABLE, "plan.md").documents[0].tasks
    assert [(t.number, t.content) for t in tasks] == [
        (1, "建成全区政务数据共享平台。"),
        (2, "编制政务数据资源目录。"),
    ]


def test_columns_broken_over_lines(resolve):
    result = parse_text(LINE_BROKEN_TABLE, resolve_responsibility=resolve)
    [document] = result.documents
    tasks = document.tasks
    assert [(t.number, t.category, t.content) for t in tasks] == [
        (1, "(一) 建设平台", "建成全区政务数据共享平台。"),
        (2, "(一) 建设平台", "编制政务数据资源目录。"),
        (3, "(二) 完善机制", "建立数据共享考核制度。"),
    ]
    assert tasks[0].raw_responsibility == "自治区政府办公厅牵头负责，各市、县（区）配合"
    assert [(m.kind, m.year) for m in tasks[1].milestones] == [
        (MilestoneKind.START, 2023),
        (MilestoneKind.COMPLETE, 2024),
    ]
    assert tasks[2].deadline_text == "长期坚持"
    assert (
        result.text[tasks[2].start : tasks[2].end]
        == "3. 建立数据共享考核制度。\n自治区政府办公厅负责\n长期坚持"
    )
    assert [u.name for u in tasks[1].owner_units] == ["自治区财政厅"]
    assert [section.path for section in document.sections] == ["二"]


def test_numbered_paragraph_task_list(resolve):
    result = parse_text(NUMBERED_LIST, resolve_responsibility=resolve)
    tasks = result.documents[0].tasks
    assert [(t.number, t.form, t.category, t.content) for t in tasks] == [
        (1, "list", "一、重点任务", "建成全区政务数据共享平台。"),
        (2, "inline", "一、重点任务", "编制政务数据资源目录。"),
        (3, "inline", "二、保障措施", "加强宣传。"),
    ]
    # Item 3 continues the numbered series without naming a unit: kept, and flagged.
    assert tasks[2].raw_responsibility == "" and tasks[2].owner_units == []
    assert [(f.code, f.offset) for f in result.findings] == [
        ("responsibility-missing", result.text.index("3. 加强宣传"))
    ]
    assert tasks[0].raw_responsibility == "自治区政府办公厅牵头，各市、县（区）配合"
    assert tasks[0].deadline_text == "2024年底前"
    assert tasks[0].milestones[0].on == date(2024, 12, 31)
    assert tasks[1].raw_responsibility == "自治区财政厅"
    assert tasks[1].deadline_text == "2023年6月底前"
    assert [u.name for u in tasks[1].owner_units] == ["自治区财政厅"]


def test_inline_label_with_a_deadline(resolve):
    text = (
        "关于推进政务数据共享的实施意见\n二、重点任务\n（一）建设共享平台。\n"
        "1. 建成全区政务数据共享平台。〔责任单位：自治区政府办公厅牵头，"
        "各市、县（区）人民政府负责，2024年建成〕\n"
    )
    [task] = parse_text(text, resolve_responsibility=resolve).documents[0].tasks
    assert (task.number, task.category, task.content) == (
        1,
        "(一) 建设共享平台",
        "建成全区政务数据共享平台。",
    )
    assert task.raw_responsibility == "自治区政府办公厅牵头，各市、县（区）人民政府负责"
    assert task.deadline_text == "2024年建成"
    assert text[task.start : task.end].endswith("2024年建成〕")


def test_problems_become_findings(resolve):
    text = (
        "关于推进数据共享的实施方案\n\n"
        f"{HEADER}\n"
        "\t续写的内容\t\t\n"
        "(一) 建设平台\t1. 建成平台。\t自治区数据星球局负责\t视情况而定\n"
        "\t2. 编制目录。\t自治区财政厅负责\t2024年\t多余的格\n"
    )
    result = parse_text(text, resolve_responsibility=resolve)
    found = [(f.code, f.offset) for f in result.findings]
    assert found == [
        ("task-row-unsplit", text.index("\t续写")),
        ("task-row-unsplit", text.index("\t2. 编制目录")),
        ("deadline-unparsed", text.index("视情况而定")),
        ("unit-unresolved", text.index("自治区数据星球局")),
        ("deadline-unparsed", text.index("\t2. 编制目录")),  # "2024年多余的格"
    ]
    unresolved = result.findings[3]
    assert unresolved.context == "自治区数据星球局负责"
    tasks = result.documents[0].tasks
    assert [task.number for task in tasks] == [1, 2]
    assert tasks[1].deadline_text == "2024年多余的格"


def test_gb18030_text_is_decoded():
    result = parse(SINGLE_NOTICE.encode("gb18030"), "notice.txt")
    assert result.documents[0].doc_number == "宁政办发〔2024〕5号"
    assert result.encoding == "gb18030"


def test_the_written_date_is_the_one_under_the_signature():
    text = (
        "关于召开数据共享会议的通知\n宁政办发〔2024〕6号\n各市、县（区）人民政府：\n"
        "会议时间：\n2024年3月1日\n请准时参加。\n"
        "宁夏回族自治区人民政府办公厅\n2024年2月20日\n"
    )
    [notice] = parse_text(text).documents
    assert notice.written_on == date(2024, 2, 20)
    assert notice.signatories == ["宁夏回族自治区人民政府办公厅"]
