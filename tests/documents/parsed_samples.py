"""Hand-built parser output for the ingestion tests: a 通知 that 印发 an 意见 with 3 tasks.

Offsets are computed from the text, exactly as the parser reports them, so these results
exercise the same paths as the real parser's (issue 3, item 7).
"""

from __future__ import annotations

import hashlib
from datetime import date

from shuzheng.documents.parsing import model as parsed

NOTICE_TITLE = "自治区人民政府办公厅关于印发《关于推进政务数据共享的实施意见》的通知"
OPINION_TITLE = "关于推进政务数据共享的实施意见"
NOTICE_NUMBER = "宁政办发〔2023〕5号"
CITED_NUMBER = "国发〔2022〕14号"

NOTICE = f"""{NOTICE_TITLE}
{NOTICE_NUMBER}
各市、县（区）人民政府，自治区政府各部门：
现将《{OPINION_TITLE}》印发给你们，请认真贯彻落实。
附件：重点任务分工表
宁夏回族自治区人民政府办公厅
2023年5月10日
（此件公开发布）
"""

OPINION = f"""{OPINION_TITLE}
一、总体要求
根据《国务院关于加强数字政府建设的指导意见》（{CITED_NUMBER}）精神，制定本意见。
二、重点任务
（一）建设共享平台。
1. 建成全区政务数据共享平台。〔责任单位：自治区大数据中心牵头，各市、县（区）人民政府负责，2024年建成〕
2. 编制政务数据资源目录。〔责任单位：自治区政府办公厅，2023年底前完成〕
（二）完善共享机制。
3. 建立数据共享考核制度。〔责任单位：自治区政府办公厅牵头，自治区大数据中心配合，持续推进〕
"""


def build_result(
    *,
    opinion_extra: str = "",
    name: str = "notice.txt",
    cite: str | None = CITED_NUMBER,
    notice_number: str = NOTICE_NUMBER,
    findings: list[parsed.Finding] | None = None,
) -> parsed.ParseResult:
    """The parse result of NOTICE + OPINION; ``opinion_extra`` appends a sentence to the
    opinion (a changed text: a new version)."""
    notice = NOTICE.replace(NOTICE_NUMBER, notice_number)
    opinion = OPINION + opinion_extra
    if cite is None:
        opinion = opinion.replace(f"（{CITED_NUMBER}）", "")
    text = notice + opinion
    base = len(notice)
    return parsed.ParseResult(
        source_name=name,
        source_format="txt",
        encoding="utf-8",
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        text=text,
        gazette=None,
        documents=[_notice(notice, notice_number), _opinion(text, base, cite)],
        findings=list(findings or [])
        + [
            parsed.Finding(
                parsed.Severity.WARNING,
                "unit-unresolved",
                {"number": 1, "unit": "自治区大数据中心"},
                offset=text.index("自治区大数据中心"),
                context="自治区大数据中心牵头",
            )
        ],
    )


def _notice(notice: str, number: str) -> parsed.ParsedDocument:
    return parsed.ParsedDocument(
        title=NOTICE_TITLE,
        doc_number=number,
        issuers=["宁夏回族自治区人民政府办公厅"],
        addressees=["各市、县（区）人民政府", "自治区政府各部门"],
        written_on=date(2023, 5, 10),
        doc_type="通知",
        disclosure="public",
        attachments=[parsed.Attachment(1, "重点任务分工表")],
        transmits=1,
        sections=[],
        start=0,
        end=len(notice),
    )


def _opinion(text: str, base: int, cite: str | None) -> parsed.ParsedDocument:
    def span(fragment: str) -> tuple[int, int]:
        start = text.index(fragment, base)
        return start, start + len(fragment)

    one = span("一、总体要求")[0]
    two = span("二、重点任务")[0]
    first = span("（一）建设共享平台。")[0]
    second = span("（二）完善共享机制。")[0]
    end = len(text)
    sections = [
        parsed.Section("一", "总体要求", 1, one, two),
        parsed.Section("二", "重点任务", 1, two, end),
        parsed.Section("二/(一)", "建设共享平台", 2, first, second),
        parsed.Section("二/(二)", "完善共享机制", 2, second, end),
    ]
    citations = []
    if cite:
        raw = f"《国务院关于加强数字政府建设的指导意见》（{cite}）"
        start, stop = span(raw)
        citations.append(
            parsed.Citation(raw, "国务院关于加强数字政府建设的指导意见", cite, start, stop)
        )
    return parsed.ParsedDocument(
        title=OPINION_TITLE,
        doc_type="意见",
        sections=sections,
        citations=citations,
        tasks=[_task_one(span), _task_two(span), _task_three(span)],
        start=base,
        end=end,
    )


def _task_one(span) -> parsed.KeyTask:
    start, end = span("1. 建成全区政务数据共享平台。")
    return parsed.KeyTask(
        number=1,
        category="（一）建设共享平台",
        content="建成全区政务数据共享平台。",
        raw_responsibility="自治区大数据中心牵头，各市、县（区）人民政府负责",
        lead_units=[parsed.UnitRef("自治区大数据中心")],
        owner_units=[
            parsed.UnitRef(
                "各市、县（区）人民政府",
                unit_codes=["yinchuan-gov", "shizuishan-gov"],
                group="all-cities-and-counties",
                resolved=True,
            )
        ],
        deadline_text="2024年建成",
        milestones=[parsed.Milestone(parsed.MilestoneKind.COMPLETE, 2024, None, "2024年建成")],
        start=start,
        end=end,
        form="inline",
    )


def _task_two(span) -> parsed.KeyTask:
    start, end = span("2. 编制政务数据资源目录。")
    return parsed.KeyTask(
        number=2,
        category="（一）建设共享平台",
        content="编制政务数据资源目录。",
        raw_responsibility="自治区政府办公厅",
        owner_units=[parsed.UnitRef("自治区政府办公厅", ["nx-gov-office"], resolved=True)],
        deadline_text="2023年底前完成",
        milestones=[
            parsed.Milestone(
                parsed.MilestoneKind.COMPLETE, 2023, date(2023, 12, 31), "2023年底前完成"
            )
        ],
        start=start,
        end=end,
        form="inline",
    )


def _task_three(span) -> parsed.KeyTask:
    start, end = span("3. 建立数据共享考核制度。")
    return parsed.KeyTask(
        number=3,
        category="（二）完善共享机制",
        content="建立数据共享考核制度。",
        raw_responsibility="自治区政府办公厅牵头，自治区大数据中心配合",
        lead_units=[parsed.UnitRef("自治区政府办公厅", ["nx-gov-office"], resolved=True)],
        supporting_units=[parsed.UnitRef("自治区大数据中心")],
        deadline_text="持续推进",
        milestones=[parsed.Milestone(parsed.MilestoneKind.ONGOING, None, None, "持续推进")],
        start=start,
        end=end,
        form="inline",
    )


def cited_result(name: str = "cited.txt") -> parsed.ParseResult:
    """A file holding the document the opinion cites (国发〔2022〕14号)."""
    text = f"国务院关于加强数字政府建设的指导意见\n{CITED_NUMBER}\n各省、自治区、直辖市人民政府：\n现提出如下意见。\n"
    return parsed.ParseResult(
        source_name=name,
        source_format="txt",
        encoding="utf-8",
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        text=text,
        documents=[
            parsed.ParsedDocument(
                title="国务院关于加强数字政府建设的指导意见",
                doc_number=CITED_NUMBER,
                issuers=["国务院"],
                doc_type="意见",
                disclosure="public",
                start=0,
                end=len(text),
            )
        ],
    )
