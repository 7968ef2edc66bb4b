"""What the document parser finds: plain dataclasses, no Django.

These types are the contract between the parser (documents.parsing), the ingestion service
(documents.services) and the ``shuzheng parse --json`` output documented in
docs/parse-schema.md.  Every offset is a character offset into ``ParseResult.text``, the
decoded source text exactly as stored (normalisation never rewrites it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from enum import StrEnum

from shuzheng.text.translation import gettext_noop, join_list


class Severity(StrEnum):
    ERROR = "error"  # the input could not be used (nothing is stored)
    WARNING = "warning"  # something was found but could not be understood fully
    INFO = "info"


class MilestoneKind(StrEnum):
    """Glossary: 完成时限 → milestones (start / complete / effective / ongoing)."""

    START = "start"  # 启动
    COMPLETE = "complete"  # 完成, 建成, 形成, 出台 …
    EFFECTIVE = "effective"  # 取得明显成效, 见效
    ONGOING = "ongoing"  # 持续推进, 长期坚持


class UnitRole(StrEnum):
    LEAD = "lead"  # 牵头 / 牵头负责
    OWNER = "owner"  # 负责 / 具体负责 / 分别负责
    SUPPORTING = "supporting"  # 配合 / 参与


#: Each finding's sentence, by code (a code with several cases: "code/variant"), marked for
#: translation and worded at display in the reader's language (documents.presentation).
#: Stored findings keep the code and the values only (docs/ingestion.md).
FINDING_TEXT = {
    "encoding-detected": gettext_noop("The file is encoded in {encoding}."),
    "md-tables-converted": gettext_noop(
        "Converted {count} Markdown pipe table(s) to tab-separated rows."
    ),
    "docx-merged-cells": gettext_noop(
        "Merged table cells: the text is in the first cell, the others are empty."
    ),
    "pdf-page-without-text": gettext_noop(
        "Page(s) {pages} have no text layer (scanned); their content is missing."
    ),
    "pdf-headers-dropped": gettext_noop(
        "Dropped {count} page header, footer or page number line(s)."
    ),
    "pdf-table-joined": gettext_noop("Joined {count} table(s) continued on the next page."),
    "html-charset-mismatch": gettext_noop(
        "The page declares the charset {charset} but is not encoded in it; detected instead."
    ),
    "html-main-content": gettext_noop("Article text taken from the page element {selector}."),
    "html-no-main-content": gettext_noop(
        "No known article element; took the block with the most text, which may include site text."
    ),
    "title-not-found": gettext_noop(
        "No title found; the whole text is read as one document, titled by its file name."
    ),
    "transmitted-not-found": gettext_noop(
        "The notice transmits 《{title}》 but its text was not found after it."
    ),
    "title-differs": gettext_noop(
        "The heading reads 《{heading}》; the transmitting notice names it 《{title}》."
    ),
    "responsibility-missing": gettext_noop(
        "Measure {number} names no responsible unit; assign one in the ledger."
    ),
    "deadline-unparsed": gettext_noop("Task {number}: the deadline “{clause}” could not be read."),
    "unit-unresolved": gettext_noop("Task {number}: the unit “{unit}” is not in the registry."),
    "task-row-unsplit": gettext_noop(
        "The row has {cells} cells, the table {columns} columns; the extra cells are joined "
        "to the last one."
    ),
    "task-row-unsplit/no-task-before": gettext_noop(
        "A table row without a task number and no task before it."
    ),
    "task-row-unsplit/new-category": gettext_noop(
        "A row without a task number under a new category; kept with the task before."
    ),
    # A finding stored before findings had codes and values: its sentence as it was.
    "recorded-text": gettext_noop("{text}"),
}


def finding_sentence(code: str, params: dict, translate: Callable[[str], str] = str) -> str:
    """A finding's sentence through ``translate`` (gettext at display), values filled in;
    list values are joined with the language's list separator.

    A code the table does not know (another tool's) shows its ``text`` value, else the code.
    """
    variant = params.get("variant")
    text = FINDING_TEXT.get(f"{code}/{variant}" if variant else code)
    if text is None:
        return str(params.get("text", code))
    values = {
        name: join_list(value, translate) if isinstance(value, list) else value
        for name, value in params.items()
    }
    return translate(text).format(**values)


@dataclass
class Finding:
    """A problem the parser met; shown to the user, never dropped silently."""

    severity: Severity
    code: str  # stable machine-readable code, e.g. "unit-unresolved"
    params: dict = field(default_factory=dict)  # the values its sentence names
    offset: int | None = None
    context: str = ""

    @property
    def message(self) -> str:
        """The English sentence (the CLI's ``parse`` output, logs); pages translate it."""
        return self.describe()

    def describe(self, translate: Callable[[str], str] = str) -> str:
        """The sentence through ``translate`` (gettext at display)."""
        return finding_sentence(self.code, self.params, translate)


@dataclass
class UnitRef:
    """A unit name as written, and what the orgs resolver made of it."""

    name: str
    unit_codes: list[str] = field(default_factory=list)  # orgs Unit.code values
    group: str | None = None  # e.g. "all-cities-and-counties" for 各市、县（区）
    resolved: bool = False


@dataclass
class Milestone:
    kind: MilestoneKind
    year: int | None = None
    on: date | None = None  # when the text gives a full date
    text: str = ""  # the phrase it came from, e.g. "2024年建成"


@dataclass
class KeyTask:
    number: int
    category: str  # 主要任务, e.g. "(一) 驱动数字经济发展"
    content: str  # 重点内容
    raw_responsibility: str  # 责任单位 exactly as written
    lead_units: list[UnitRef] = field(default_factory=list)
    owner_units: list[UnitRef] = field(default_factory=list)
    supporting_units: list[UnitRef] = field(default_factory=list)
    deadline_text: str = ""
    milestones: list[Milestone] = field(default_factory=list)
    start: int = 0
    end: int = 0
    form: str = "table"  # "table", "inline" (〔责任单位：…〕 after a measure) or "list"
    category_raw: str = ""  # the category cell exactly as written ("驱动数字经济 发展")


@dataclass
class Section:
    path: str  # e.g. "三/(三)/2" — headings' numbers joined by "/"
    heading: str
    level: int
    start: int
    end: int


@dataclass
class Citation:
    raw: str
    title: str | None = None  # without 《》
    doc_number: str | None = None  # normalised, e.g. 国发〔2022〕14号
    start: int = 0
    end: int = 0


@dataclass
class Attachment:
    number: int | None
    title: str
    omitted: bool = False  # "（略）": named but not published


@dataclass
class ParsedDocument:
    title: str
    doc_number: str | None = None  # normalised 宁政发〔2023〕17号
    issuers: list[str] = field(default_factory=list)
    signatories: list[str] = field(default_factory=list)  # 发文机关署名, one per signature line
    addressees: list[str] = field(default_factory=list)
    written_on: date | None = None
    doc_type: str | None = None  # 意见, 通知, 决定 … (党政机关公文处理工作条例)
    disclosure: str | None = None  # public / on_request / not_public
    attachments: list[Attachment] = field(default_factory=list)
    transmits: int | None = None  # index in ParseResult.documents of the document it 印发
    # Indices of every document it 印发 / 转发, in order (transmits is the first of them).
    transmitted: list[int] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    tasks: list[KeyTask] = field(default_factory=list)
    start: int = 0
    end: int = 0


@dataclass
class TocEntry:
    title: str
    doc_number: str | None = None
    page: int | None = None


@dataclass
class GazetteInfo:
    title: str | None = None  # 宁夏回族自治区人民政府公报
    issue_no: str | None = None  # "2023年第10期"
    year: int | None = None
    number: int | None = None
    serial_no: int | None = None  # 总第715期
    published_on: date | None = None
    toc: list[TocEntry] = field(default_factory=list)


@dataclass
class ParseResult:
    source_name: str
    source_format: str  # txt, md, docx, pdf, html
    encoding: str | None  # detected text encoding, None for binary formats
    sha256: str  # of the original bytes
    text: str  # decoded text; all offsets point into it
    gazette: GazetteInfo | None = None
    documents: list[ParsedDocument] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def to_dict(self) -> dict:
        """JSON-ready form, per docs/parse-schema.md (dates as ISO strings)."""
        data = _jsonable(asdict(self))
        for finding, item in zip(self.findings, data["findings"], strict=True):
            item["message"] = finding.message
        return data


def _jsonable(value):
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value
