"""The policy library's query language and the search contract (issue 4, items 2–4).

Pure module (no Django). A civil servant types, for example::

    数据共享 “一网通办” -疫情 机关:财政厅 年份:2023 文号:宁政发[2023]17号

* several words — all must match;
* ``"quoted phrase"`` or ``“中文引号”`` — the words in this order, next to each other;
* ``-word`` or ``-"phrase"`` — exclude;
* ``field:value`` (also with a full-width colon) — filters, Chinese or English names:
  文号/number, 机关/issuer, 年份/year, 类型/type, 主题/topic (a class of the 主题分类, by
  name or part of it: 主题:环境保护), 单位/unit, and 发布日期/date with a day or a
  range of days (``发布日期:2023-01-01..2023-06-30``, either end may be left open);
* ``标题:word`` / ``正文:word`` (title/body, also ``-标题:word`` and ``标题:"a phrase"``) —
  the word only in an entry's title or heading, or only in its text (the advanced search of
  gov.cn's 政策文件库 offers the same two scopes).

:func:`parse_query` turns the text into a :class:`ParsedQuery`; :func:`match_plan` segments
it into the token groups both backends translate into their own full-text syntax.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from shuzheng import bounds
from shuzheng.search.items import DOCUMENT, KINDS, SECTION, TASK
from shuzheng.search.segmentation import Segmenter, is_single_cjk

# The one grammar (GB/T 9704-2012): a typed number normalises as the stored one did.
from shuzheng.text.doc_numbers import normalize_doc_number
from shuzheng.text.titles import short_title
from shuzheng.text.topics import resolve as resolve_topic
from shuzheng.text.translation import gettext_noop, join_list

#: Field names as typed → the filter they set (issue 4, item 2).
FIELD_NAMES: dict[str, str] = {
    "文号": "number",
    "发文字号": "number",
    "number": "number",
    "机关": "issuer",
    "发文机关": "issuer",
    "issuer": "issuer",
    "年份": "year",
    "年度": "year",
    "year": "year",
    "类型": "doc_type",
    "文种": "doc_type",
    "type": "doc_type",
    "主题": "topic",
    "主题分类": "topic",
    "topic": "topic",
    "单位": "unit",
    "责任单位": "unit",
    "unit": "unit",
    "发布日期": "date",
    "日期": "date",
    "date": "date",
}
#: Scopes as typed → the part of an entry a scoped word must occur in (``Word.scope``).
SCOPE_NAMES: dict[str, str] = {
    "标题": "title",
    "title": "title",
    "正文": "body",
    "body": "body",
}
SCOPES = ("title", "body")
MAX_PER_PAGE = 100
MAX_QUERY_LENGTH = 500

_QUOTES = {'"': '"', "“": "”", "”": "”", "「": "」"}
_SPACE = re.compile(r"[\s\u3000]+")
_FIELD = re.compile(r"^(?P<name>[^:：\s]{1,8})[:：](?P<value>.*)$", re.S)


class Label(str):
    """An error parameter that is itself text to translate (a parameter's name)."""


#: Codes of the errors a query can have → their text, with ``{parameters}``.
QUERY_ERROR_TEXT: dict[str, str] = {
    "too_long": gettext_noop("The query is longer than {limit} characters."),
    "unknown_kind": gettext_noop("The level (kind) must be one of {choices}."),
    "unknown_sort": gettext_noop("The order (sort) must be one of {choices}."),
    "page_below_one": gettext_noop("The page number must be 1 or more."),
    "out_of_range": gettext_noop("{parameter} must lie between {minimum} and {maximum}."),
    "per_page_out_of_range": gettext_noop(
        "The number of results per page must be between 1 and {limit}."
    ),
    "field_without_value": gettext_noop("{field}: needs a value after the colon."),
    "year_not_four_digits": gettext_noop('年份/year must be a four-digit year, not "{value}".'),
    "not_a_doc_number": gettext_noop(
        '文号/number must look like 宁政发〔2023〕17号, not "{value}".'
    ),
    "quote_not_closed": gettext_noop("A quotation mark is not closed."),
    "scoped_single_character": gettext_noop(
        "{field}: needs a word of two characters or more (one character is looked for in the whole text)."
    ),
    "not_a_whole_number": gettext_noop('{parameter} must be a whole number, not "{value}".'),
    "not_a_date": gettext_noop('{parameter} must be a date such as 2023-06-30, not "{value}".'),
    "dates_reversed": gettext_noop("The first date of the range is after the last."),
    "unknown_topic": gettext_noop(
        '主题/topic must name a class of the 主题分类 (such as 环境保护 or 科技), not "{value}".'
    ),
}
#: The search levels and the orders by the names the results page shows them with: an
#: error lists the choices so, never as the codes of the URL.
KIND_LABELS: dict[str, Label] = {
    DOCUMENT: Label(gettext_noop("Document")),
    SECTION: Label(gettext_noop("Section")),
    TASK: Label(gettext_noop("Key task")),
}
SORT_LABELS: dict[str, Label] = {
    "relevance": Label(gettext_noop("Relevance")),
    "date": Label(gettext_noop("Newest first")),
}
SORTS = tuple(SORT_LABELS)
#: The integer URL parameters by the name an error calls them.
PARAMETER_LABELS: dict[str, Label] = {
    "year": Label(gettext_noop("The year")),
    "deadline_year": Label(gettext_noop("The deadline year")),
    "page": Label(gettext_noop("The page number")),
    "per_page": Label(gettext_noop("The number of results per page")),
    "date_from": Label(gettext_noop("The first publication date")),
    "date_to": Label(gettext_noop("The last publication date")),
    "date": Label(gettext_noop("发布日期/date")),
}


class QueryError(ValueError):
    """A query the library cannot run: ``code`` (a key of :data:`QUERY_ERROR_TEXT`) says
    what is wrong, ``params`` with what. Stored and raised as code and parameters; the
    sentence is made at display, in the viewer's language (:meth:`describe`). ``str()``
    is the English sentence (logs, tests)."""

    def __init__(self, code: str, **params):
        if code not in QUERY_ERROR_TEXT:
            raise KeyError(f"unknown query error code {code!r}")
        self.code = code
        self.params = params
        super().__init__(self.describe())

    def describe(self, translate: Callable[[str], str] = lambda message: message) -> str:
        """The sentence for the person typing, through ``translate`` (Django's gettext)."""
        values = {}
        for name, value in self.params.items():
            if isinstance(value, Label):
                value = translate(value)
            elif isinstance(value, tuple):
                value = join_list(
                    (translate(item) if isinstance(item, Label) else item for item in value),
                    translate,
                )
            values[name] = value
        return translate(QUERY_ERROR_TEXT[self.code]).format(**values)


@dataclass(frozen=True)
class Word:
    """One search word or quoted phrase as typed."""

    text: str
    phrase: bool = False
    negated: bool = False
    #: Other ways of writing the same thing (query expansion, :func:`expand_query`): an
    #: entry matches the word when it matches the word or any of these.
    alternatives: tuple[str, ...] = ()
    #: Where the word must occur: "" anywhere, or one of :data:`SCOPES` (标题:, 正文:).
    scope: str = ""


@dataclass(frozen=True)
class ParsedQuery:
    words: tuple[Word, ...] = ()
    number: str = ""
    issuer: str = ""
    year: int | None = None
    doc_type: str = ""
    topic: str = ""
    unit: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


@dataclass(frozen=True)
class SearchQuery:
    """Everything a search needs: the typed text plus the facet filters the results page,
    the API and the CLI pass as parameters (``kind``, ``issuer``, ``year`` …)."""

    text: str = ""
    kind: str = ""
    number: str = ""
    issuer: str = ""
    year: int | None = None
    doc_type: str = ""
    #: A class of the 主题分类 as typed or passed: its code, name or a part of the name
    #: (``topic_codes`` is what it stands for).
    topic: str = ""
    validity: str = ""
    unit: str = ""
    deadline_year: int | None = None
    #: Published on or after / on or before (the advanced search's 发布日期 range).
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    #: Words that must be in the title or heading / in the text (the advanced search's
    #: 标题 and 正文 boxes; the same as typing 标题:… or 正文:… in ``text``).
    title_words: str = ""
    body_words: str = ""
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    #: Only entries of these documents (subscriptions evaluate a saved search against just
    #: the newly ingested documents, issue 4 item 4); empty means every document.
    document_ids: tuple[int, ...] = ()

    def __post_init__(self):
        for text in (self.text, self.title_words, self.body_words):
            if len(text) > MAX_QUERY_LENGTH:
                raise QueryError("too_long", limit=MAX_QUERY_LENGTH)
        if self.kind and self.kind not in KINDS:
            raise QueryError("unknown_kind", choices=tuple(KIND_LABELS.values()))
        if self.sort not in SORTS:
            raise QueryError("unknown_sort", choices=tuple(SORT_LABELS.values()))
        if self.page < 1:
            raise QueryError("page_below_one")
        _check_range("page", self.page, 1, bounds.PAGE_MAX)
        _check_range("year", self.year, bounds.YEAR_MIN, bounds.YEAR_MAX)
        _check_range("deadline_year", self.deadline_year, bounds.YEAR_MIN, bounds.YEAR_MAX)
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            raise QueryError("per_page_out_of_range", limit=MAX_PER_PAGE)
        if self.number:
            object.__setattr__(self, "number", _checked_doc_number(self.number))
        topic_codes(self.topic)
        _check_date_range(self.date_from, self.date_to)
        object.__setattr__(self, "document_ids", tuple(int(i) for i in self.document_ids))

    def with_text_filters(self) -> tuple[SearchQuery, ParsedQuery]:
        """Parse ``text`` and merge its field filters into this query's own filters
        (a parameter wins over the same field typed in the text)."""
        parsed = parse_query(self.text)
        scoped = (
            *_scoped_words(self.title_words, "标题"),
            *_scoped_words(self.body_words, "正文"),
        )
        if scoped:
            parsed = replace(parsed, words=(*parsed.words, *scoped))
        merged = replace(
            self,
            number=self.number or parsed.number,
            issuer=self.issuer or parsed.issuer,
            year=self.year if self.year is not None else parsed.year,
            doc_type=self.doc_type or parsed.doc_type,
            topic=self.topic or parsed.topic,
            unit=self.unit or parsed.unit,
            date_from=self.date_from or (None if self.date_to else parsed.date_from),
            date_to=self.date_to or (None if self.date_from else parsed.date_to),
        )
        _check_date_range(merged.date_from, merged.date_to)
        return merged, parsed

    @property
    def topic_codes(self) -> tuple[str, ...]:
        """The 主题分类 codes ``topic`` names (any of them matches); empty: no topic filter."""
        return topic_codes(self.topic)


def topic_codes(typed: str) -> tuple[str, ...]:
    """The codes a typed topic stands for (``text.topics.resolve``); a name of no class is
    a :class:`QueryError` saying so."""
    if not typed.strip():
        return ()
    found = resolve_topic(typed)
    if not found:
        raise QueryError("unknown_topic", value=typed)
    return found


def _check_range(name: str, value: int | None, minimum: int, maximum: int) -> None:
    """Refuse a number no entry can have before it reaches SQL, where a number beyond 64
    bits fails the query instead (issue 9, point 6)."""
    if value is not None and not minimum <= value <= maximum:
        raise QueryError(
            "out_of_range", parameter=PARAMETER_LABELS[name], minimum=minimum, maximum=maximum
        )


def _check_date_range(first: datetime.date | None, last: datetime.date | None) -> None:
    if first is not None and last is not None and first > last:
        raise QueryError("dates_reversed")


def parse_date(text: str, parameter: str) -> datetime.date:
    """A day as typed: 2023-06-30 (also 2023/6/30, 2023.6.30 or 2023年6月30日)."""
    found = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text.strip())
    try:
        if found is None:
            raise ValueError(text)
        return datetime.date(*(int(part) for part in found.groups()))
    except ValueError:
        raise QueryError("not_a_date", parameter=PARAMETER_LABELS[parameter], value=text) from None


