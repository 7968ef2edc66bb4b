"""A search evaluated against a few items in memory (issue 13, item 2).

Pure module (no Django). Subscriptions ask, for every newly ingested document, which of its
new entries each saved search finds. Running the search engine over the library for that
costs the library's size per subscription; this module answers from the entries' own
tokens instead, so the cost per document grows with the number of subscriptions only.

It evaluates what the search evaluates, with the same parts: the query as
``search.query`` parses it and segments it (:func:`~shuzheng.search.query.match_plan`, so
whatever the query language learns applies here too), the entries' token columns as the
index stores them (``search.services.segment``), and the filters resolved as the search
resolves them (``search.services.compile_query``). The rules, as the backends apply them:

* a group of tokens matches when every token is in one of the entry's token columns
  (title, body, domain terms) — a phrase when its tokens stand next to each other in one
  column —, or when the group is a domain term that the terms column holds, or when one of
  its alternatives (the word's expansions: synonyms, abbreviations, unit aliases) does;
* every group must match, no excluded group may; a one-character word (no index term)
  must occur in the body or the title, an excluded one in neither;
* the filters: level, doc number, document type, validity, year, deadline year, documents,
  visibility, and issuer or responsible unit — one of the entry's names or codes is among
  the names the registry gives for the typed name, or contains the typed name.

``tests/search/test_matcher.py`` checks that the engine and this module agree on the
sample library for a table of queries and for random ones.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from shuzheng.search.items import IndexItem
from shuzheng.search.query import MatchPlan, TokenGroup

#: Facet values are stored cut to this length (search.services: SearchFacet.value).
FACET_VALUE_LENGTH = 200
#: The token column of each word scope (``query.SCOPES``) in ``MatchableItem.columns``.
SCOPE_COLUMNS = {"title": 0, "body": 1}


class MatchableItem:
    """An index entry as the matcher reads it: the item and its token columns (the
    space-separated tokens the index stores)."""

    __slots__ = ("_positions", "columns", "item", "terms", "tokens")

    def __init__(self, item: IndexItem, title_tokens: str, body_tokens: str, terms_tokens: str):
        self.item = item
        self.columns: tuple[tuple[str, ...], ...] = (
            tuple(title_tokens.split()),
            tuple(body_tokens.split()),
            tuple(terms_tokens.split()),
        )
        self.terms = frozenset(self.columns[2])
        self.tokens = frozenset(token for column in self.columns for token in column)
        self._positions: dict[str, list[tuple[int, int]]] | None = None

    def column(self, scope: str) -> tuple[str, ...]:
        """The tokens of the part a scoped word must be in (标题: title, 正文: body)."""
        return self.columns[SCOPE_COLUMNS[scope]]

    def has_phrase(self, tokens: Sequence[str]) -> bool:
        """Whether ``tokens`` stand next to each other, in order, in one column."""
        if self._positions is None:
            positions: dict[str, list[tuple[int, int]]] = {}
            for number, column in enumerate(self.columns):
                for index, token in enumerate(column):
                    positions.setdefault(token, []).append((number, index))
            self._positions = positions
        for number, start in self._positions.get(tokens[0], ()):
            column = self.columns[number]
            if tuple(column[start : start + len(tokens)]) == tuple(tokens):
                return True
        return False


@dataclass(frozen=True)
class NameFilter:
    """Issuer or responsible unit: the names and codes the registry gives for the typed
    name (``names``), or any value containing it (``contains``, case-folded)."""

    names: frozenset[str]
    contains: str

    def allows(self, values: Iterable[str]) -> bool:
        for value in values:
            value = value[:FACET_VALUE_LENGTH]
            if value in self.names or self.contains in value.casefold():
                return True
        return False


@dataclass(frozen=True)
class ItemFilters:
    """The facet filters of a search in resolved form (``search.services.compile_query``)."""

    kind: str = ""
    number: str = ""
    doc_type: str = ""
    #: 主题分类 codes, any of which the item must have.
    topics: frozenset[str] = frozenset()
    validity: str = ""
    year: int | None = None
    deadline_year: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    document_ids: frozenset[int] = frozenset()
    public_only: bool = True
    issuer: NameFilter | None = None
    unit: NameFilter | None = None

    def allows(self, item: IndexItem) -> bool:
        if self.public_only and not item.is_public:
            return False
        for wanted, value in (
            (self.kind, item.kind),
            (self.number, item.doc_number),
            (self.doc_type, item.doc_type),
            (self.validity, item.validity),
        ):
            if wanted and value != wanted:
                return False
        if self.year is not None and item.year != self.year:
            return False
        if self.topics and self.topics.isdisjoint(item.topics):
            return False
        if self.deadline_year is not None and self.deadline_year not in item.deadline_years:
            return False
        if (self.date_from or self.date_to) and not _within(
            item.published_on, self.date_from, self.date_to
        ):
            return False
        if self.document_ids and item.document_id not in self.document_ids:
            return False
        if self.issuer is not None and not self.issuer.allows((*item.issuers, *item.issuer_codes)):
            return False
        return self.unit is None or self.unit.allows((*item.unit_names, *item.unit_codes))


def _within(day, first, last) -> bool:
    if day is None:
        return False
    return (first is None or day >= first) and (last is None or day <= last)


def group_matches(group: TokenGroup, entry: MatchableItem) -> bool:
    """The group, or one of its alternatives (the word's expansions), matches."""
    return _alone_matches(group, entry) or any(
        _alone_matches(alternative, entry) for alternative in group.alternatives
    )


def _alone_matches(group: TokenGroup, entry: MatchableItem) -> bool:
    if group.scope:
        return _scoped_matches(group, entry.column(group.scope))
    if group.term and group.term in entry.terms:
        return True
    if group.phrase:
        return entry.has_phrase(group.tokens)
    return all(token in entry.tokens for token in group.tokens)


def _scoped_matches(group: TokenGroup, column: tuple[str, ...]) -> bool:
    """All the tokens in the one column (a phrase: next to each other, in order)."""
    if not group.phrase:
        present = set(column)
        return all(token in present for token in group.tokens)
    width = len(group.tokens)
    return any(
        column[start : start + width] == group.tokens for start in range(len(column) - width + 1)
    )


def item_matches(plan: MatchPlan, filters: ItemFilters, entry: MatchableItem) -> bool:
    """Whether the search of ``plan`` and ``filters`` finds ``entry``."""
    item = entry.item
    if not filters.allows(item):
        return False
    for text in plan.substrings:
        if text not in item.body and text not in item.title:
            return False
    for text in plan.excluded_substrings:
        if text in item.body or text in item.title:
            return False
    if not all(group_matches(group, entry) for group in plan.groups):
        return False
    return not any(group_matches(group, entry) for group in plan.excluded)


def matching(
    plan: MatchPlan, filters: ItemFilters, entries: Iterable[MatchableItem]
) -> list[MatchableItem]:
    """The entries the search finds, in the order given."""
    return [entry for entry in entries if item_matches(plan, filters, entry)]


class MatchableSet:
    """Entries to test many searches against: a search with words is tested only on the
    entries holding its first group's tokens (or its domain term), found in a small
    inverted index, so a thousand saved searches do not each walk every entry."""

    def __init__(self, entries: Iterable[MatchableItem]):
        self.entries = list(entries)
        self._tokens: dict[str, set[int]] = {}
        self._terms: dict[str, set[int]] = {}
        for number, entry in enumerate(self.entries):
            for token in entry.tokens:
                self._tokens.setdefault(token, set()).add(number)
            for term in entry.terms:
                self._terms.setdefault(term, set()).add(number)

    def __len__(self) -> int:
        return len(self.entries)

    def find(self, plan: MatchPlan, filters: ItemFilters) -> list[MatchableItem]:
        """What :func:`matching` finds among the entries, in their order."""
        if plan.groups:
            candidates = sorted(self._candidates(plan.groups[0]))
        else:
            candidates = range(len(self.entries))
        return [
            self.entries[number]
            for number in candidates
            if item_matches(plan, filters, self.entries[number])
        ]

    def _candidates(self, group: TokenGroup) -> set[int]:
        found = self._alone_candidates(group)
        for alternative in group.alternatives:
            found |= self._alone_candidates(alternative)
        return found

    def _alone_candidates(self, group: TokenGroup) -> set[int]:
        found = set(self._tokens.get(group.tokens[0], ()))
        for token in group.tokens[1:]:
            if not found:
                break
            found &= self._tokens.get(token, set())
        if group.term:
            found |= self._terms.get(group.term, set())
        return found
