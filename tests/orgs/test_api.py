"""The read-only registry API: /api/v1/orgs/..."""

import pytest

pytestmark = pytest.mark.django_db

API = "/api/v1/orgs"


def test_regions(client, sample_registry):
    regions = client.get(f"{API}/regions").json()
    assert len(regions) == 28
    assert regions[0] == {
        "code": "640000",
        "name": "宁夏回族自治区",
        "short_name": "宁夏",
        "level": "province",
        "parent_code": None,
    }
    assert client.get(f"{API}/regions/640522").json()["parent_code"] == "640500"
    assert client.get(f"{API}/regions/999999").status_code == 404


def test_units_are_paginated_and_filtered(client, sample_registry, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        page = client.get(f"{API}/units").json()
    assert page["count"] > 50 and len(page["items"]) == 50
    second = client.get(f"{API}/units", {"page": 2}).json()
    assert len(page["items"]) + len(second["items"]) == page["count"]
    in_guyuan = client.get(f"{API}/units", {"region": "640400"}).json()
    assert in_guyuan["count"] == 6
    vertical = client.get(f"{API}/units", {"kind": "vertical"}).json()
    assert {item["kind"] for item in vertical["items"]} == {"vertical"}
    by_alias = client.get(f"{API}/units", {"q": "发改委"}).json()
    assert [item["code"] for item in by_alias["items"]] == ["nx-development-reform"]
    assert client.get(f"{API}/units", {"kind": "ministry"}).status_code == 422


def test_unit(client, sample_registry):
    unit = client.get(f"{API}/units/nx-taxation").json()
    assert unit["name"] == "国家税务总局宁夏回族自治区税务局"
    assert unit["short_name"] == "宁夏税务局"
    assert unit["region_code"] == "640000" and unit["kind"] == "vertical"
    assert client.get(f"{API}/units/nope").status_code == 404


def test_resolve(client, sample_registry):
    text = (
        "自治区党委国安办牵头负责, 自治区党委网信办, 发展改革委等部门(单位)配合，自治区数据局参与"
    )
    result = client.get(f"{API}/resolve", {"text": text}).json()
    assert result["raw"] == text
    assert [item["unit_codes"] for item in result["lead"]] == [["nx-party-national-security"]]
    assert [item["name"] for item in result["supporting"]] == [
        "自治区党委网信办",
        "自治区发展改革委",
        "自治区数据局",
    ]
    assert result["unresolved"] == ["自治区数据局"]
    assert client.get(f"{API}/resolve").status_code == 422


def test_resolve_reports_open_groups(client, sample_registry):
    result = client.get(f"{API}/resolve", {"text": "自治区有关部门（单位）负责"}).json()
    [owner] = result["owner"]
    assert owner["group"] == "region-relevant-units"
    assert owner["open_group"] is True and owner["unit_codes"] == []


def test_operation_ids_are_explicit(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    operation_ids = {
        operation["operationId"]
        for path in paths.values()
        for operation in path.values()
        if operation.get("tags") == ["orgs"]
    }
    assert operation_ids == {
        "orgs_list_regions",
        "orgs_get_region",
        "orgs_list_units",
        "orgs_get_unit",
        "orgs_resolve",
    }
