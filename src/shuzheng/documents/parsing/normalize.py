"""Normalisation helpers for matching; they return new strings and never rewrite the source.

The stored document text stays exactly as decoded (see model.py: every offset points into
it).  These helpers produce *comparison* forms: a normalised 发文字号 to store and look up,
width-folded text to match against, CJK text without the spaces PDF and OCR tools insert.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# CJK Unified Ideographs, Extension A, compatibility ideographs and the supplementary
# planes (Extensions B onwards), e.g. rare characters in personal and place names.
CJK_IDEOGRAPHS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
# Full-width punctuation used in Chinese text (、。〔〕《》【】 …, （），：；！？ …); U+3000,
# the ideographic space, is a space and not punctuation.
CJK_PUNCTUATION = "\u3001-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
DIGITS = "0-9\uff10-\uff19"  # ASCII and full-width
# Horizontal spaces that PDF/OCR tools insert: space, ideographic space, no-break space.
# Tabs and newlines are structure (table cells, paragraphs) and never touched.
SPACES = " \u3000\u00a0"

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

# Words that often stand right before a document number in running text and are never
# the start of an issuing organ's abbreviation (机关代字).
_LEAD_IN_WORDS = ("根据", "按照", "依据", "依照", "参照", "对照", "贯彻", "落实", "执行")
_LEAD_IN_CHARS = ("见", "和", "及", "与", "或", "即", "经", "的")
_MIN_PREFIX_LENGTH = 2

_FULL_WIDTH_TO_ASCII = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


@dataclass(frozen=True)
class DocNumberMatch:
    start: int  # offsets into the text searched
    end: int
    raw: str  # as written
    normalized: str  # e.g. 宁党办〔2023〕32号


def normalize_doc_number(raw: str) -> str:
    """The standard form of a 发文字号: 机关代字〔年份〕序号号, e.g. 宁党办〔2023〕32号.

    Rule source: GB/T 9704-2012《党政机关公文格式》7.2.4 — the year in 六角括号 〔〕, the
    serial number without 第 and without leading zeros ("不编虚位").  Accepts [ ] ［ ］ 〔 〕
    【 】 ( ) （ ） around the year, inserted spaces and full-width digits.  A parenthesised
    part of the organ's abbreviation is written with full-width parentheses.
    """
    match = DOC_NUMBER_PATTERN.fullmatch(raw.strip())
    if match is None:
        raise ValueError(
            f"不是发文字号 / not a document number (expected e.g. 宁政发〔2023〕17号): {raw!r}"
        )
    return _normalized(match)


def find_doc_numbers(text: str) -> list[DocNumberMatch]:
    """Every 发文字号 in ``text`` with its span (offsets into ``text``).

    In running text the organ's abbreviation cannot always be told from the words before
    it; common lead-ins such as 根据, 按照 or 和 are cut off, others may remain (a known
    limit: "通知宁政发〔2023〕1号" would keep 通知).
    """
    found = []
    for match in DOC_NUMBER_PATTERN.finditer(text):
        cut = _lead_in_length(match.group("prefix"))
        start = match.start() + cut
        found.append(
            DocNumberMatch(
                start=start,
                end=match.end(),
                raw=text[start : match.end()],
                normalized=_normalized(match, cut),
            )
        )
    return found


def fold_width(text: str) -> str:
    """Full-width ASCII variants (Ａ１（，) become ASCII, the ideographic space a space.

    For matching only.  The result has exactly the length of the input, so an offset found
    in the folded text is valid in the original.
    """
    return text.translate(_FULL_WIDTH_TO_ASCII)


def _normalized(match: re.Match[str], prefix_cut: int = 0) -> str:
    prefix = match.group("prefix")[prefix_cut:]
    prefix = re.sub(f"[{SPACES}]", "", prefix).replace("(", "（").replace(")", "）")
    year = fold_width(match.group("year"))
    serial = str(int(fold_width(match.group("serial"))))
    return f"{prefix}〔{year}〕{serial}号"


def _lead_in_length(prefix: str) -> int:
    cut = 0
    while True:
        rest = prefix[cut:]
        lead = next((w for w in _LEAD_IN_WORDS + _LEAD_IN_CHARS if rest.startswith(w)), None)
        if lead is None or len(rest) - len(lead) < _MIN_PREFIX_LENGTH:
            return cut
        cut += len(lead)
