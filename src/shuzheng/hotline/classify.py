"""Classifying a request by the catalog's keywords: the general service's routing until the
learned suggestion (``hotline.suggest``) replaces it, and the keyword-only baseline it is
measured against (issue 15, point 2 and "Benchmarks").

Plain Python, no Django. A category scores one point per distinct keyword found in the text;
the best score wins, ties broken by the catalog's order; no keyword found → no category.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class KeywordMatch:
    code: str
    keywords: tuple[str, ...]


def by_keywords(text: str, catalog: Iterable[tuple[str, Iterable[str]]]) -> list[KeywordMatch]:
    """The categories whose keywords occur in ``text``, best first (``catalog`` in order)."""
    matches = []
    for position, (code, keywords) in enumerate(catalog):
        found = tuple(word for word in dict.fromkeys(keywords) if word and word in text)
        if found:
            matches.append((-len(found), position, KeywordMatch(code, found)))
    return [match for *_, match in sorted(matches, key=lambda item: item[:2])]