def _date_range(text: str) -> tuple[datetime.date | None, datetime.date | None]:
    """``2023-01-01..2023-06-30``, ``2023-01-01..`` or ``..2023-06-30`` (also with ``~`` or
    ``至``); one day alone is the range of that day."""
    parts = re.split(r"\.\.|~|～|至", text, maxsplit=1)
    if len(parts) == 1:
        day = parse_date(text, "date")
        return day, day
    first, last = (part.strip() for part in parts)
    if not first and not last:
        raise QueryError("not_a_date", parameter=PARAMETER_LABELS["date"], value=text)
    return (
        parse_date(first, "date") if first else None,
        parse_date(last, "date") if last else None,
    )


@dataclass(frozen=True)
class Hit:
    """One result at one of three levels (issue 4, item 4): a document, a section (linked by
    anchor: ``/documents/<id>/#<anchor>``) or a key task (with its number)."""

    kind: str
    score: float
    snippet: str
    document_id: int
    object_id: int
    title: str
    doc_number: str
    heading: str
    path: str
    anchor: str
    task_number: str
    published_on: datetime.date | None
    #: The matched strings, for marking them on the document page (``?hl=``).
    highlight: tuple[str, ...] = ()
    #: The first words of a task's text: with the document's short title and the task
    #: number, what the hit is called (issue 14: task hits carried their heading, the
    #: same for every task under it).
    first_words: str = ""

    @property
    def short_title(self) -> str:
        """The document's title as people cite it (``text.titles.short_title``)."""
        return short_title(self.title)

    @property
    def url(self) -> str:
        base = f"/documents/{self.document_id}/"
        return f"{base}#{self.anchor}" if self.kind != "document" and self.anchor else base

    @property
    def highlighted_url(self) -> str:
        """``url`` with ``?hl=<terms>``: the document page marks the terms (issue 4, item 4:
        a section hit opens at its paragraph with the matched words highlighted)."""
        if not self.highlight:
            return self.url
        base, _, anchor = self.url.partition("#")
        link = f"{base}?{urlencode({'hl': ' '.join(self.highlight)})}"
        return f"{link}#{anchor}" if anchor else link


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int


