"""The portal's dataset search through the one search interface (issue 11, item 5): what is
indexed (core data never, the public rule decides what anonymous visitors find), facets,
filters, sorts and paging, and the index kept in step by the catalog's services."""

import pytest

from shuzheng.audit.models import AuditEvent
from shuzheng.catalog import services
from shuzheng.catalog.models import DataResource
from shuzheng.catalog.portal_selectors import SearchArgumentError, search_datasets
from shuzheng.search import services as search
from shuzheng.search import sources
from shuzheng.search.items import DATASET, dataset_group
from shuzheng.search.models import SearchEntry
from shuzheng.search.query import QueryError, SearchQuery

pytestmark = pytest.mark.django_db


def run(text="", *, user=None, include_private=False, **options):
    arguments = {
        "filters": {},
        "sort": "relevance",
        "offset": 0,
        "limit": 50,
        "facet_fields": [],
    } | options
    return search_datasets(text, include_private=include_private, user=user, **arguments)


def titles(results):
    names = dict(DataResource.objects.values_list("pk", "title"))
    return [names[pk] for pk in results.hits]


def test_only_public_entries_are_found_by_the_public(sample_catalog):
    public = set(DataResource.objects.open_to_public().values_list("pk", flat=True))
    found = run()
    assert found.total == len(public) == 10
    assert set(found.hits) == public


def test_core_data_is_never_indexed_not_even_for_the_office(sample_catalog, office):
    core = DataResource.objects.get(grade="core")
    assert core.state == "published"
    assert not SearchEntry.objects.filter(document_id=dataset_group(core.pk)).exists()
    assert core.title not in titles(run(core.title, user=office, include_private=True))
    sources.reindex()
    assert not SearchEntry.objects.filter(document_id=dataset_group(core.pk)).exists()


def test_the_office_finds_published_entries_that_are_not_open(sample_catalog, office):
    found = run(user=office, include_private=True, facet_fields=["grade", "open_type"])
    assert found.total == 12
    assert dict((v.value, v.count) for v in found.facets["grade"]) == {
        "general": 10,
        "important": 2,
    }
    # Without asking, or without the right, only the public entries.
    assert run(user=office).total == 10
    assert run(user=None, include_private=True).total == 10


def test_staff_without_the_office_right_do_not_see_private_entries(sample_catalog, provider_staff):
    assert run(user=provider_staff, include_private=True).total == 10


def test_words_find_datasets_by_title_summary_and_items(sample_catalog):
    assert titles(run("旅游景区"))[0] == "宁夏A级旅游景区名录"
    assert "银川市环境空气质量日报" in titles(run("空气质量"))
    assert run("不存在的词语组合甲乙丙").total == 0


def test_facets_count_every_hit_and_filters_narrow(sample_catalog):
    found = run(facet_fields=["provider", "format", "open_type", "frequency", "domain"])
    open_types = {v.value: v.count for v in found.facets["open_type"]}
    assert open_types == {"unconditional": 8, "conditional": 2}
    assert {v.value: v.count for v in found.facets["format"]}["CSV"] == 6
    assert sum(v.count for v in found.facets["provider"]) == 10
    narrowed = run(filters={"open_type": "conditional"}, facet_fields=["provider"])
    assert narrowed.total == 2
    assert {v.value for v in narrowed.facets["provider"]} == {
        "宁夏回族自治区农业农村厅",
        "宁夏回族自治区市场监督管理厅",
    }
    either = run(filters={"frequency": ["daily", "weekly"]})
    assert either.total == 3
    both = run(filters={"frequency": ["daily", "weekly"], "format": "CSV"})
    assert titles(both) == ["银川市环境空气质量日报"]


