"""``package_search`` through Django's test client (GET and POST): the search through the
portal's one search path, CKAN's answer shape, fq, sort, paging, facets, who sees what
with ``include_private``, and CKAN-shaped errors."""

import json

import pytest

from shuzheng.catalog.models import DataResource
from shuzheng.orgs.models import Unit
from shuzheng.search import sources
from tests.catalog_ckan.conftest import BASE, bearer
from tests.catalog_ckan.test_read import CORE, PUBLIC, error, ok

pytestmark = pytest.mark.usefixtures("sample_catalog")

URL = f"{BASE}/package_search"


def search(client, headers=None, **params):
    return ok(client.get(URL, params, headers=headers or {}))


def names(result):
    return [package["name"] for package in result["results"]]


def test_nothing_asked_is_every_public_dataset_most_recently_changed_first(client):
    DataResource.objects.filter(name="nx-schools").update(modified_at="2030-01-02T08:00Z")
    DataResource.objects.filter(name="yinchuan-bus-routes").update(modified_at="2030-01-01T08:00Z")
    sources.reindex()
    result = search(client, rows=100)
    assert set(result) == {"count", "results", "facets", "search_facets", "sort"}
    assert result["count"] == len(PUBLIC) and set(names(result)) == PUBLIC
    assert result["sort"] == "score desc, metadata_modified desc"
    assert names(result)[:2] == ["nx-schools", "yinchuan-bus-routes"]
    # The order is by the day changed (the index's date key).
    days = [package["metadata_modified"][:10] for package in result["results"]]
    assert days == sorted(days, reverse=True)
    assert all(package["private"] is False for package in result["results"])
    assert result["facets"] == {} and result["search_facets"] == {}
    # CKAN's default page is 10 rows; *:* is everything.
    assert len(search(client, q="*:*")["results"]) == 10


def test_a_result_is_the_package_show_dict(client):
    [package] = search(client, q="旅游景区", rows=1)["results"]
    assert package["name"] == "nx-a-level-scenic-spots"
    assert package == ok(client.get(f"{BASE}/package_show", {"id": package["name"]}))


def test_words_rank_and_paging_follows_the_order(client):
    found = search(client, q="空气质量")
    assert names(found)[0] == "yinchuan-air-quality-daily"
    everything = names(search(client, sort="name asc", rows=100))
    assert everything == sorted(everything)
    page = search(client, sort="name asc", rows=3, start=2)
    assert names(page) == everything[2:5] and page["count"] == len(PUBLIC)
    assert search(client, rows=0)["results"] == []
    assert search(client, start=500)["results"] == []
    assert search(client, q="不存在的词语组合甲乙丙")["count"] == 0


def test_fq_filters_by_organization_owner_org_format_and_choices(client):
    education = Unit.objects.get(code="nx-education")
    by_code = search(client, fq="organization:nx-education")
    assert names(by_code) == ["nx-schools"]
    assert names(search(client, fq=f"owner_org:{education.pk}")) == ["nx-schools"]
    assert names(search(client, fq=f'+owner_org:"{education.pk}" +dataset_type:dataset')) == [
        "nx-schools"
    ]
    conditional = search(client, fq="open_type:conditional", rows=100)
    expected = set(
        DataResource.objects.open_to_public()
        .filter(open_type="conditional")
        .values_list("name", flat=True)
    )
    assert set(names(conditional)) == expected and conditional["count"] == 2
    csv = search(client, fq="res_format:CSV", rows=100)
    assert csv["count"] == 6
    either = search(client, fq="update_frequency:(daily OR weekly)", rows=100)
    assert either["count"] == 3
    both = search(client, fq="update_frequency:(daily OR weekly) AND res_format:CSV")
    assert names(both) == ["yinchuan-air-quality-daily"]


def test_facets_count_every_hit_with_display_names(client):
    result = search(
        client,
        {"Accept-Language": "zh-hans"},
        **{
            "facet.field": json.dumps(["organization", "res_format", "open_type", "groups"]),
            "rows": 0,
        },
    )
    assert set(result["facets"]) == {"organization", "res_format", "open_type", "groups"}
    assert result["facets"]["open_type"] == {"unconditional": 8, "conditional": 2}
    assert sum(result["facets"]["organization"].values()) == len(PUBLIC)
    assert result["facets"]["res_format"]["CSV"] == 6
    kinds = result["search_facets"]["open_type"]
    assert kinds["title"] == "open_type"
    assert kinds["items"][0] == {
        "name": "unconditional",
        "display_name": "无条件开放",
        "count": 8,
    }
    units = {
        item["name"]: item["display_name"]
        for item in result["search_facets"]["organization"]["items"]
    }
    assert units["nx-education"] == "宁夏回族自治区教育厅"
    counts = [item["count"] for item in result["search_facets"]["organization"]["items"]]
    assert counts == sorted(counts, reverse=True)
    groups = result["search_facets"]["groups"]["items"]
    assert all(item["display_name"] != item["name"] for item in groups)
    limited = search(client, **{"facet.field": '["organization"]', "facet.limit": 2, "rows": 0})
    assert len(limited["facets"]["organization"]) == 2
    every = search(client, **{"facet.field": '["organization"]', "facet.limit": -1, "rows": 0})
    assert every["facets"]["organization"] == result["facets"]["organization"]
    # One name alone, and facet=false for none.
    assert set(search(client, **{"facet.field": "tags"})["facets"]) == {"tags"}
    assert search(client, **{"facet.field": '["tags"]', "facet": "false"})["facets"] == {}