@dataclass(frozen=True)
class SearchResults:
    """The results contract shared by both backends, the web page, the API and the CLI."""

    total: int
    page: int
    per_page: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


# -- parsing -------------------------------------------------------------------------------


def parse_query(text: str) -> ParsedQuery:
    """Split the typed query into words, phrases, exclusions and field filters.

    Raises :class:`QueryError` with a message for the person typing when a filter value is
    malformed (a year that is not a year, a doc number that is not one, an unclosed quote).
    """
    words: list[Word] = []
    filters: dict[str, str] = {}
    for raw, quoted in _chunks(text):
        negated = raw.startswith(("-", "－")) and not quoted
        if quoted:
            negated = raw.startswith(("-", "－"))
            body = raw.lstrip("-－")
            if body.strip():
                words.append(Word(body.strip(), phrase=True, negated=negated))
            continue
        body = raw[1:] if negated else raw
        field_match = _FIELD.match(body)
        if field_match and field_match["name"].lower() in SCOPE_NAMES:
            words.append(_scoped_word(field_match["name"], field_match["value"], negated))
            continue
        if field_match and field_match["name"].lower() in FIELD_NAMES and not negated:
            name = FIELD_NAMES[field_match["name"].lower()]
            value = _unquoted(field_match["value"]).strip()
            if not value:
                raise QueryError("field_without_value", field=field_match["name"])
            filters[name] = value
            continue
        if body:
            words.append(Word(body, negated=negated))
    return _with_filters(tuple(words), filters)


