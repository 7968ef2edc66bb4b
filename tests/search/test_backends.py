"""The shared backend SQL: facet counts out of one grouped pass, loose names resolved to
exact facet values, and the SQLite covering index the matched set joins (performance
work of issue 4, bench/search_bench.py). Runs on SQLite and PostgreSQL."""

import pytest
from django.db import connection

from shuzheng.search import services
from shuzheng.search.backends import (
    COLUMN_FACETS,
    LISTED_FACETS,
    backend_for,
    distinct_facet_values,
)
from shuzheng.search.models import SearchFacet
from shuzheng.search.query import SearchQuery, match_plan

pytestmark = pytest.mark.django_db

FILTER_PARAMS = {"year": "year", "doc_type": "doc_type", "validity": "validity"}


def test_each_column_facet_count_is_the_total_of_filtering_by_it(indexed, run_search):
    results = run_search("数据")
    for facet, param in FILTER_PARAMS.items():
        assert results.facets[facet], facet
        for item in results.facets[facet]:
            value = int(item.value) if facet == "year" else item.value
            assert run_search("数据", **{param: value}).total == item.count, (facet, item)
    for item in results.facets["kind"]:
        assert run_search("数据", kind=item.value).total == item.count


def test_each_listed_facet_count_is_the_total_of_filtering_by_it(indexed, run_search):
    results = run_search("数据", kind="task")
    for item in results.facets["deadline_year"]:
        assert run_search("数据", deadline_year=int(item.value)).total == item.count
    # Unit and issuer filters resolve names loosely (a short name finds the full one), so
    # filtering by a value finds at least the entries counted under it.
    for facet, param in (("unit", "unit"), ("issuer", "issuer")):
        assert results.facets[facet], facet
        for item in results.facets[facet]:
            assert run_search("数据", kind="task", **{param: item.value}).total >= item.count


def test_total_is_the_selected_kinds_share_of_the_grouped_counts(indexed, run_search):
    everything = run_search("数据")
    kinds = {item.value: item.count for item in everything.facets["kind"]}
    assert everything.total == sum(kinds.values())
    for kind, count in kinds.items():
        only = run_search("数据", kind=kind)
        assert only.total == count
        assert sum(item.count for item in only.facets["year"]) == count


def test_no_match_has_empty_facets_and_no_hits(indexed, run_search):
    results = run_search("量子纠缠")
    assert results.total == 0 and results.hits == []
    assert all(results.facets[facet] == [] for facet in (*COLUMN_FACETS, *LISTED_FACETS))


def test_distinct_facet_values_lists_each_value_once(indexed):
    stored = set(SearchFacet.objects.filter(facet="issuer").values_list("value", flat=True))
    with connection.cursor() as cursor:
        found = distinct_facet_values(cursor, "issuer")
    assert sorted(found) == sorted(stored) and len(found) == len(stored)


def test_a_loose_issuer_name_becomes_the_exact_values_containing_it(indexed):
    backend = backend_for(connection.vendor)
    query, _ = SearchQuery(text="机关:政府办公厅").with_text_filters()
    filters = services._filters(query, public_only=True)
    with connection.cursor() as cursor:
        resolved = backend.resolve_loose_names(cursor, filters)
    assert resolved.issuer_like == ""
    assert "宁夏回族自治区人民政府办公厅" in resolved.issuer_names
    with pytest.raises(ValueError, match="resolved first"):
        backend.matched_sql(match_plan(query.with_text_filters()[1], services.segmenter()), filters)


def test_a_loose_name_matching_nothing_finds_nothing(indexed, run_search):
    assert run_search("数据 机关:不存在的机关").total == 0


def test_only_multi_valued_facets_are_stored_as_rows(indexed):
    stored = set(SearchFacet.objects.values_list("facet", flat=True).distinct())
    assert stored <= {*LISTED_FACETS, "issuer_code", "unit_code"}
    assert not stored & set(COLUMN_FACETS)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite query plan")
