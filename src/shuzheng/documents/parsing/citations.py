"""Documents cited in a text: by title (《…》), by number (国发〔2022〕14号), or both.

GLOSSARY: a Citation is "a document cited by title and/or number".  The usual form is
《国务院关于加强数字政府建设的指导意见》（国发〔2022〕14号）: the number in the parentheses right
after the title belongs to that title.  A bare 《…条例》 is a citation by title and a number on
its own a citation by number.  Numbers are normalised to 〔〕 (GLOSSARY: doc_number).
"""

from __future__ import annotations

import re

from shuzheng.documents.parsing.model import Citation
from shuzheng.text.doc_numbers import find_doc_numbers, normalize_doc_number

_TITLE = re.compile(r"《(?P<title>[^《》\n]{1,200})》")
_NUMBER_AFTER_TITLE = re.compile(r"\s*[（(]\s*(?P<number>[^（）()\n]{3,40}?)\s*[)）]")


def find_citations(text: str, start: int, end: int) -> list[Citation]:
    """Citations in ``text[start:end]``, in order, with offsets into ``text``."""
    citations: list[Citation] = []
    covered: list[tuple[int, int]] = []
    for title in _TITLE.finditer(text, start, end):
        citation = Citation(raw=title.group(0), title=title.group("title").strip())
        citation.start, citation.end = title.start(), title.end()
        after = _NUMBER_AFTER_TITLE.match(text, title.end(), end)
        number = normalize_doc_number(after.group("number")) if after else None
        if number is not None:
            citation.doc_number = number
            citation.end = after.end()
            citation.raw = text[citation.start : citation.end]
        citations.append(citation)
        covered.append((citation.start, citation.end))
    for found in find_doc_numbers(text[start:end]):
        number_start = start + found.start
        if any(low <= number_start < high for low, high in covered):
            continue
        citations.append(
            Citation(
                raw=found.raw,
                doc_number=found.normalized,
                start=number_start,
                end=start + found.end,
            )
        )
    return sorted(citations, key=lambda citation: citation.start)