def _scoped_word(name: str, value: str, negated: bool) -> Word:
    """``标题:word`` or ``标题:"a phrase"``: the word restricted to one part of the entry."""
    text = _unquoted(value).strip()
    if not text:
        raise QueryError("field_without_value", field=name)
    if is_single_cjk(text):
        raise QueryError("scoped_single_character", field=name)
    quoted = value.strip()[:1] in _QUOTES
    return Word(text, phrase=quoted, negated=negated, scope=SCOPE_NAMES[name.lower()])


def _scoped_words(text: str, name: str) -> list[Word]:
    """The words of an advanced-search box, each scoped as ``name:`` would scope it (a box
    takes several words, quoted phrases and ``-exclusions`` like the main query)."""
    words = []
    for raw, quoted in _chunks(text):
        negated = raw.startswith(("-", "－"))
        body = raw.lstrip("-－") if negated else raw
        if quoted:
            body = f'"{body}"'
        if body.strip('"').strip():
            words.append(_scoped_word(name, body, negated))
    return words


def _with_filters(words: tuple[Word, ...], filters: dict[str, str]) -> ParsedQuery:
    year = None
    if "year" in filters:
        if not re.fullmatch(r"\d{4}", filters["year"]):
            raise QueryError("year_not_four_digits", value=filters["year"])
        year = int(filters["year"])
    number = _checked_doc_number(filters["number"]) if "number" in filters else ""
    topic_codes(filters.get("topic", ""))
    date_from, date_to = _date_range(filters["date"]) if "date" in filters else (None, None)
    _check_date_range(date_from, date_to)
    return ParsedQuery(
        words=words,
        number=number,
        issuer=filters.get("issuer", ""),
        year=year,
        doc_type=filters.get("doc_type", ""),
        topic=filters.get("topic", ""),
        unit=filters.get("unit", ""),
        date_from=date_from,
        date_to=date_to,
    )


