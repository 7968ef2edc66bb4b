"""What a hit or a task page is called (issue 14): the document's short title, the task's
number and its first words, so that identical headings and task numbers repeated across
documents no longer look alike. Pure module (no Django)."""

from __future__ import annotations

import re

#: A transmittal notice names the document it transmits: 印发《X》的通知 → X.
_TRANSMITTED = re.compile(r"(?:印发|转发|发布)《(?P<inner>[^》]+)》的(?:通知|通告|函)$")
#: The issuer part before 关于: 自治区人民政府关于加强… → 加强….
_ABOUT = re.compile(r"^.{0,40}?关于(?=.)")
_CLAUSE_END = re.compile(r"[，。；：！？,;:!?\s]")
#: How many characters of a task's text its title shows at most.
FIRST_WORDS = 20


def short_title(title: str) -> str:
    """The document title without the issuer and the transmittal frame, the way people
    cite it: "自治区人民政府关于加强数字政府建设的实施意见" → "加强数字政府建设的实施意见"."""
    title = title.strip()
    match = _TRANSMITTED.search(title)
    if match:
        title = match["inner"]
    shortened = _ABOUT.sub("", title, count=1)
    return shortened or title


def first_words(text: str, limit: int = FIRST_WORDS) -> str:
    """The first clause of ``text`` (up to its first comma or full stop), at most ``limit``
    characters, with an ellipsis when cut."""
    text = text.strip()
    end = _CLAUSE_END.search(text)
    clause = text[: end.start()] if end else text
    if len(clause) > limit:
        return clause[:limit] + "…"
    return clause
