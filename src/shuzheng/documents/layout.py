"""Where the elements of an official document stand in its text (GB/T 9704-2012, clause 7).

Pure module: no Django. The document page shows an official document the way it was issued
(issue 14): the 版头 and 主体 elements each as their own element of the page. Some of them
the parser stored as fields (title, 发文字号, 主送机关, issuers, 成文日期), and their lines
are still in the text; others exist only in the text (附件说明, 发文机关署名, 附注, the
attachments printed after the 落款). :func:`official_layout` finds them, so the page shows
the fields once, in their places, and the rest of the text where the standard puts it:

========================  ======================================  =====================
element                   GB/T 9704-2012                          found as
========================  ======================================  =====================
发文机关标志, 发文字号    7.2.4, 7.2.5 (版头)                      leading title lines,
标题, 主送机关            7.3.1, 7.3.2                             number and addressee
正文                      7.3.3                                    what lies between
附件说明                  7.3.4                                    "附件：" lines before
                                                                   the signature
发文机关署名, 成文日期    7.3.5 (7.3.5.2: 不加盖印章的公文)        short lines ending in
                                                                   a date line
附注                      7.3.6                                    "（此件公开发布）"
附件                      7.3.7                                    the text after them
========================  ======================================  =====================

Nothing of the text is dropped: a span not recognised stays in the body. Offsets are
character offsets into the document's text (as the sections' are), half-open.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_MARKS = re.compile(r"^\s*(?:#{1,6}\s+|[-*+]\s+)")
_SPACE = re.compile(r"\s+")
_DIGITS = "0-9０-９"
_CHINESE_DIGITS = "〇○零一二三四五六七八九十"
DATE_LINE = re.compile(
    rf"^[{_DIGITS}{_CHINESE_DIGITS}]{{4}}\s*年\s*[{_DIGITS}{_CHINESE_DIGITS}]{{1,3}}\s*月"
    rf"\s*[{_DIGITS}{_CHINESE_DIGITS}]{{1,3}}\s*日$"
)
ATTACHMENT_NOTE = re.compile(r"^附\s*件\s*[：:]")
NUMBERED_LINE = re.compile(rf"^[{_DIGITS}]+\s*[.．、]")
NOTE_LINE = re.compile(r"^[（(][^（）()]{1,60}[）)]$")
#: A signature line is short and is no sentence.
SIGNATURE_MAX = 40
SIGNATURE_LINES = 6
SENTENCE_MARKS = frozenset("。；，！？")
#: How alike a heading-marked line and the stored title must be to be the title's line
#: (the parser normalises titles: "实施意见" stored for "实施意见" printed with a space).
TITLE_LIKENESS = 0.8


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def slice(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass(frozen=True)
class OfficialLayout:
    #: The lines of the 版头 and 标题/主送机关 the page shows from the document's fields.
    head: Span
    #: 正文 (7.3.3).
    body: Span
    #: 附件说明 (7.3.4).
    attachment_note: Span | None = None
    #: 发文机关署名 (7.3.5): the issuers' names as signed, one a line.
    signature: Span | None = None
    #: 成文日期 (7.3.5).
    date: Span | None = None
    #: 附注 (7.3.6), e.g. （此件公开发布）.
    note: Span | None = None
    #: 附件 (7.3.7): the attachments' text printed after the 落款.
    appendix: Span | None = None


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    text: str

    @property
    def plain(self) -> str:
        return _MARKS.sub("", self.text).strip()

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def compact(text: str) -> str:
    """``text`` without Markdown marks and whitespace, for comparisons."""
    return _SPACE.sub("", _MARKS.sub("", text))


def official_layout(
    text: str,
    *,
    title: str = "",
    doc_number: str = "",
    addressees: Sequence[str] = (),
    section_starts: Iterable[int] = (),
) -> OfficialLayout:
    """The elements of ``text`` (an official document's text) as spans; see the module."""
    starts = sorted(section_starts)
    first_section = starts[0] if starts else len(text)
    lines = _lines(text)
    head_end = min(_head_end(lines, title, doc_number, addressees), first_section)
    head_end = _skip_blank(lines, head_end, len(text))
    layout = _tail(text, lines, head_end)
    if layout is None:
        return OfficialLayout(head=Span(0, head_end), body=Span(head_end, len(text)))
    tail_start = layout["body_end"]
    tail_stop = layout["appendix"].start if layout.get("appendix") else len(text)
    if any(tail_start <= start < tail_stop for start in starts):
        # A section in what looks like the 落款 means it was no 落款: show the text as it is.
        return OfficialLayout(head=Span(0, head_end), body=Span(head_end, len(text)))
    return OfficialLayout(
        head=Span(0, head_end),
        body=Span(head_end, tail_start),
        attachment_note=layout.get("note_of_attachments"),
        signature=layout.get("signature"),
        date=layout["date"],
        note=layout.get("note"),
        appendix=layout.get("appendix"),
    )


def _lines(text: str) -> list[_Line]:
    lines, cursor = [], 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        lines.append(_Line(cursor, cursor + len(body), body))
        cursor += len(raw)
    return lines


def _skip_blank(lines: list[_Line], offset: int, default: int) -> int:
    for line in lines:
        if line.start >= offset and not line.blank:
            return line.start
    return max(offset, 0) if offset < default else default


def _paragraphs(lines: list[_Line]) -> list[list[_Line]]:
    paragraphs: list[list[_Line]] = []
    current: list[_Line] = []
    for line in lines:
        if line.blank:
            if current:
                paragraphs.append(current)
                current = []
        else:
            current.append(line)
    if current:
        paragraphs.append(current)
    return paragraphs


def _is_title_line(line: _Line, title: str) -> bool:
    plain, whole = compact(line.text), compact(title)
    if not plain or not whole:
        return False
    if plain in whole:
        return True
    return difflib.SequenceMatcher(None, plain, whole).ratio() >= TITLE_LIKENESS


def _is_number_line(line: _Line, doc_number: str) -> bool:
    plain = compact(line.text)
    number = compact(doc_number)
    return bool(number) and number in plain and len(plain) <= len(number) + 12


def _is_addressee_line(line: _Line, addressees: Sequence[str]) -> bool:
    plain = line.plain
    if not plain.endswith(("：", ":")) or "。" in plain or len(plain) > 300:
        return False
    return not addressees or compact(addressees[0]) in compact(plain)


def _head_end(lines: list[_Line], title: str, doc_number: str, addressees) -> int:
    """Where the leading 版头/标题/主送机关 lines end: title lines (and an issuer mark ending
    in 文件), then the 发文字号, then the 主送机关 line — in that order, each optional."""
    end = 0
    stage = 0  # 0: title lines, 1: number seen, 2: addressees seen
    for line in lines:
        if line.blank:
            continue
        if stage == 0 and (
            _is_title_line(line, title) or (end == 0 and line.plain.endswith("文件"))
        ):
            end = line.end
            continue
        if stage == 0 and _is_number_line(line, doc_number):
            end, stage = line.end, 1
            continue
        if stage <= 1 and _is_addressee_line(line, addressees):
            end, stage = line.end, 2
            continue
        break
    return end


def _is_signature_line(line: _Line) -> bool:
    plain = line.plain
    return (
        0 < len(plain) <= SIGNATURE_MAX
        and not SENTENCE_MARKS & set(plain)
        and not ATTACHMENT_NOTE.match(plain)
        and not line.text.lstrip().startswith("#")
        and not DATE_LINE.match(plain)
        and not NUMBERED_LINE.match(plain)
    )


def _tail(text: str, lines: list[_Line], head_end: int) -> dict | None:
    """The 落款 and what follows it: the first date line after the body that has signature
    lines right above it (the same paragraph, or the paragraph before)."""
    for index, line in enumerate(lines):
        if line.start < head_end or not DATE_LINE.match(line.plain):
            continue
        signature = _signature_above(lines, index)
        if signature is None:
            continue
        first, last = signature
        found: dict = {"date": Span(line.start, line.end)}
        found["signature"] = Span(lines[first].start, lines[last].end)
        body_end = lines[first].start
        note_of_attachments = _attachment_note_above(lines, first)
        if note_of_attachments is not None:
            found["note_of_attachments"] = note_of_attachments
            body_end = note_of_attachments.start
        if body_end <= head_end:
            continue
        found["body_end"] = body_end
        after = index + 1
        while after < len(lines) and lines[after].blank:
            after += 1
        if after < len(lines) and NOTE_LINE.match(lines[after].plain):
            found["note"] = Span(lines[after].start, lines[after].end)
            after += 1
            while after < len(lines) and lines[after].blank:
                after += 1
        if after < len(lines):
            found["appendix"] = Span(lines[after].start, len(text))
        return found
    return None


def _signature_above(lines: list[_Line], date_index: int) -> tuple[int, int] | None:
    """The indexes of the signature lines right above the date line ``date_index``."""
    index = date_index - 1
    # The date alone in its paragraph: the signature is the paragraph before.
    while index >= 0 and lines[index].blank:
        index -= 1
    last = index
    count = 0
    while index >= 0 and not lines[index].blank and _is_signature_line(lines[index]):
        index -= 1
        count += 1
        if count > SIGNATURE_LINES:
            return None
    if count == 0:
        return None
    return index + 1, last


def _attachment_note_above(lines: list[_Line], first: int) -> Span | None:
    """The 附件说明 right above the signature: a "附件：" line and its numbered lines."""
    index = first - 1
    while index >= 0 and lines[index].blank:
        index -= 1
    stop = index
    while index >= 0 and not lines[index].blank:
        plain = lines[index].plain
        if ATTACHMENT_NOTE.match(plain):
            return Span(lines[index].start, lines[stop].end)
        if not NUMBERED_LINE.match(plain):
            return None
        index -= 1
    return None
