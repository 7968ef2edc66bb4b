"""The search services on the database in use: run on SQLite and on PostgreSQL
(SHUZHENG_DATABASE_URL) — both backends must keep the same contract (issue 4, item 3)."""

import dataclasses

import pytest

from shuzheng.audit.models import AuditEvent
from shuzheng.orgs.services import load_sample_registry
from shuzheng.search import services
from shuzheng.search.items import IndexItem
from shuzheng.search.models import SearchEntry, SearchTerm
from shuzheng.search.query import QueryError, SearchQuery
from tests.search.sample_items import DIGITAL_GOVERNMENT, ECO_COMPENSATION

pytestmark = pytest.mark.django_db


def task_numbers(results):
    return [hit.task_number for hit in results.hits if hit.kind == "task"]


def facet(results, name):
    return {item.value: item.count for item in results.facets[name]}


def test_a_word_finds_sections_and_tasks_with_snippets(indexed, run_search):
    results = run_search("一网通办", per_page=50)
    kinds = {hit.kind for hit in results.hits}
    assert {"section", "task"} <= kinds
    assert "89" in task_numbers(results)
    assert all(
        "<mark>一网通办</mark>" in hit.snippet for hit in results.hits if hit.kind != "document"
    )


def test_all_words_must_match(indexed, run_search):
    both = run_search("数据 共享", per_page=100)
    only_data = run_search("数据", per_page=100)
    assert 0 < both.total < only_data.total
    for hit in both.hits:
        entry = SearchEntry.objects.get(kind=hit.kind, object_id=hit.object_id)
        assert "数据" in entry.body and "共享" in entry.body


def test_phrase_needs_adjacent_words(indexed, run_search):
    loose = run_search("数据 共享", per_page=100)
    phrase = run_search("“数据共享”", per_page=100)
    assert 0 < phrase.total < loose.total
    for hit in phrase.hits:
        entry = SearchEntry.objects.get(kind=hit.kind, object_id=hit.object_id)
        assert "数据共享" in entry.body


def test_exclusion_removes_matches(indexed, run_search):
    with_term = run_search("数据", per_page=100)
    without = run_search("数据 -共享", per_page=100)
    assert without.total == with_term.total - run_search("数据 共享").total
    only_exclusion = run_search("-数据")
    assert only_exclusion.total == SearchEntry.objects.count() - with_term.total


def test_single_characters_do_not_flood_but_a_one_character_query_works(indexed, run_search):
    # 省 as a one-character query is matched as a substring of the text.
    results = run_search("税", per_page=100)
    assert results.total > 0
    assert all(
        "税" in SearchEntry.objects.get(kind=h.kind, object_id=h.object_id).body
        for h in results.hits
    )
    # 数字政府 does not match texts that merely contain 数 and 字 apart.
    assert run_search("字数").total == 0


def test_doc_number_as_plain_words_finds_the_document_first(indexed, run_search):
    for typed in ("宁政发〔2023〕17号", "宁政发[2023]17号", "宁政发［2023］17号"):
        results = run_search(typed)
        assert results.hits[0].kind == "document"
        assert results.hits[0].document_id == DIGITAL_GOVERNMENT


def test_number_filter_accepts_any_bracket_and_restricts_to_the_document(indexed, run_search):
    results = run_search("补偿 文号:宁党办[2023]32号", per_page=100)
    assert results.total > 0
    assert {hit.document_id for hit in results.hits} == {ECO_COMPENSATION}
    assert run_search("补偿 文号:宁政发〔2023〕17号").total == 0


def test_issuer_filter_resolves_aliases_and_short_names(indexed, run_search):
    results = run_search("补偿 机关:政府办公厅", per_page=100)
    assert {hit.document_id for hit in results.hits} == {ECO_COMPENSATION}
    by_param = run_search("补偿", issuer="宁夏回族自治区人民政府办公厅")
    assert by_param.total == results.total


def test_unit_filter_finds_tasks_of_a_responsible_unit(indexed, run_search):
    results = run_search("单位:财政厅", per_page=100)
    assert set(task_numbers(results)) >= {"25", "55", "110"}
    assert {hit.kind for hit in results.hits} == {"task"}
    assert facet(results, "unit")["自治区财政厅"] == results.total


def test_year_type_and_kind_filters(indexed, run_search):
    assert run_search("数据 年份:2023").total == run_search("数据").total
    assert run_search("数据 年份:2022").total == 0
    notices = run_search("补偿 类型:通知", per_page=100)
    assert {hit.document_id for hit in notices.hits} == {ECO_COMPENSATION}
    tasks = run_search("数据", kind="task", per_page=100)
    assert {hit.kind for hit in tasks.hits} == {"task"}