def test_paging_and_sorting(sample_catalog):
    by_name = run(sort="name")
    names = dict(DataResource.objects.values_list("pk", "name"))
    assert [names[pk] for pk in by_name.hits] == sorted(names[pk] for pk in by_name.hits)
    page = run(sort="name", offset=3, limit=4)
    assert page.hits == by_name.hits[3:7]
    assert page.total == 10
    assert run(limit=0).hits == []
    assert run(limit=0).total == 10
    for day, pk in enumerate(by_name.hits, start=1):
        DataResource.objects.filter(pk=pk).update(modified_at=f"2030-01-{day:02}T08:00Z")
    sources.reindex()
    assert run(sort="modified").hits == by_name.hits[::-1]


def test_a_new_distribution_of_a_published_entry_is_indexed(sample_catalog):
    resource = DataResource.objects.get(title="银川市公交线路及站点")
    assert resource.pk not in run(filters={"format": "API"}).hits
    services.add_distribution(
        actor=None,
        resource=resource,
        data=services.DistributionInput(
            title="公交接口", kind="link", url="https://example.org/bus", format="api"
        ),
    )
    assert run(filters={"format": "API"}).hits == [resource.pk]


def test_bad_arguments_are_refused(sample_catalog):
    with pytest.raises(SearchArgumentError):
        run(filters={"color": "red"})
    with pytest.raises(SearchArgumentError):
        run(facet_fields=["color"])
    with pytest.raises(SearchArgumentError):
        run(sort="random")
    with pytest.raises(QueryError):
        run("字" * 1000)


def test_datasets_and_the_policy_library_are_searched_apart(sample_catalog):
    assert search.search(SearchQuery(text="旅游景区")).total == 0
    assert SearchEntry.objects.filter(kind=DATASET).count() == 12


def test_withdrawing_and_editing_take_an_entry_out_and_publishing_puts_it_back(
    sample_catalog, office
):
    resource = DataResource.objects.get(title="宁夏A级旅游景区名录")
    assert resource.pk in run("旅游景区").hits
    services.withdraw(actor=office, resource=resource, reason="数据更新中。")
    assert resource.pk not in run("旅游景区").hits
    assert AuditEvent.objects.filter(action="search.delete_document_entries").exists()
    resource = services.submit(actor=None, resource=resource)
    services.publish(actor=office, resource=resource)
    assert resource.pk in run("旅游景区").hits


def test_an_open_entry_made_not_open_leaves_the_public_search(sample_catalog, office):
    resource = DataResource.objects.get(title="宁夏水资源公报数据")
    data = services.ResourceInput(
        title=resource.title,
        category=resource.category,
        provider=resource.provider,
        summary=resource.summary,
        share_type=resource.share_type,
        open_type="none",
        update_frequency=resource.update_frequency,
        fields=[
            services.FieldInput(name=f.name, data_type=f.data_type, column=f.column)
            for f in resource.fields.all()
        ],
    )
    resource = services.update_resource(actor=None, resource=resource, data=data)
    assert resource.pk not in run(user=office, include_private=True).hits
    resource = services.publish(
        actor=office, resource=services.submit(actor=None, resource=resource)
    )
    assert resource.pk not in run().hits
    assert resource.pk in run(user=office, include_private=True).hits


def test_reindex_rebuilds_the_datasets_with_the_library(sample_catalog):
    before = run(facet_fields=["provider"])
    sources.reindex()
    after = run(facet_fields=["provider"])
    assert (after.total, set(after.hits), after.facets) == (
        before.total,
        set(before.hits),
        before.facets,
    )
    assert search.verify().ok


def test_an_index_directory_of_an_older_schema_is_emptied_and_filled_again(
    sample_catalog, settings, tmp_path
):
    import tantivy

    directory = tmp_path / "index"
    directory.mkdir()
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("entry_id", indexed=True, fast=True)
    tantivy.Index(builder.build(), path=str(directory))
    settings.SEARCH_INDEX_IN_MEMORY = False
    settings.SEARCH_INDEX_DIR = directory
    assert search.engine().num_docs() == 0
    search.apply_outbox()
    assert search.verify().ok
    assert run().total == 10
