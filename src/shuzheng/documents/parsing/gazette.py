"""The front matter of a gazette issue (政府公报): title, issue, serial number, date, contents.

GLOSSARY: Gazette (issue_no "2023年第10期", serial_no 总第715期, published_on).  The cover,
the editorial board and the masthead (主编, 地址 …) are front matter, not documents; this module
only reads what identifies the issue and its table of contents (目录).
"""

from __future__ import annotations

import re
from datetime import date

from shuzheng.documents.parsing.lines import Line, squeeze
from shuzheng.documents.parsing.model import GazetteInfo, TocEntry
from shuzheng.documents.parsing.titles import normalize_title
from shuzheng.text.doc_numbers import normalize_doc_number

_ISSUE = re.compile(r"(?P<year>\d{4})\s*年\s*第\s*(?P<number>\d{1,3})\s*期")
_SERIAL = re.compile(r"总\s*第\s*(?P<serial>\d{1,5})\s*期")
_PUBLISHED = re.compile(
    r"(?P<year>\d{4})\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日\s*(?:出版|发布|印发)"
)
_TOC_HEADING = re.compile(r"^目\s*录$")
_TOC_GROUP = re.compile(r"^[【\[].*[】\]]$")  # 【自治区人民政府文件】
_TOC_PAGE = re.compile(r"[.．…·。\s]{2,}\s*[（(]?\s*(?P<page>\d{1,4})\s*[)）]?\s*$")
_TOC_NUMBER = re.compile(r"^[（(](?P<number>[^（）()]+)[)）]\s*$")
_MASTHEAD = re.compile(r"^[^\s:：]{1,12}\s*[:：]")  # "主 编:李 明", "地 址:…"


def read_gazette(lines: list[Line], stop: int) -> GazetteInfo | None:
    """The issue described by the front matter ``lines[:stop]``; None if it is no gazette."""
    front = "\n".join(line.content for line in lines[:stop])
    title = _gazette_title(lines, stop)
    issue = _ISSUE.search(front)
    if title is None and issue is None:
        return None
    info = GazetteInfo(title=title)
    if issue:
        info.year = int(issue.group("year"))
        info.number = int(issue.group("number"))
        info.issue_no = f"{info.year}年第{info.number}期"
    serial = _SERIAL.search(front)
    if serial:
        info.serial_no = int(serial.group("serial"))
    published = _PUBLISHED.search(front)
    if published:
        info.published_on = _date_or_none(published)
    info.toc = _table_of_contents(lines, stop)
    return info


def _date_or_none(found: re.Match) -> date | None:
    try:
        return date(int(found.group("year")), int(found.group("month")), int(found.group("day")))
    except ValueError:
        return None


def _gazette_title(lines: list[Line], stop: int) -> str | None:
    """The line ending in 公报, joined with the line it was broken from ("宁夏回族自治区  ")."""
    for index in range(stop):
        line = lines[index]
        content = squeeze(line.content)
        if not content.endswith("公报") or len(content) > 40 or line.is_table_row:
            continue
        previous = lines[index - 1] if index > 0 else None
        if previous is not None and not previous.blank and _is_broken_from(previous):
            return squeeze(previous.content) + content
        return content
    return None


def _is_broken_from(line: Line) -> bool:
    """A Markdown hard break (two trailing spaces) or a line without punctuation."""
    return line.raw.endswith("  ") or not re.search(r"[，。：:；]", line.content)


def _table_of_contents(lines: list[Line], stop: int) -> list[TocEntry]:
    entries: list[TocEntry] = []
    inside = False
    pending: list[str] = []
    for line in lines[:stop]:
        content = squeeze(line.content)
        if _TOC_HEADING.match(content):
            inside, pending = True, []
            continue
        if not inside or not content:
            continue
        if line.heading_level is not None or _TOC_GROUP.match(content) or _MASTHEAD.match(content):
            pending = []
            continue
        entry = _toc_entry(pending, line.content)
        if entry is None:
            pending.append(line.content)
        else:
            entries.append(entry)
            pending = []
    return entries


def _toc_entry(pending: list[str], content: str) -> TocEntry | None:
    """A TOC entry ends with its page ("..... (3)"); the number line may carry it."""
    page = _TOC_PAGE.search(content)
    if page is None:
        return None
    head = content[: page.start()].strip()
    number_line = _TOC_NUMBER.match(head)
    if number_line:
        title_parts, number = pending, normalize_doc_number(number_line.group("number"))
    else:
        title_parts, number = [*pending, head], None
    title = normalize_title("".join(title_parts))
    if not title:
        return None
    return TocEntry(title=title, doc_number=number, page=int(page.group("page")))
