"""Knowledge answers (即问即答, issue 15 point 5): the rules, in plain Python (no Django).

* **Status.** An entry answers only while it is *active*: reviewed, citing at least one
  policy paragraph, before its review date, and with no cited document repealed (失效). The
  other statuses say why not: a draft waits for review, a withdrawn entry is gone, an entry
  past its review date waits to be reviewed again, an entry citing a repealed document has
  expired (it answers nobody until its sources are changed and it is reviewed again).
* **Citing.** A paragraph is cited by its link in the policy library,
  ``/documents/<id>/#<anchor>`` (what a search hit or the document's contents link to), with
  or without the host and a ``?hl=`` highlight.
* **Matching.** An active entry matches a text when they share words
  (``hotline.suggest.Tokenizer``): the score is the share of the entry's words (question and
  keywords) found in the text, plus a bonus when the entry is of the text's likely service;
  at least ``MIN_SCORE`` and two shared words (one when the entry has fewer than three).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

ACTIVE = "active"
DRAFT = "draft"
WITHDRAWN = "withdrawn"
UNCITED = "uncited"
REVIEW_DUE = "review_due"
EXPIRED = "expired"

#: Matching: the least score, and the bonus for the text's likely service.
MIN_SCORE = 0.34
CATEGORY_BONUS = 0.2

_DOCUMENT_PATH = re.compile(r"^/(?:[a-z-]+/)?documents/(\d+)/?$")


def status(state: str, review_on: dt.date, today: dt.date, *, cited: int, repealed: int) -> str:
    """One of the statuses above; ``state`` is the stored review state (draft, reviewed,
    withdrawn), ``cited`` how many paragraphs the entry cites, ``repealed`` how many of
    them are in repealed documents."""
    if state == WITHDRAWN:
        return WITHDRAWN
    if repealed:
        return EXPIRED
    if not cited:
        return UNCITED
    if state != "reviewed":
        return DRAFT
    if review_on < today:
        return REVIEW_DUE
    return ACTIVE


def parse_citation(link: str) -> tuple[int, str] | None:
    """(document id, section anchor) of a paragraph's link, or None when ``link`` is not
    one (no document, or no ``#anchor``)."""
    parts = urlsplit(link.strip())
    found = _DOCUMENT_PATH.match(parts.path)
    anchor = unquote(parts.fragment).strip()
    if found is None or not anchor:
        return None
    return int(found.group(1)), anchor


@dataclass(frozen=True)
class Entry:
    key: int
    question: str
    keywords: str = ""
    category: str = ""


@dataclass(frozen=True)
class Match:
    entry: Entry
    score: float
    #: The words the text and the entry share: the reason shown.
    shared: tuple[str, ...]


def rank(
    text: str,
    entries: Iterable[Entry],
    tokenize: Callable[[str], list[str]],
    *,
    categories: Sequence[str] = (),
    limit: int = 3,
) -> list[Match]:
    """The active entries matching ``text``, best first; ``categories`` are the text's
    likely services (the suggestion's), the first getting the bonus."""
    words = list(dict.fromkeys(tokenize(text)))
    if not words:
        return []
    present = set(words)
    likely = categories[0] if categories else ""
    matches = []
    for entry in entries:
        theirs = set(tokenize(f"{entry.question} {entry.keywords}"))
        if not theirs:
            continue
        shared = present & theirs
        needed = 2 if len(theirs) >= 3 else 1
        if len(shared) < needed:
            continue
        score = len(shared) / len(theirs)
        if likely and entry.category == likely:
            score += CATEGORY_BONUS
        if score >= MIN_SCORE:
            ordered = tuple(word for word in words if word in shared)
            matches.append(Match(entry, round(score, 3), ordered))
    return sorted(matches, key=lambda m: (-m.score, m.entry.key))[:limit]


def search_texts(words: Sequence[str], most: int = 4) -> list[str]:
    """The policy-library queries a drafted answer tries, most specific first: the first
    two words together, then each word alone (the library's search needs every word)."""
    words = list(dict.fromkeys(word for word in words if word.strip()))
    texts = [" ".join(words[:2])] if len(words) > 1 else []
    texts += words
    return list(dict.fromkeys(texts))[:most]