def test_facets_count_the_matched_set(indexed, run_search):
    results = run_search("数据", per_page=5)
    kinds = facet(results, "kind")
    assert sum(kinds.values()) == results.total
    assert facet(results, "year") == {"2023": results.total}
    assert sum(facet(results, "doc_type").values()) == results.total
    # The kind facet keeps counting every level while a kind filter is on.
    filtered = run_search("数据", kind="task")
    assert facet(filtered, "kind") == kinds
    assert filtered.total == kinds["task"]
    deadline = facet(filtered, "deadline_year")
    assert run_search("数据", kind="task", deadline_year=2024).total == deadline["2024"]


def test_pagination_and_date_sort(indexed, run_search):
    first = run_search("数据", per_page=10)
    second = run_search("数据", per_page=10, page=2)
    assert first.pages == -(-first.total // 10)
    assert not {(h.kind, h.object_id) for h in first.hits} & {
        (h.kind, h.object_id) for h in second.hits
    }
    by_date = run_search("数据", sort="date", per_page=100)
    assert by_date.total == first.total


def test_filters_alone_without_words(indexed, run_search):
    results = run_search("年份:2023", kind="document")
    assert results.total == 2


def test_bad_input_gets_a_clear_error(indexed, run_search):
    with pytest.raises(QueryError, match="year"):
        run_search("年份:去年")
    with pytest.raises(QueryError, match="宁政发"):
        run_search("文号:第十七号")
    with pytest.raises(QueryError, match="kind"):
        SearchQuery(kind="chapter")


def test_non_public_entries_only_for_government_roles(indexed, run_search, matrix_world):
    item = IndexItem(
        kind="document",
        object_id=9,
        document_id=9,
        title="内部工作方案",
        body="保密测试方案",
        is_public=False,
    )
    services.replace_document_entries(9, [item])
    assert run_search("保密测试").total == 0
    assert run_search("保密测试", user=matrix_world.users["citizen"]).total == 0
    assert run_search("保密测试", user=matrix_world.users["unit_staff"]).total == 1
    assert run_search("保密测试", user=matrix_world.users["supervisor"]).total == 1


def test_replace_document_entries_replaces_and_is_audited(indexed, run_search):
    before = run_search("湿地").total
    assert before > 0
    new_version = [
        IndexItem(
            kind="document",
            object_id=ECO_COMPENSATION,
            document_id=ECO_COMPENSATION,
            title="生态保护补偿（修订）",
            body="修订后的“绿水青山”补偿办法",
        )
    ]
    assert services.replace_document_entries(ECO_COMPENSATION, new_version) == 1
    assert run_search("湿地").total == 0
    assert run_search("绿水青山").total == 1
    assert SearchTerm.objects.filter(term="绿水青山", source="quoted").exists()
    event = AuditEvent.objects.filter(action="search.replace_document_entries").latest("id")
    assert event.object_id == str(ECO_COMPENSATION) and event.after == {"entries": 1}


def test_replace_refuses_items_of_another_document(indexed):
    count = SearchEntry.objects.count()
    stranger = dataclasses.replace(
        IndexItem(kind="section", object_id=1, document_id=7, title="x", body="y")
    )
    with pytest.raises(ValueError, match="document"):
        services.replace_document_entries(8, [stranger])
    assert SearchEntry.objects.count() == count


def test_delete_document_entries(indexed, run_search):
    removed = services.delete_document_entries(ECO_COMPENSATION)
    assert removed > 0
    assert run_search("湿地").total == 0
    assert services.delete_document_entries(ECO_COMPENSATION) == 0
    assert AuditEvent.objects.filter(action="search.delete_document_entries").count() == 1


def test_quoted_terms_enter_the_dictionary_and_match_as_terms(indexed, run_search):
    assert SearchTerm.objects.filter(term="免申即享").exists()
    results = run_search("免申即享")
    assert results.total >= 1
    assert all(
        "免申即享" in hit.snippet.replace("<mark>", "").replace("</mark>", "")
        for hit in results.hits
        if hit.kind != "document"
    )


def test_unit_filter_resolves_registry_aliases_through_the_orgs_resolver(indexed, run_search):
    """An alias found in no indexed text (自治区发改委) finds the unit's tasks once the
    registry names it: search reads unit names through orgs' one resolver, never from a
    file of its own."""
    assert run_search("单位:自治区发改委").total == 0
    load_sample_registry()
    by_alias = run_search("单位:自治区发改委", per_page=100)
    assert by_alias.total > 0
    assert by_alias.total == run_search("单位:自治区发展改革委", per_page=100).total
