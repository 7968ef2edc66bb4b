"""What the document parser finds: plain dataclasses, no Django.

These types are the contract between the parser (documents.parsing), the ingestion service
(documents.services) and the ``shuzheng parse --json`` output documented in
docs/parse-schema.md.  Every offset is a character offset into ``ParseResult.text``, the
decoded source text exactly as stored (normalisation never rewrites it).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from enum import StrEnum


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


@dataclass
class Finding:
    """A problem the parser met; shown to the user, never dropped silently."""

    severity: Severity
    code: str  # stable machine-readable code, e.g. "unit-unresolved"
    message: str  # human-readable, Simplified Chinese or English
    offset: int | None = None
    context: str = ""


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
        return _jsonable(asdict(self))


def _jsonable(value):
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value
