"""The section tree of a document body: 一、 / （一） / 1. / （1） and Markdown headings.

GLOSSARY: a Section has a ``path`` like "三/(三)/2" (the headings' numbers joined by "/",
parentheses half-width).  The ranks follow the numbering convention of 党政机关公文格式
(GB/T 9704-2012, 7.3.3: "一、", "（一）", "1.", "（1）").  Headings are often run in
("（一）指导思想。坚持…"): the heading is the text up to the first "。" and the section is the
whole paragraph.  Table rows (tab- or pipe-separated) are never headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from shuzheng.documents.parsing.lines import (
    Line,
    chinese_number,
    normalize_parentheses,
    squeeze,
)
from shuzheng.documents.parsing.model import Section

_CN = "一二三四五六七八九十百〇零"
_MARKERS: list[tuple[int, re.Pattern]] = [
    (1, re.compile(rf"^(?P<num>[{_CN}]+)\s*、\s*")),
    (2, re.compile(rf"^[（(]\s*(?P<num>[{_CN}]+)\s*[)）]\s*")),
    (3, re.compile(r"^(?P<num>\d{1,3})\s*[.．、](?!\d)\s*")),
    (4, re.compile(r"^[（(]\s*(?P<num>\d{1,3})\s*[)）]\s*")),
]
_ATTACHMENT_LINE = re.compile(r"^附\s*件\s*(?P<num>\d*)$")
_HEADING_MAX = 60
ATTACHMENT_RANK = 0


@dataclass
class Heading:
    line: Line
    rank: float  # nesting rank: lower ranks contain higher ones
    component: str  # path component: "三", "(三)", "2", "(1)", "附件2" or the heading text
    marker: str  # the number as written, normalised: "三、", "(三)", "2.", "(1)", ""
    number: int | None
    title: str


@dataclass
class SectionSpan:
    """A section with the lines it covers, for the steps that read section text (tasks)."""

    section: Section
    heading: Heading
    first_line: int  # index of the heading line
    own_end_line: int  # index of the first child heading (or of the section's end)
    end_line: int  # index one past the section's last line
    parent: SectionSpan | None


def numbered_heading(line: Line) -> Heading | None:
    """The heading a line opens, if it starts with a section number."""
    if line.is_table_row or not line.content:
        return None
    for rank, pattern in _MARKERS:
        found = pattern.match(line.content)
        if found is None:
            continue
        number = chinese_number(found.group("num"))
        if number is None:
            continue
        rest = line.content[found.end() :]
        if not rest:
            return None
        written = normalize_parentheses(squeeze(found.group(0)))
        return Heading(
            line=line,
            rank=rank,
            component=written.rstrip("、.．"),
            marker=written.replace("．", "."),
            number=number,
            title=run_in_title(rest),
        )
    return None


def run_in_title(rest: str) -> str:
    """The heading part of a run-in heading: up to the first "。" (or the whole short line)."""
    rest = rest.strip()
    stop = rest.find("。")
    if 0 < stop <= _HEADING_MAX:
        return squeeze(rest[:stop])
    if len(rest) <= _HEADING_MAX:
        return squeeze(rest.rstrip("。"))
    for mark in "，；：":
        stop = rest.find(mark)
        if 0 < stop <= _HEADING_MAX:
            return squeeze(rest[:stop])
    return squeeze(rest[:_HEADING_MAX])


def attachment_heading(lines: list[Line], index: int, stop: int) -> Heading | None:
    """ "附件 2" on a line of its own opens the attachment's text; its title is the next line."""
    found = _ATTACHMENT_LINE.match(squeeze(lines[index].content))
    if found is None:
        return None
    title = ""
    for line in lines[index + 1 : stop]:
        if not line.blank:
            title = squeeze(line.content) if not line.is_table_row else ""
            break
    number = int(found.group("num")) if found.group("num") else None
    return Heading(
        line=lines[index],
        rank=ATTACHMENT_RANK,
        component=f"附件{number or ''}",
        marker=f"附件{number or ''}",
        number=number,
        title=title,
    )


def find_sections(
    lines: list[Line],
    body: tuple[int, int],
    attachments: tuple[int, int] | None = None,
    table_lines: set[int] = frozenset(),
) -> list[SectionSpan]:
    """Sections of the body lines ``body`` = (first, stop) and of the attachment text, if any.

    ``table_lines`` are cells of a table written one per line: "（一）…" there is a category.
    """
    headings = [h for h in _headings(lines, *body) if h.line.index not in table_lines]
    spans = _build(lines, headings, body[1])
    if attachments is not None:
        headings = _attachment_headings(lines, *attachments)
        headings = [h for h in headings if h.line.index not in table_lines]
        spans += _build(lines, headings, attachments[1])
    return spans


def _headings(lines: list[Line], first: int, stop: int) -> list[Heading]:
    numbered = []
    plain = []
    for line in lines[first:stop]:
        heading = numbered_heading(line)
        if heading is not None:
            numbered.append(heading)
        elif line.heading_level is not None and line.content and not line.is_table_row:
            title = squeeze(line.content)
            plain.append(Heading(line, line.heading_level, title, "", None, title))
    for heading in plain:
        # In a numbered document an unnumbered Markdown heading is a top-level section;
        # otherwise the Markdown depth is the nesting.
        heading.rank = 1 if numbered else heading.rank
    return sorted(numbered + plain, key=lambda heading: heading.line.index)


def _attachment_headings(lines: list[Line], first: int, stop: int) -> list[Heading]:
    headings: list[Heading] = []
    title_line = None
    for index in range(first, stop):
        attachment = attachment_heading(lines, index, stop)
        if attachment is not None:
            headings.append(attachment)
            title_line = _next_nonblank(lines, index + 1, stop)
            continue
        if index == title_line:
            continue  # the attachment's title belongs to the 附件 heading
        for heading in _headings(lines, index, index + 1):
            headings.append(heading)
    return headings


def _next_nonblank(lines: list[Line], first: int, stop: int) -> int | None:
    for index in range(first, stop):
        if not lines[index].blank:
            return index
    return None


def _build(lines: list[Line], headings: list[Heading], stop: int) -> list[SectionSpan]:
    spans: list[SectionSpan] = []
    stack: list[SectionSpan] = []
    for position, heading in enumerate(headings):
        while stack and stack[-1].heading.rank >= heading.rank:
            stack.pop()
        parent = stack[-1] if stack else None
        path = heading.component if parent is None else f"{parent.section.path}/{heading.component}"
        next_index = headings[position + 1].line.index if position + 1 < len(headings) else stop
        span = SectionSpan(
            section=Section(
                path=path,
                heading=heading.title,
                level=len(stack) + 1,
                start=heading.line.start,
                end=0,
            ),
            heading=heading,
            first_line=heading.line.index,
            own_end_line=next_index,
            end_line=stop,
            parent=parent,
        )
        spans.append(span)
        stack.append(span)
    _close(spans, lines)
    return spans


def _close(spans: list[SectionSpan], lines: list[Line]) -> None:
    """A section ends where the next section of the same or a lower rank begins."""
    for position, span in enumerate(spans):
        for later in spans[position + 1 :]:
            if later.heading.rank <= span.heading.rank:
                span.end_line = later.first_line
                break
        span.section.end = _end_offset(lines, span.first_line, span.end_line)


def _end_offset(lines: list[Line], first: int, stop: int) -> int:
    """The end of the last non-blank line before ``stop``: no trailing blank lines."""
    for index in range(stop - 1, first - 1, -1):
        if not lines[index].blank:
            return lines[index].end
    return lines[first].end