def _checked_doc_number(text: str) -> str:
    normalised = normalize_doc_number(text)
    if normalised is None:
        raise QueryError("not_a_doc_number", value=text)
    return normalised


def _chunks(text: str) -> Iterable[tuple[str, bool]]:
    """Whitespace-separated chunks; a quote opens a phrase that may contain spaces. A field
    value may itself be quoted (单位:"自治区 财政厅")."""
    position = 0
    length = len(text)
    while position < length:
        while position < length and _SPACE.match(text[position]):
            position += 1
        if position >= length:
            break
        start = position
        prefix = ""
        if text[position] in "-－" and position + 1 < length and text[position + 1] in _QUOTES:
            prefix = text[position]
            position += 1
        if text[position] in _QUOTES:
            closing = _QUOTES[text[position]]
            end = _closing_quote(text, position + 1, closing)
            yield prefix + text[position + 1 : end], True
            position = end + 1
            continue
        while position < length and not _SPACE.match(text[position]):
            if text[position] in _QUOTES and position > start:
                closing = _QUOTES[text[position]]
                position = _closing_quote(text, position + 1, closing) + 1
                continue
            position += 1
        yield text[start:position], False


def _closing_quote(text: str, start: int, closing: str) -> int:
    candidates = [i for i in (text.find(closing, start), text.find('"', start)) if i >= 0]
    if not candidates:
        raise QueryError("quote_not_closed")
    return min(candidates)


def _unquoted(value: str) -> str:
    if len(value) >= 2 and value[0] in _QUOTES and value[-1] in _QUOTES.values():
        return value[1:-1]
    return value


# -- segmenting into a match plan ---------------------------------------------------------


@dataclass(frozen=True)
class TokenGroup:
    """Tokens that must all occur (``phrase``: adjacent and in order) in one entry.

    ``term`` is set when the word is a domain term (一网通办, 自治区财政厅): the backends
    then also look for it as one token in the ``terms`` column, which ranks entries that use
    the term as such above ones that merely contain its parts.
    """

    tokens: tuple[str, ...]
    phrase: bool = False
    term: str = ""
    #: Groups any of which matches in this group's place (the word's expansions).
    alternatives: tuple[TokenGroup, ...] = ()
    #: "" anywhere, or the one part of the entry the tokens must be in (``Word.scope``):
    #: a scoped group does not match through the domain-terms column, which has no parts.
    scope: str = ""


@dataclass(frozen=True)
class MatchPlan:
    """What to match, backend-neutral: full-text groups plus substring words.

    ``substrings`` are one-character words (税, 水): single characters are not index terms,
    so a query that *is* one character is matched as a substring of the text instead.
    Beside longer words a one-character word is dropped; an excluded one still excludes.
    """

    groups: tuple[TokenGroup, ...] = ()
    excluded: tuple[TokenGroup, ...] = ()
    substrings: tuple[str, ...] = ()
    excluded_substrings: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.groups or self.excluded or self.substrings or self.excluded_substrings)

    def highlight_terms(self) -> list[str]:
        """Strings to mark in snippets: the positive tokens and substrings, longest first."""
        groups = [*self.groups, *(alt for group in self.groups for alt in group.alternatives)]
        terms = {token for group in groups for token in group.tokens}
        terms |= set(self.substrings)
        return sorted(terms, key=lambda term: (-len(term), term))


