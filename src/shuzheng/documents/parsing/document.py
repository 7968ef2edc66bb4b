"""Split a text into official documents and read each one's 版记 (metadata).

A document starts with its title (标题), next to its number (发文字号): gazettes print the
title first, originals print 版头 and number first (GB/T 9704-2012, 7.2 and 7.3).  After them
come the addressees (主送机关, a line ending in "："), the body, the attachment list (附件：),
the signature (发文机关署名), the date (成文日期) and the disclosure note (（此件公开发布）).
A notice that 印发 《X》 is followed by X itself, a document of its own without a number
(issue 3: "the notice's transmits points at its index").
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date

from shuzheng.documents.parsing.lines import Line, chinese_number, squeeze
from shuzheng.documents.parsing.model import Attachment, Finding, ParsedDocument, Severity
from shuzheng.documents.parsing.sections import attachment_heading, numbered_heading
from shuzheng.documents.parsing.titles import (
    doc_type_of,
    normalize_title,
    title_issuers,
    transmitted_titles,
)
from shuzheng.text.doc_numbers import normalize_doc_number

_DATE_LINE = re.compile(
    r"^(?P<year>\d{4}|[〇○Ｏ零一二三四五六七八九]{4})年(?P<month>[\d一二三四五六七八九十]{1,3})月"
    r"(?P<day>[\d一二三四五六七八九十]{1,3})日$"
)
_DISCLOSURE = re.compile(r"^[（(]\s*此件(?P<note>[^）)]*)[)）]$")
_ATTACHMENT_LIST = re.compile(r"^附\s*件\s*[:：]\s*(?P<rest>.*)$")
_ATTACHMENT_ITEM = re.compile(r"^(?P<num>\d{1,2})\s*[.．、]\s*(?P<title>.+)$")
_OMITTED = re.compile(r"\s*[（(]\s*略\s*[)）]\s*$")
_SENTENCE_PUNCTUATION = re.compile(r"[。：:；;！？]")
_TITLE_MAX = 80
_TITLE_LINES_MAX = 4
_TRANSMITTED_SIMILARITY = 0.8


@dataclass
class DocumentLayout:
    """Where the parts of one document are, as line indices (stop = one past the last line)."""

    document: ParsedDocument
    first_line: int
    stop_line: int
    head_stop: int  # first line after title and number
    body: tuple[int, int] = (0, 0)
    attachment_text: tuple[int, int] | None = None
    end_matter_stop: int = 0  # first line after date and disclosure note
    transmitted_from: int | None = None  # index of the notice that 印发 this document
    findings: list[Finding] = field(default_factory=list)


def find_documents(lines: list[Line]) -> list[DocumentLayout]:
    """All documents of the text, in order; see the module docstring."""
    layouts = [_numbered_document(lines, index) for index in _number_lines(lines)]
    layouts = [layout for layout in layouts if layout is not None]
    if not layouts:
        single = _unnumbered_document(lines)
        return [single] if single is not None else []
    _set_stops(layouts, len(lines))
    for layout in layouts:
        read_metadata(lines, layout)
    layouts = _with_transmitted(lines, layouts)
    _set_stops(layouts, len(lines))
    for layout in layouts:
        read_metadata(lines, layout)
    return layouts


def _set_stops(layouts: list[DocumentLayout], total: int) -> None:
    for layout, following in zip(layouts, [*layouts[1:], None], strict=True):
        layout.stop_line = following.first_line if following else total


def _number_lines(lines: list[Line]) -> list[int]:
    return [
        line.index
        for line in lines
        if not line.is_table_row and normalize_doc_number(line.content) is not None
    ]


def is_title_like(line: Line) -> bool:
    """Could this line be (part of) a title?  Short, no sentence punctuation, no number."""
    content = line.content
    if not content or line.is_table_row or len(content) > _TITLE_MAX:
        return False
    if _SENTENCE_PUNCTUATION.search(content) or _DATE_LINE.match(squeeze(content)):
        return False
    if _DISCLOSURE.match(squeeze(content)) or _ATTACHMENT_LIST.match(content):
        return False
    if normalize_doc_number(content) is not None or numbered_heading(line) is not None:
        return False
    return attachment_heading([line], 0, 1) is None


def _nonblank_before(lines: list[Line], index: int) -> int | None:
    for earlier in range(index - 1, -1, -1):
        if not lines[earlier].blank:
            return earlier
    return None


def _nonblank_after(lines: list[Line], index: int, stop: int) -> int | None:
    for later in range(index + 1, stop):
        if not lines[later].blank:
            return later
    return None


def _title_run_before(lines: list[Line], index: int) -> list[int]:
    run: list[int] = []
    earlier = _nonblank_before(lines, index)
    while earlier is not None and len(run) < _TITLE_LINES_MAX and is_title_like(lines[earlier]):
        run.insert(0, earlier)
        earlier = _nonblank_before(lines, earlier)
    return _without_banner(lines, run)


def _title_run_after(lines: list[Line], index: int, stop: int) -> list[int]:
    run: list[int] = []
    later = _nonblank_after(lines, index, stop)
    while later is not None and len(run) < _TITLE_LINES_MAX and is_title_like(lines[later]):
        run.append(later)
        later = _nonblank_after(lines, later, stop)
    return _without_banner(lines, run)


def _without_banner(lines: list[Line], run: list[int]) -> list[int]:
    """Drop the 版头 ("宁夏回族自治区人民政府文件") in front of a title."""
    while run and squeeze(lines[run[0]].content).endswith("文件"):
        run = run[1:]
    return run


def _joined_title(lines: list[Line], run: list[int]) -> str:
    return normalize_title("".join(lines[index].content for index in run))


def _longest_title(lines: list[Line], run: list[int]) -> list[int]:
    """The longest tail of ``run`` that reads as a title (ends with a 文种)."""
    for first in range(len(run)):
        if doc_type_of(_joined_title(lines, run[first:])):
            return run[first:]
    return []


def _numbered_document(lines: list[Line], number_index: int) -> DocumentLayout | None:
    title_run = _longest_title(lines, _title_run_before(lines, number_index))
    head_stop = number_index + 1
    if not title_run:
        title_run = _longest_title(lines, _title_run_after(lines, number_index, len(lines)))
        if title_run:
            head_stop = title_run[-1] + 1
    if not title_run:
        return None
    document = ParsedDocument(
        title=_joined_title(lines, title_run),
        doc_number=normalize_doc_number(lines[number_index].content),
    )
    first = min(title_run[0], number_index)
    banner = _nonblank_before(lines, first)
    if banner is not None and squeeze(lines[banner].content).endswith("文件"):
        first = banner
    return DocumentLayout(document=document, first_line=first, stop_line=0, head_stop=head_stop)


def _unnumbered_document(lines: list[Line]) -> DocumentLayout | None:
    """A file holding one document without a number: its title is the first title-like run."""
    first = _nonblank_after(lines, -1, len(lines))
    if first is None:
        return None
    run = (
        [first] + _title_run_after(lines, first, len(lines)) if is_title_like(lines[first]) else []
    )
    run = _longest_title(lines, run) or run[:1]
    title = _joined_title(lines, run) if run else ""
    layout = DocumentLayout(
        document=ParsedDocument(title=title),
        first_line=first,
        stop_line=len(lines),
        head_stop=(run[-1] + 1) if run else first,
    )
    if not run:
        layout.findings.append(
            Finding(
                Severity.WARNING,
                "title-not-found",
                offset=lines[first].start,
                context=lines[first].content[:80],
            )
        )
    read_metadata(lines, layout)
    return layout


def _with_transmitted(lines: list[Line], layouts: list[DocumentLayout]) -> list[DocumentLayout]:
    """Each notice followed by the documents it 印发 / 转发, in the order the title names
    them ("关于印发《A》和《B》的通知": A's text, then B's)."""
    result: list[DocumentLayout] = []
    for layout in layouts:
        result.append(layout)
        notice_index = len(result) - 1
        search_from = layout.end_matter_stop
        for wanted in transmitted_titles(layout.document.title):
            transmitted = _transmitted_document(lines, layout, wanted, search_from)
            if transmitted is None:
                layout.findings.append(
                    Finding(
                        Severity.INFO,
                        "transmitted-not-found",
                        {"title": wanted},
                        offset=lines[layout.first_line].start,
                        context=layout.document.title,
                    )
                )
                continue
            transmitted.transmitted_from = notice_index
            result.append(transmitted)
            search_from = transmitted.head_stop
    return result


def _transmitted_document(
    lines: list[Line], notice: DocumentLayout, wanted: str, search_from: int
) -> DocumentLayout | None:
    """The heading after the notice's end matter that names the transmitted title: the first
    title-like line there, or — for the second and later documents — any later one."""
    first = _nonblank_after(lines, search_from - 1, notice.stop_line)
    while first is not None:
        if is_title_like(lines[first]):
            run = [first] + _title_run_after(lines, first, notice.stop_line)
            for stop in range(len(run), 0, -1):
                heading = _joined_title(lines, run[:stop])
                if _similar(heading, wanted):
                    return _transmitted_layout(lines, notice, run[:stop], heading, wanted)
        if search_from == notice.end_matter_stop:
            return None  # the first transmitted document follows the notice at once
        first = _nonblank_after(lines, first, notice.stop_line)
    return None


def _similar(heading: str, wanted: str) -> bool:
    def plain(text: str) -> str:
        return re.sub(r"[\s的《》]", "", text)

    ratio = difflib.SequenceMatcher(None, plain(heading), plain(wanted)).ratio()
    return ratio >= _TRANSMITTED_SIMILARITY


def _transmitted_layout(
    lines: list[Line], notice: DocumentLayout, run: list[int], heading: str, wanted: str
) -> DocumentLayout:
    """The title is the one the notice gives: the notice is the instrument that issues it."""
    layout = DocumentLayout(
        document=ParsedDocument(title=wanted),
        first_line=run[0],
        stop_line=notice.stop_line,
        head_stop=run[-1] + 1,
    )
    if squeeze(heading) != squeeze(wanted):
        layout.findings.append(
            Finding(
                Severity.INFO,
                "title-differs",
                {"heading": heading, "title": wanted},
                offset=lines[run[0]].start,
                context=heading,
            )
        )
    return layout


def read_metadata(lines: list[Line], layout: DocumentLayout) -> None:
    """Fill issuers, addressees, dates, disclosure and attachments; locate body and end matter."""
    document = layout.document
    document.start = lines[layout.first_line].start
    document.end = _end_offset(lines, layout.first_line, layout.stop_line)
    document.doc_type = doc_type_of(document.title)
    document.issuers = title_issuers(document.title)
    body_first = layout.head_stop
    addressee = _nonblank_after(lines, layout.head_stop - 1, layout.stop_line)
    document.addressees = []
    if addressee is not None and _is_addressee_line(lines[addressee]):
        document.addressees = _addressees(lines[addressee].content)
        body_first = addressee + 1
    date_index = _date_line(lines, body_first, layout.stop_line)
    document.written_on = _date_of(lines[date_index].content) if date_index is not None else None
    signature = _signature(lines, date_index) if date_index is not None else []
    document.signatories = [
        squeeze(name) for index in signature for name in _joint_names(lines[index].content)
    ]
    list_index = _attachment_list_line(lines, body_first, date_index or layout.stop_line)
    document.attachments = (
        _attachments(lines, list_index, signature[0] if signature else date_index)
        if list_index is not None
        else []
    )
    ends = [index for index in (list_index, *signature[:1], date_index) if index is not None]
    body_stop = min(ends) if ends else layout.stop_line
    layout.body = (body_first, body_stop)
    disclosure_index = _disclosure_line(lines, body_stop, layout.stop_line)
    document.disclosure = (
        _disclosure(lines[disclosure_index].content) if disclosure_index is not None else None
    )
    end_matter = [index for index in (date_index, disclosure_index) if index is not None]
    layout.end_matter_stop = max(end_matter) + 1 if end_matter else body_stop
    layout.attachment_text = _attachment_text(lines, layout.end_matter_stop, layout.stop_line)


def _end_offset(lines: list[Line], first: int, stop: int) -> int:
    for index in range(stop - 1, first - 1, -1):
        if not lines[index].blank:
            return lines[index].end
    return lines[first].end


def _is_addressee_line(line: Line) -> bool:
    content = line.content.rstrip()
    return (
        content.endswith(("：", ":"))
        and "。" not in content
        and len(content) <= 300
        and not line.is_table_row
    )


def _addressees(content: str) -> list[str]:
    """主送机关 are separated by "，" (units in one group by "、", which stays)."""
    parts = re.split(r"[，,；;]", content.rstrip().rstrip("：:"))
    return [squeeze(part) for part in parts if part.strip()]


def _date_line(lines: list[Line], first: int, stop: int) -> int | None:
    """The 成文日期: the first date line under a signature, else the first date line."""
    dates = [i for i in range(first, stop) if _DATE_LINE.match(squeeze(lines[i].content))]
    signed = [index for index in dates if _signature(lines, index)]
    return (signed or dates or [None])[0]


def _date_of(content: str) -> date | None:
    found = _DATE_LINE.match(squeeze(content))
    year_text = found.group("year")
    year = int(year_text) if year_text.isdigit() else int("".join(_digit(c) for c in year_text))
    month, day = chinese_number(found.group("month")), chinese_number(found.group("day"))
    try:
        return date(year, month, day)
    except (TypeError, ValueError):
        return None


def _digit(char: str) -> str:
    return str(chinese_number(char) or 0)


def _signature(lines: list[Line], date_index: int) -> list[int]:
    """Unit names right above the date (发文机关署名), one per line, up to three."""
    run: list[int] = []
    earlier = _nonblank_before(lines, date_index)
    while earlier is not None and len(run) < 3 and _is_signature_line(lines[earlier]):
        run.insert(0, earlier)
        earlier = _nonblank_before(lines, earlier)
    return run


def _joint_names(content: str) -> list[str]:
    """Joint issuers signed on one line, set apart by wide spaces ("财政部  发展改革委")."""
    return [part for part in re.split(r"\s{2,}|\u3000+", content.strip()) if part.strip()]


def _is_signature_line(line: Line) -> bool:
    content = squeeze(line.content)
    return (
        is_title_like(line)
        and len(content) <= 40
        and line.heading_level is None
        and doc_type_of(content) is None
        and not re.search(r"[，、《》]", content)
    )


def _attachment_list_line(lines: list[Line], first: int, stop: int) -> int | None:
    for index in range(first, stop):
        if not lines[index].is_table_row and _ATTACHMENT_LIST.match(lines[index].content):
            return index
    return None


def _attachments(lines: list[Line], list_index: int, stop: int | None) -> list[Attachment]:
    """附件：1. X（略）/ 2. Y — or a single unnumbered 附件：X."""
    rest = _ATTACHMENT_LIST.match(lines[list_index].content).group("rest")
    texts = [rest] if rest.strip() else []
    for line in lines[list_index + 1 : stop if stop is not None else list_index + 1]:
        if line.blank:
            continue
        if _ATTACHMENT_ITEM.match(squeeze(line.content)) is None and texts:
            texts[-1] += line.content.strip()  # a long title broken over two lines
        else:
            texts.append(line.content)
    attachments = []
    for text in texts:
        item = _ATTACHMENT_ITEM.match(squeeze(text))
        title = item.group("title") if item else squeeze(text)
        omitted = bool(_OMITTED.search(title))
        attachments.append(
            Attachment(
                number=int(item.group("num")) if item else None,
                title=_OMITTED.sub("", title),
                omitted=omitted,
            )
        )
    return attachments


def _disclosure_line(lines: list[Line], first: int, stop: int) -> int | None:
    for index in range(first, stop):
        if _DISCLOSURE.match(squeeze(lines[index].content)):
            return index
    return None


def _disclosure(content: str) -> str:
    """公开属性 (党政机关公文格式 7.3.5): 不予公开, 依申请公开, otherwise 公开发布."""
    note = _DISCLOSURE.match(squeeze(content)).group("note")
    if "不予公开" in note or "不公开" in note:
        return "not_public"
    if "依申请" in note:
        return "on_request"
    return "public"


def _attachment_text(lines: list[Line], first: int, stop: int) -> tuple[int, int] | None:
    """The text of the attachments printed after the document ("附件 2" on its own line)."""
    for index in range(first, stop):
        if attachment_heading(lines, index, stop) is not None:
            return (index, stop)
    return None