def test_sqlite_joins_the_matched_set_through_the_covering_index(indexed):
    backend = backend_for("sqlite")
    query, parsed = SearchQuery(text="数据 年份:2023").with_text_filters()
    plan = match_plan(parsed, services.segmenter())
    matched, params = backend.matched_sql(plan, services._filters(query, public_only=True))
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {matched}", params)
        details = " | ".join(row[-1] for row in cursor.fetchall())
    assert "COVERING INDEX search_entry_filter" in details


@pytest.mark.parametrize("sort", ["relevance", "date"])
@pytest.mark.parametrize("kind", ["", "section"])
def test_the_one_statement_search_pages_as_the_ranked_query_does(indexed, sort, kind):
    """Backend.search reads total, page and facets from one statement and re-sorts the
    page in Python; every page must be the ranked query's page, in its order."""
    backend = backend_for(connection.vendor)
    query, parsed = SearchQuery(text="数据", kind=kind).with_text_filters()
    plan = match_plan(parsed, services.segmenter())
    filters = services._filters(query, public_only=False)
    with connection.cursor() as cursor:
        total, _, _ = backend.search(cursor, plan, filters, sort=sort, page=1, per_page=100)
        for page in (1, 2, 3):
            _, rows, _ = backend.search(cursor, plan, filters, sort=sort, page=page, per_page=7)
            expected = backend.page_rows(cursor, plan, filters, sort=sort, page=page, per_page=7)
            assert [(r.kind, r.object_id) for r in rows] == [
                (r.kind, r.object_id) for r in expected
            ]
    assert total > 21


def test_counts_stay_exact_for_a_type_and_validity_indexed_after_a_search(indexed, run_search):
    """The statement counts the document types and validities it knows of; a value
    indexed later (here without the process being told, as by another process) must be
    counted exactly, not dropped."""
    from dataclasses import replace as replace_item

    from shuzheng.search.backends import sql

    before = run_search("数据")
    assert sql._domains is not None
    assert "办法" not in sql._domains.doc_types
    new_sections = [
        replace_item(item, document_id=99, object_id=900 + n, doc_type="办法", validity="试行")
        for n, item in enumerate(i for i in indexed if i.kind == "section" and "数据" in i.body)
    ][:3]
    # Written behind the search's back: the process-wide domains are not reset.
    cached = sql._domains
    services.replace_document_entries(99, new_sections)
    assert sql._domains is cached
    after = run_search("数据")
    facets = {facet: {v.value: v.count for v in after.facets[facet]} for facet in after.facets}
    assert after.total == before.total + 3
    assert facets["doc_type"]["办法"] == 3 == run_search("数据", doc_type="办法").total
    assert facets["validity"]["试行"] == 3 == run_search("数据", validity="试行").total
    assert sum(facets["doc_type"].values()) == after.total
    only_sections = run_search("数据", kind="section").facets["doc_type"]
    assert {v.value: v.count for v in only_sections}["办法"] == 3
    assert "办法" not in {v.value for v in run_search("数据", kind="task").facets["doc_type"]}


@pytest.mark.parametrize(
    ("title", "body", "found"),
    [("zqxa", "zqxb", False), ("", "zqxa zqxb", True), ("zqxa zqxb", "", True)],
)
def test_a_phrase_matches_within_a_column_never_across_two(indexed, title, body, found):
    """The heading's last word and the text's first are not a phrase: FTS5 matches a phrase
    per column, and PostgreSQL's tsvector keeps a gap between them (search migration 0006),
    as the engine's fields do (issue 13, item 4: hit counts equal to the engine's)."""
    from shuzheng.search.models import SearchEntry
    from shuzheng.search.query import MatchPlan, TokenGroup

    entry = SearchEntry.objects.order_by("pk").first()
    SearchEntry.objects.filter(pk=entry.pk).update(
        title_tokens=title, body_tokens=body, terms_tokens=""
    )
    plan = MatchPlan(groups=(TokenGroup(tokens=("zqxa", "zqxb"), phrase=True),))
    filters = services._filters(SearchQuery(), public_only=False)
    with connection.cursor() as cursor:
        total, _, _ = backend_for(connection.vendor).search(
            cursor, plan, filters, sort="relevance", page=1, per_page=10
        )
    assert total == int(found)