def match_plan(parsed: ParsedQuery, segmenter: Segmenter) -> MatchPlan:
    """Segment each word the way the index was segmented (issue 4, item 1)."""
    groups: list[TokenGroup] = []
    excluded: list[TokenGroup] = []
    substrings: list[str] = []
    excluded_substrings: list[str] = []
    for word in parsed.words:
        tokens = tuple(segmenter.tokens(word.text))
        if not tokens:
            if is_single_cjk(word.text.strip()):
                (excluded_substrings if word.negated else substrings).append(word.text.strip())
            continue
        term = "" if word.scope else segmenter.as_term(word.text)
        alternatives = tuple(
            alternative
            for alternative in (
                _alternative(text, segmenter, word.scope) for text in word.alternatives
            )
            if alternative is not None and alternative.tokens != tokens
        )
        group = TokenGroup(
            tokens,
            phrase=word.phrase and len(tokens) > 1,
            term=term,
            alternatives=tuple(dict.fromkeys(alternatives)),
            scope=word.scope,
        )
        (excluded if word.negated else groups).append(group)
    if groups:
        # One-character words count only when the query has nothing longer (issue 4,
        # item 1): in "数据 的" the 的 would otherwise match nearly every entry.
        substrings = []
    return MatchPlan(tuple(groups), tuple(excluded), tuple(substrings), tuple(excluded_substrings))


def _alternative(text: str, segmenter: Segmenter, scope: str) -> TokenGroup | None:
    tokens = tuple(segmenter.tokens(text))
    if not tokens:
        return None
    term = "" if scope else segmenter.as_term(text)
    return TokenGroup(tokens, phrase=len(tokens) > 1, term=term, scope=scope)


# -- query expansion (issue 13, point 6) ---------------------------------------------------


def expand_query(parsed: ParsedQuery, expansions: Mapping[str, tuple[str, ...]]) -> ParsedQuery:
    """The query with each word's other spellings attached (``Word.alternatives``): the
    synonyms and abbreviations of the dictionary (``search/data/synonyms.json``: 发改委 →
    发展改革委), the names and aliases of a unit from the orgs registry (林草局 →
    宁夏回族自治区林业和草原局) and the written forms of a document number (宁政发[2023]10号
    → 宁政发〔2023〕10号). ``expansions`` maps a word to its equivalents (see
    :func:`expansion_table`). Every backend and the subscription matcher receive the query
    after this step, so they all find the same entries."""
    words = []
    for word in parsed.words:
        found = list(expansions.get(word.text, ()))
        number = normalize_doc_number(word.text) if _LOOKS_NUMBERED.search(word.text) else None
        if number and number != word.text:
            found.append(number)
        found = [text for text in dict.fromkeys(found) if text != word.text]
        words.append(replace(word, alternatives=tuple(found)) if found else word)
    return replace(parsed, words=tuple(words))


_LOOKS_NUMBERED = re.compile(r"\d{4}.*\d+\s*号")


def expansion_table(groups: Iterable[Iterable[str]]) -> dict[str, tuple[str, ...]]:
    """Word → its equivalents, from groups of equivalent spellings (each spelling of a group
    expands to the others; a word in several groups gets all their members)."""
    table: dict[str, list[str]] = {}
    for group in groups:
        members = list(dict.fromkeys(text.strip() for text in group if text.strip()))
        for member in members:
            table.setdefault(member, [])
            table[member] += [other for other in members if other != member]
    return {word: tuple(dict.fromkeys(others)) for word, others in table.items() if others}


#: URL parameters of the results page and the API, each with the SearchQuery field it sets.
PARAMETERS: dict[str, str] = {
    "q": "text",
    "kind": "kind",
    "number": "number",
    "issuer": "issuer",
    "year": "year",
    "type": "doc_type",
    "topic": "topic",
    "validity": "validity",
    "unit": "unit",
    "deadline_year": "deadline_year",
    "date_from": "date_from",
    "date_to": "date_to",
    "title": "title_words",
    "body": "body_words",
    "sort": "sort",
    "page": "page",
    "per_page": "per_page",
}
_INTEGER_FIELDS = {"year", "deadline_year", "page", "per_page"}
_DATE_FIELDS = {"date_from", "date_to"}


def query_from_params(params) -> SearchQuery:
    """A SearchQuery from URL parameters (web page, API): empty values are absent, numbers
    must be numbers; raises QueryError naming the parameter otherwise."""
    values: dict = {}
    for name, field_name in PARAMETERS.items():
        raw = (params.get(name) or "").strip()
        if not raw:
            continue
        if field_name in _INTEGER_FIELDS:
            if not raw.isdigit():
                raise QueryError("not_a_whole_number", parameter=PARAMETER_LABELS[name], value=raw)
            values[field_name] = int(raw)
        elif field_name in _DATE_FIELDS:
            values[field_name] = parse_date(raw, name)
        else:
            values[field_name] = raw
    return SearchQuery(**values)
