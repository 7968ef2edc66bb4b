"""Character classes of Chinese official text, and width folding for matching.

Comparison forms only: the stored document text stays exactly as decoded (every offset of
the parser points into it); :func:`fold_width` keeps lengths, so offsets stay valid.
"""

from __future__ import annotations

import re

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

_FULL_WIDTH_TO_ASCII = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def fold_width(text: str) -> str:
    """Full-width ASCII variants (Ａ１（，) become ASCII, the ideographic space a space.

    For matching only.  The result has exactly the length of the input, so an offset found
    in the folded text is valid in the original.
    """
    return text.translate(_FULL_WIDTH_TO_ASCII)


#: Half-width marks that Chinese text writes full-width (GB/T 15834-2011 标点符号用法).
_FULL_WIDTH_MARKS = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
_HALF_WIDTH_BETWEEN_CHINESE = re.compile(
    rf"(?<=[{CJK_IDEOGRAPHS}])([,;:?!])[{SPACES}]*(?=[{CJK_IDEOGRAPHS}])"
)


def chinese_punctuation(text: str) -> str:
    """Half-width ``, ; : ? !`` between two Chinese characters (with the spaces after them)
    become the full-width marks Chinese text uses (GB/T 15834-2011, 4.1–4.6).

    PDF extraction and copy-and-paste leave such marks in official text ("监督责任, 构建");
    a mark next to a Latin letter or a digit (``12:30``, ``GB/T 1.1``) is left as it is."""
    return _HALF_WIDTH_BETWEEN_CHINESE.sub(lambda match: _FULL_WIDTH_MARKS[match[1]], text)