def test_a_post_answers_as_a_get(client):
    params = {"q": "学校", "fq": "organization:nx-education", "facet.field": ["res_format"]}
    by_post = ok(client.post(URL, params, content_type="application/json"))
    by_get = ok(client.get(URL, {**params, "facet.field": json.dumps(params["facet.field"])}))
    assert by_post == by_get and names(by_post) == ["nx-schools"]
    # A form POST, and facet.field repeated as requests sends a list in a GET.
    by_form = ok(client.post(URL, {"q": "学校", "facet.field": ["res_format", "organization"]}))
    assert set(by_form["facets"]) == {"res_format", "organization"}


def test_core_data_is_never_found(client, office):
    core = DataResource.objects.get(name=CORE)
    for headers in ({}, bearer(office)):
        for params in (
            {"q": core.title, "include_private": "true"},
            {"fq": f"organization:{core.provider.code}", "include_private": "true"},
            {"fq": "grade:core", "include_private": "true"},
            {"rows": 1000, "include_private": "true", "facet.field": '["grade"]'},
        ):
            response = client.get(URL, params, headers=headers)
            text = response.content.decode()
            assert response.status_code == 200
            assert CORE not in text and core.title not in text, params
            assert "core" not in response.json()["result"]["facets"].get("grade", {})


def test_include_private_adds_published_entries_that_are_not_open_for_the_office(client, office):
    not_open = set(
        DataResource.objects.filter(state="published")
        .exclude(grade="core")
        .exclude(name__in=PUBLIC)
        .values_list("name", flat=True)
    )
    assert len(not_open) == 2
    result = search(client, headers=bearer(office), include_private="true", rows=100)
    assert set(names(result)) == PUBLIC | not_open and result["count"] == 12
    private = [package for package in result["results"] if package["name"] in not_open]
    assert len(private) == 2 and all(package["private"] is True for package in private)
    # Not without asking, and drafts, submitted and returned entries are never found.
    assert search(client, headers=bearer(office), rows=100)["count"] == len(PUBLIC)
    unpublished = DataResource.objects.exclude(state="published").values_list("name", flat=True)
    assert unpublished and not set(unpublished) & set(names(result))


def test_include_private_does_not_widen_the_search_for_anyone_else(client, staff):
    """A provider's staff (who may list their own unpublished entries with package_list)
    and the public find the public datasets only."""
    for headers in ({}, bearer(staff)):
        result = search(client, headers=headers, include_private="true", rows=100)
        assert set(names(result)) == PUBLIC, headers
        assert "nx-work-safety-licences" not in json.dumps(result, ensure_ascii=False)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"rows": "many"}, "rows"),
        ({"start": -1}, "start"),
        ({"facet.field": '["colour"]'}, "facet.field"),
        ({"facet.field": "[1, 2]"}, "facet.field"),
        ({"facet.limit": "all"}, "facet.limit"),
        ({"include_private": "perhaps"}, "include_private"),
        ({"sort": "colour asc"}, "sort"),
        ({"fq": ["a", "b"]}, "fq"),
    ],
)
def test_bad_parameters_are_validation_errors(client, params, field):
    response = client.post(URL, params, content_type="application/json")
    found = error(response, 409, "Validation Error")
    assert list(found) == [field, "__type"]


@pytest.mark.parametrize("fq", ["colour:red", "-organization:nx-education", "title:[a TO b]"])
def test_an_fq_it_cannot_read_is_a_search_query_error(client, fq):
    found = error(client.get(URL, {"fq": fq}), 400, "Search Query Error")
    assert found["message"]


def test_rows_are_capped_at_ckans_maximum(client):
    assert len(search(client, rows=5000)["results"]) == len(PUBLIC)


def test_help_show_documents_the_parameters(client):
    text = ok(client.get(f"{BASE}/help_show", {"name": "package_search"}))
    for word in (
        "``q``",
        "``fq``",
        "``rows``",
        "``start``",
        "``sort``",
        "facet.field",
        "include_private",
    ):
        assert word in text
