"""Paragraphs broken where the source broke a page or a line (issue 14: "持续深化黄河宁" /
"夏段干支流").

The stored text is never rewritten (model.py: every offset points into it), so this module
says where a line break is *not* a paragraph break, by the rules of the layout (GB/T
9704-2012: a paragraph ends with its sentence; headings and numbered items start lines):

* a break inside a bracket the line opens and does not close is joined;
* a break after a line that ends with 。；：！？ (or a closing bracket or quote) is a paragraph
  break, and so is one after a short line without any punctuation (a title, a heading, a
  signature);
* a break before or after a label line ("主 编:李 明") is a paragraph break;
* a break before a heading (Markdown "#", 一、 / （一） / 1. / （1）, 附件 n), a date line, a
  document number, a disclosure note, an attachment list, a table row or a short line
  without punctuation is a paragraph break;
* any other break — with or without blank lines in between — falls inside a sentence and is
  joined: removed between Chinese characters, a single space between Latin words.

The page (docpage) and the index use :func:`join_soft_breaks` on the text they show or
index; :func:`soft_breaks` gives the spans (offsets into the text) for those who keep offsets.
"""

from __future__ import annotations

import re

from shuzheng.documents.parsing.lines import Line, split_lines, squeeze
from shuzheng.documents.parsing.sections import attachment_heading, numbered_heading
from shuzheng.text.characters import CJK_IDEOGRAPHS
from shuzheng.text.doc_numbers import normalize_doc_number

_HARD_END = tuple("。；：！？:;!?…」』”’）)〕】］]》")
_PUNCTUATION = re.compile(r"[，。；：、！？,.;:!?]")
_SHORT = 25  # a line this short without punctuation is a title, heading or signature
_DATE_LINE = re.compile(
    r"^(?:\d{4}|[〇○Ｏ零一二三四五六七八九]{4})年[\d一二三四五六七八九十]{1,3}月"
    r"[\d一二三四五六七八九十]{1,3}日$"
)
_OPENS_BLOCK = re.compile(r"^(?:附\s*件|[（(]\s*此件|——|—\s*\d|[（(【〔\[［])")
_CJK = re.compile(rf"[{CJK_IDEOGRAPHS}\u3000-\u303f\uff00-\uffef“”‘’—…·]")
_MAX_BLANK_LINES = 2
# "主 编:李 明", "电 话:(0951)…": a label line of a masthead or a form, never continued.
_LABEL_LINE = re.compile(r"^[^\s:：，。、]{1,12}\s*[:：]")


def soft_breaks(text: str) -> list[tuple[int, int]]:
    """The spans of ``text`` (end of one line's content to start of the next's) that join
    two parts of one paragraph; see the module docstring."""
    lines = split_lines(text)
    spans = []
    previous: Line | None = None
    blanks = 0
    for line in lines:
        if line.blank:
            blanks += 1
            continue
        if previous is not None and blanks <= _MAX_BLANK_LINES and _joins(previous, line):
            end = previous.start + len(previous.raw.rstrip("\r").rstrip())
            start = line.start + (len(line.raw) - len(line.raw.lstrip()))
            spans.append((end, start))
        previous, blanks = line, 0
    return spans


def join_soft_breaks(text: str) -> str:
    """``text`` with every soft break removed (a space kept between two Latin words)."""
    parts = []
    position = 0
    for start, end in soft_breaks(text):
        parts.append(text[position:start])
        before = text[start - 1] if start > 0 else ""
        after = text[end] if end < len(text) else ""
        if before and after and not (_CJK.match(before) or _CJK.match(after)):
            parts.append(" ")
        position = end
    parts.append(text[position:])
    return "".join(parts)


def _joins(first: Line, second: Line) -> bool:
    """Does ``second`` continue the sentence ``first`` breaks off?"""
    if first.is_table_row or second.is_table_row:
        return False
    if first.heading_level is not None or second.heading_level is not None:
        return False
    head, tail = squeeze(first.content), squeeze(second.content)
    if not head or not tail:
        return False
    if _unclosed(head):
        return True  # "…各市、县（" / "区）〕": inside a bracket the sentence goes on
    if head.endswith(_HARD_END):
        return False
    return not _ends_a_block(first, head) and not _starts_a_block(second, tail)


def _unclosed(content: str) -> bool:
    opened = sum(content.count(mark) for mark in "（(〔【［[")
    return opened > sum(content.count(mark) for mark in "）)〕】］]")


def _ends_a_block(line: Line, content: str) -> bool:
    if _LABEL_LINE.match(content):
        return True
    if not _PUNCTUATION.search(content) and len(content) < _SHORT:
        return True  # a title, heading, signature or label
    heading = numbered_heading(line)
    if heading is not None and "。" not in content:
        return True  # "一、总体要求" (a run-in heading with its text has a 。)
    return bool(_DATE_LINE.match(content)) or normalize_doc_number(content) is not None


def _starts_a_block(line: Line, content: str) -> bool:
    if numbered_heading(line) is not None or attachment_heading([line], 0, 1) is not None:
        return True
    if _DATE_LINE.match(content) or normalize_doc_number(content) is not None:
        return True
    if _OPENS_BLOCK.match(content) or _LABEL_LINE.match(content):
        return True
    return not _PUNCTUATION.search(content) and len(content) < _SHORT
