"""The one document-number (发文字号) grammar: the parser, the search tokenizer and the
search query parser all read numbers through this module.

Rule source: GB/T 9704-2012《党政机关公文格式》7.2.4 — 机关代字〔年份〕序号号, the year in
六角括号 〔〕, the serial number without 第 and without leading zeros ("不编虚位"). As
written in real documents (and by OCR) the year may stand in [ ] ［ ］ 〔 〕 【 】 ( ) （ ）,
spaces may be inserted, digits may be full-width and 第 may precede the serial; the
standard form is what is stored, looked up and typed into the search's 文号: filter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from shuzheng.text.characters import CJK_IDEOGRAPHS, DIGITS, SPACES, fold_width

_SP = f"[{SPACES}]*"
_OPEN_BRACKETS = r"\[［〔【(（"
_CLOSE_BRACKETS = r"\]］〕】)）"

DOC_NUMBER_PATTERN = re.compile(
    # 机关代字: two or more ideographs, possibly with a parenthesised part (宁财（预）发).
    rf"(?P<prefix>(?:[{CJK_IDEOGRAPHS}]|[（(][{CJK_IDEOGRAPHS}]{{1,4}}[)）]){{2,12}}){_SP}"
    # 年份 in any bracket pair (〔〕 is the standard one; OCR may mix them up).
    rf"[{_OPEN_BRACKETS}]{_SP}(?P<year>[{DIGITS}]{{4}}){_SP}[{_CLOSE_BRACKETS}]{_SP}"
    # 发文顺序号, sometimes (against the standard) with 第.
    rf"(?:第{_SP})?(?P<serial>[{DIGITS}]{{1,5}}){_SP}号"
)
"""A 发文字号 as written, e.g. 宁党办[2023]32号, 国发〔2022〕14号, 宁政办发（２０２３）５ 号."""
#: What every number has: a year in brackets. Cheap to look for; the full pattern is tried
#: only on the lines that have it (its prefix backtracks at every ideograph of a text).
_YEAR_IN_BRACKETS = re.compile(rf"[{_OPEN_BRACKETS}]{_SP}[{DIGITS}]{{4}}{_SP}[{_CLOSE_BRACKETS}]")

# Words that often stand right before a document number in running text and are never
# part of an issuing organ's abbreviation (机关代字): the code starts after the last of them
# ("各部门按照宁政发〔2023〕17号"); then single characters that join it to the prose
# ("根据和宁政发…", "见国发…") are cut from its front.
_LEAD_IN_WORDS = (
    "根据", "按照", "依据", "依照", "参照", "对照", "贯彻", "落实", "执行", "印发", "转发", "现将"
)  # fmt: skip
_LEAD_IN_CHARS = ("见", "和", "及", "与", "或", "即", "经", "的", "将")
_MIN_PREFIX_LENGTH = 2


@dataclass(frozen=True)
class DocNumberMatch:
    """One number found in a text; ``start``/``end`` are offsets into that text."""

    start: int
    end: int
    raw: str  # as written
    normalized: str  # e.g. 宁党办〔2023〕32号
    code: str  # the 机关代字 as written, e.g. 宁财(预)发
    year: int
    serial: int


def normalize_doc_number(text: str) -> str | None:
    """The standard form of ``text`` when the whole of it is a 发文字号, e.g. 宁党办[2023]32号
    → 宁党办〔2023〕32号; None when it is not one. A parenthesised part of the organ's
    abbreviation is written with full-width parentheses."""
    match = DOC_NUMBER_PATTERN.fullmatch(text.strip())
    return None if match is None else _normalized(match)


def find_doc_numbers(text: str) -> list[DocNumberMatch]:
    """Every 发文字号 in ``text`` with its span (offsets into ``text``); none crosses a line.

    In running text the organ's abbreviation cannot always be told from the words before
    it: the code starts after the last lead-in word (根据, 按照, 印发 …) and joining
    characters (和, 见 …) before it are cut; other words may remain (a known limit:
    "通知宁政发〔2023〕1号" would keep 通知). The parser's citations and the search's tokens
    both take the number as found here.
    """
    found = []
    for match in _matches(text):
        cut = _lead_in_length(match.group("prefix"))
        start = match.start() + cut
        found.append(
            DocNumberMatch(
                start=start,
                end=match.end(),
                raw=text[start : match.end()],
                normalized=_normalized(match, cut),
                code=match.group("prefix")[cut:],
                year=int(fold_width(match.group("year"))),
                serial=int(fold_width(match.group("serial"))),
            )
        )
    return found


def _matches(text: str):
    """``DOC_NUMBER_PATTERN.finditer(text)``, run only over the lines with a bracketed
    year: no number crosses a line, so each line's matches are the whole text's."""
    line_end = -1
    for anchor in _YEAR_IN_BRACKETS.finditer(text):
        if anchor.start() < line_end:
            continue
        line_start = text.rfind("\n", 0, anchor.start()) + 1
        line_end = text.find("\n", anchor.end())
        if line_end < 0:
            line_end = len(text)
        yield from DOC_NUMBER_PATTERN.finditer(text, line_start, line_end)


def _normalized(match: re.Match[str], prefix_cut: int = 0) -> str:
    prefix = match.group("prefix")[prefix_cut:].replace("(", "（").replace(")", "）")
    year = fold_width(match.group("year"))
    serial = int(fold_width(match.group("serial")))
    return f"{prefix}〔{year}〕{serial}号"


def _lead_in_length(prefix: str) -> int:
    """How many characters of the matched ``prefix`` are prose before the organ's code; the
    code keeps at least ``_MIN_PREFIX_LENGTH`` characters."""
    cut = _after_last_lead_in_word(prefix)
    while len(prefix) - cut > _MIN_PREFIX_LENGTH and prefix[cut] in _LEAD_IN_CHARS:
        cut += 1
    return cut


def _after_last_lead_in_word(prefix: str) -> int:
    ends = [
        match.end()
        for word in _LEAD_IN_WORDS
        for match in re.finditer(word, prefix)
        if len(prefix) - match.end() >= _MIN_PREFIX_LENGTH
    ]
    return max(ends, default=0)
