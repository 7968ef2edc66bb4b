"""The in-memory matcher agrees with the search engine (issue 13, item 2).

Subscriptions test new entries against saved searches without the engine
(``search.matcher``); these tests run the engine (whatever backend the database has) and
the matcher over the same indexed items and compare what each finds.
"""

import json
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shuzheng.search import matcher, services
from shuzheng.search.query import MAX_PER_PAGE, QueryError, SearchQuery
from tests.search.sample_items import sample_items

LABELLED = Path(__file__).with_name("labelled_queries.json")

#: Words, phrases, exclusions, one-character words, domain terms, doc numbers and every
#: filter, alone and together.
QUERIES: list[dict] = [
    {"text": "数据共享"},
    {"text": "数字政府建设"},
    {"text": "“数据共享”"},
    {"text": "“共享数据”"},
    {"text": "数据 -共享"},
    {"text": "-数据"},
    {"text": "-“数字政府”"},
    {"text": "税"},
    {"text": "水 -湿地"},
    {"text": "数据 的"},
    {"text": "关于"},
    {"text": "一网通办"},
    {"text": "“免申即享”"},
    {"text": "宁政发〔2023〕17号"},
    {"text": "宁政发 2023n17"},
    {"text": "文号:宁党办[2023]32号"},
    {"text": "生态 机关:财政厅"},
    {"text": "机关:自治区人民政府"},
    {"text": "机关:办公厅"},
    {"text": "单位:自治区财政厅"},
    {"text": "单位:发展改革委 平台"},
    {"text": "单位:不存在的单位"},
    {"text": "年份:2023 湿地"},
    {"text": "年份:2022"},
    {"text": "类型:意见 数据"},
    {"text": "数据", "kind": "task"},
    {"text": "数据", "kind": "section"},
    {"text": "", "kind": "document"},
    {"text": "生态", "doc_type": "通知"},
    {"text": "平台", "deadline_year": 2025},
    {"text": "", "deadline_year": 2024},
    {"text": "补偿", "validity": "valid"},
    {"text": "政务 服务 平台 -云"},
    {"text": "IPv6"},
    # Expanded words (synonyms, abbreviations, unit aliases; search.query.expand_query).
    {"text": "发改委"},
    {"text": "财政厅 -发改委"},
    {"text": "网信办 数据"},
]


def _engine_keys(query: SearchQuery, user=None) -> set[tuple[str, int]]:
    keys: set[tuple[str, int]] = set()
    query = replace(query, per_page=MAX_PER_PAGE, page=1)
    while True:
        results = services.search(query, user=user)
        keys |= {(hit.kind, hit.object_id) for hit in results.hits}
        if query.page >= results.pages:
            return keys
        query = replace(query, page=query.page + 1)


def _matcher_keys(query: SearchQuery, entries, user=None) -> set[tuple[str, int]]:
    (compiled,) = services.compile_queries([(query, user)])
    if isinstance(compiled, QueryError):
        raise compiled
    found = matcher.matching(compiled.plan, compiled.filters, entries)
    # The inverted index finds the same entries, in the same order.
    assert matcher.MatchableSet(entries).find(compiled.plan, compiled.filters) == found
    return {(entry.item.kind, entry.item.object_id) for entry in found}


@pytest.fixture
def library(db):
    """The sample gazette indexed, one of its documents not public, and the same items
    made matchable."""
    items = [
        replace(item, is_public=False) if item.document_id == 2 else item for item in sample_items()
    ]
    services.rebuild(items)
    return services.matchable_items(items)


def _labelled() -> list[dict]:
    return [{"text": q["query"]} for q in json.loads(LABELLED.read_text())["queries"]]


def test_the_matcher_finds_what_the_engine_finds(library, matrix_world):
    # One library for the whole table (indexing it is the slow part).
    disagreements = []
    for params in QUERIES + _labelled():
        query = SearchQuery(**params)
        for user in (None, matrix_world.users["unit_staff"]):
            expected, found = _engine_keys(query, user), _matcher_keys(query, library, user)
            if found != expected:
                disagreements.append((params, user, sorted(found ^ expected)))
    assert disagreements == []


def test_the_table_is_not_trivial(library, matrix_world):
    # The comparison means something only if the queries find some entries and miss others.
    found = [_engine_keys(SearchQuery(**params)) for params in QUERIES]
    assert sum(1 for keys in found if keys) >= 25
    assert all(len(keys) < len(library) for keys in found)
    staff = matrix_world.users["unit_staff"]
    assert _engine_keys(SearchQuery(text="生态"), staff) > _engine_keys(SearchQuery(text="生态"))


def _vocabulary() -> list[str]:
    seg = services.segmenter()
    words = []
    for item in sample_items()[:80]:
        words += seg.tokens(item.body)[:6]
    return sorted(set(words))


_VOCABULARY = None


def _word():
    global _VOCABULARY
    if _VOCABULARY is None:
        _VOCABULARY = _vocabulary()
    return st.sampled_from(_VOCABULARY)


@st.composite
def _random_query(draw) -> dict:
    parts = []
    for _ in range(draw(st.integers(1, 3))):
        shape = draw(st.sampled_from(["word", "pair", "phrase", "negated", "single"]))
        first, second = draw(_word()), draw(_word())
        parts.append(
            {
                "word": first,
                "pair": first + second,
                "phrase": f"“{first}{second}”",
                "negated": f"-{first}",
                "single": first[:1],
            }[shape]
        )
    params = {"text": " ".join(parts)}
    params |= draw(
        st.sampled_from(
            [{}, {"kind": "task"}, {"kind": "section"}, {"year": 2023}, {"unit": "财政厅"}]
        )
    )
    return params


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_the_matcher_agrees_on_random_queries(library, data):
    params = data.draw(_random_query())
    query = SearchQuery(**params)
    assert _matcher_keys(query, library) == _engine_keys(query)
