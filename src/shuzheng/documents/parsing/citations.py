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

# Words that run into a bare number in prose ("各部门按照宁政发〔2023〕17号") and are not its
# code: the code starts after the last of them.
_LEAD_IN = re.compile(
    r"^(?:.*(?:根据|按照|依据|依照|参照|对照|落实|贯彻|执行|印发|转发|现将))?(?:[见及和与的将])*"
)
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
        cut = len(_LEAD_IN.match(found.raw).group(0))
        number = normalize_doc_number(found.raw[cut:])
        if number is None:  # the "lead-in" was part of the code after all
            cut, number = 0, found.normalized
        number_start = start + found.start + cut
        if any(low <= number_start < high for low, high in covered):
            continue
        citations.append(
            Citation(
                raw=found.raw[cut:],
                doc_number=number,
                start=number_start,
                end=start + found.end,
            )
        )
    return sorted(citations, key=lambda citation: citation.start)
