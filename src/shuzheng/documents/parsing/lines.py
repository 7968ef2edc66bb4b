"""Lines of the decoded text with their offsets, and the small text rules every parser step shares.

The parser never rewrites ``ParseResult.text``: it looks at lines, and every value it reports
carries the character offsets of the line it came from (model.py: "every offset is a character
offset into ParseResult.text").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from shuzheng.text.characters import CJK_IDEOGRAPHS

_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_BULLET = re.compile(r"^[-*+]\s+")
# Ideographs, CJK symbols and punctuation, full-width forms and the quotes and dashes of
# Chinese prose: a space next to any of them is a PDF/OCR artefact, not a word break.
_CJK = rf"{CJK_IDEOGRAPHS}\u3000-\u303f\uff00-\uffef“”‘’—…·"
_SPACE_NEXT_TO_CJK = re.compile(rf"(?<=[{_CJK}])[ \t\u3000]+|[ \t\u3000]+(?=[{_CJK}])")
_SPACE_AFTER_DIGIT_BEFORE_CJK = re.compile(rf"(?<=\d)[ \t\u3000]+(?=[{_CJK}])")
# "○" (white circle) and "Ｏ" stand for 〇 in many documents of the 1990s and 2000s.
_DIGITS = {"〇": 0, "○": 0, "Ｏ": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}


@dataclass(frozen=True)
class Line:
    """One line of the text: ``start``/``end`` delimit ``raw`` (without the newline)."""

    index: int
    start: int
    end: int
    raw: str
    heading_level: int | None  # number of "#" of a Markdown heading
    content: str  # stripped, without Markdown heading marks or list bullet

    @property
    def blank(self) -> bool:
        return not self.content

    @property
    def is_table_row(self) -> bool:
        return "\t" in self.raw or self.content.startswith("|")


def split_lines(text: str) -> list[Line]:
    """Every line of ``text`` (blank ones too), so that neighbours keep their distance."""
    lines = []
    offset = 0
    for index, raw in enumerate(text.split("\n")):
        lines.append(_make_line(index, offset, raw))
        offset += len(raw) + 1
    return lines


def _make_line(index: int, start: int, raw: str) -> Line:
    body = raw.rstrip("\r")
    stripped = body.strip()
    heading = _MARKDOWN_HEADING.match(stripped)
    level = None
    if heading:
        level = len(heading.group(1))
        stripped = heading.group(2).strip()
    stripped = _BULLET.sub("", stripped)
    return Line(index, start, start + len(body), body, level, stripped)


def squeeze(text: str) -> str:
    """Drop the layout spaces Chinese text does not have ("2025 年" → "2025年").

    Spaces between two Latin words or numbers stay ("ISSN 1008-0783").
    """
    text = _SPACE_AFTER_DIGIT_BEFORE_CJK.sub("", text.strip())
    return _SPACE_NEXT_TO_CJK.sub("", text)


def collapse_spaces(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def chinese_number(text: str) -> int | None:
    """一 → 1, 十六 → 16, 二十 → 20, 一百零二 → 102; Arabic digits pass through."""
    if text.isdigit():
        return int(text)
    if not text or any(char not in _DIGITS and char not in "十百" for char in text):
        return None
    total = 0
    current = 0
    for char in text:
        if char == "百":
            total += (current or 1) * 100
            current = 0
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _DIGITS[char]
    return total + current


def normalize_parentheses(text: str) -> str:
    """Full-width parentheses to half-width, as section paths and categories use them."""
    return text.replace("（", "(").replace("）", ")")
