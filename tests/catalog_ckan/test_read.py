"""The read actions and the envelope, through Django's test client: what the public, a
provider and the catalog office see, and CKAN-shaped errors for bad input."""

import pytest

from tests.catalog_ckan.conftest import BASE, bearer

pytestmark = pytest.mark.usefixtures("sample_catalog")

PUBLIC = {
    "nx-a-level-scenic-spots",
    "nx-medical-institutions",
    "nx-schools",
    "yinchuan-air-quality-daily",
    "nx-minimum-living-allowance",
    "nx-statistics-main-indicators",
    "yinchuan-bus-routes",
    "nx-water-resources-bulletin",
    "nx-farm-produce-prices",
    "nx-market-entities",
}
CORE = "nx-household-population"


def ok(response):
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["success"] is True
    assert body["help"].endswith(f"/help_show?name={response.request['PATH_INFO'].rsplit('/')[-1]}")
    return body["result"]


def error(response, status, type_name):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["success"] is False and "result" not in body
    assert body["error"]["__type"] == type_name
    return body["error"]


def test_package_list_is_the_public_catalog_on_both_paths(client):
    names = ok(client.get(f"{BASE}/package_list"))
    assert set(names) == PUBLIC and names == sorted(names)
    assert ok(client.get("/api/action/package_list", {"limit": 2, "offset": 1})) == names[1:3]


def test_a_post_reads_like_a_get_and_unknown_parameters_are_ignored(client):
    by_post = ok(
        client.post(
            f"{BASE}/package_show",
            {"id": "nx-schools", "use_default_schema": True},
            content_type="application/json",
        )
    )
    by_get = ok(client.get(f"{BASE}/package_show", {"id": by_post["id"], "whatever": "x"}))
    assert by_post == by_get


def test_package_show_maps_the_catalog_entry(client):
    package = ok(client.get(f"{BASE}/package_show", {"id": "nx-a-level-scenic-spots"}))
    assert package["title"] == "宁夏A级旅游景区名录"
    assert package["private"] is False and package["state"] == "active"
    assert package["organization"]["name"] == "nx-culture-tourism"
    assert package["owner_org"] == package["organization"]["id"]
    assert [tag["name"] for tag in package["tags"]] == ["旅游", "景区", "A级"]
    assert package["code"] == "304001/000001" and package["groups"][0]["code"] == "3"
    assert [item["name"] for item in package["fields"]][:2] == ["景区名称", "等级"]
    [resource] = package["resources"]
    assert resource["format"] == "CSV" and resource["url_type"] == "upload"
    assert resource["url"].startswith("http://testserver/dataset/")
    assert resource["tracking_summary"] == {"total": 0, "recent": 0}
    assert client.get(resource["url"]).status_code == 200
    downloaded = {**resource, "tracking_summary": {"total": 1, "recent": 1}}
    assert ok(client.get(f"{BASE}/resource_show", {"id": resource["id"]})) == downloaded


@pytest.mark.parametrize(
    ("action", "params"),
    [
        ("package_show", {"id": CORE}),
        ("package_show", {"id": "nx-surveying-results"}),  # important data
        ("package_show", {"id": "nx-work-safety-licences"}),  # submitted, not public
        ("package_show", {"id": "no-such-dataset"}),
        ("resource_show", {"id": "999999"}),
        ("resource_show", {"id": "not-a-number"}),
        ("organization_show", {"id": "no-such-unit"}),
        ("group_show", {"id": "no-such-group"}),
    ],
)
def test_what_the_public_may_not_see_is_not_found(client, action, params):
    found = error(client.get(f"{BASE}/{action}", params), 404, "Not Found Error")
    assert found["message"].startswith("Not found")


def test_core_data_is_in_no_answer_even_to_the_catalog_office(client, office):
    """Every read action, as the public and as the office with include_private."""
    from shuzheng.catalog.models import DataResource

    core = DataResource.objects.get(name=CORE)
    unit = core.provider.code
    for headers in ({}, bearer(office)):
        calls = [
            ("package_list", {"include_private": "true"}),
            ("package_show", {"id": CORE}),
            ("package_show", {"id": str(core.pk)}),
            ("organization_show", {"id": unit, "include_datasets": "true"}),
            ("organization_list", {"all_fields": "true"}),
            ("group_list", {"all_fields": "true"}),
            ("group_show", {"id": core.category.top.slug, "include_datasets": "true"}),
        ]
        for name, params in calls:
            text = client.get(f"{BASE}/{name}", params, headers=headers).content.decode()
            assert CORE not in text and core.title not in text, (name, headers)


def test_include_private_adds_the_providers_own_entries(client, staff):
    headers = bearer(staff)
    public = set(ok(client.get(f"{BASE}/package_list", headers=headers)))
    assert public == PUBLIC
    everything = set(
        ok(client.get(f"{BASE}/package_list", {"include_private": "True"}, headers=headers))
    )
    assert everything - PUBLIC == {"nx-work-safety-licences", "nx-major-hazard-sources"}
    private = ok(
        client.get(f"{BASE}/package_show", {"id": "nx-major-hazard-sources"}, headers=headers)
    )
    assert private["private"] is True and private["catalog_state"] == "returned"
    # Without the token, the same request is the public's.
    assert set(ok(client.get(f"{BASE}/package_list", {"include_private": "true"}))) == PUBLIC


def test_the_office_sees_every_units_private_entries(client, office):
    names = set(
        ok(client.get(f"{BASE}/package_list", {"include_private": "1"}, headers=bearer(office)))
    )
    assert {"nx-drug-retail-licences", "nx-surveying-results", "nx-work-safety-licences"} <= names


def test_organizations_and_groups(client):
    names = ok(client.get(f"{BASE}/organization_list"))
    assert "nx-culture-tourism" in names and names == sorted(names)
    rows = ok(
        client.get(
            f"{BASE}/organization_list",
            {"all_fields": "true", "sort": "package_count desc", "limit": "3"},
        )
    )
    assert len(rows) == 3 and rows[0]["package_count"] >= rows[-1]["package_count"] >= 1
    unit = ok(client.get(f"{BASE}/organization_show", {"id": "nx-emergency-management"}))
    assert unit["title"] == "宁夏回族自治区应急管理厅" and unit["package_count"] == 0
    shown = ok(
        client.get(f"{BASE}/organization_show", {"id": "nx-education", "include_datasets": True})
    )
    assert [package["name"] for package in shown["packages"]] == ["nx-schools"]
    groups = ok(client.get(f"{BASE}/group_list", {"all_fields": "true"}))
    assert sum(group["package_count"] for group in groups) == len(PUBLIC)
    group = ok(client.get(f"{BASE}/group_show", {"id": groups[0]["name"], "include_datasets": "1"}))
    assert group["package_count"] == len(group["packages"])


def test_status_and_help(client):
    status = ok(client.get(f"{BASE}/status_show"))
    assert status["ckan_version"].startswith("2.")
    assert "``id`` or name" in ok(client.get(f"{BASE}/help_show", {"name": "package_show"}))
    error(client.get(f"{BASE}/help_show", {"name": "nothing"}), 404, "Not Found Error")


def test_an_unknown_action_is_ckans_bad_request(client):
    response = client.get(f"{BASE}/package_shwo")
    assert response.status_code == 400
    assert response.json() == "Bad request - Action name not known: package_shwo"


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        ("{not json", "application/json", "JSON Error"),
        ("[1, 2]", "application/json", "needs to be a dictionary"),
        ('"text"', "text/plain", "needs to be a dictionary"),
        ('{"id": "\xff"}'.encode("latin-1"), "application/json", "not UTF-8"),
    ],
)
def test_malformed_bodies_are_bad_requests(client, body, content_type, expected):
    response = client.post(f"{BASE}/package_show", body, content_type=content_type)
    assert response.status_code == 400
    assert response.json().startswith("Bad request - ") and expected in response.json()


@pytest.mark.parametrize(
    ("action", "params", "field"),
    [
        ("package_show", {}, "id"),
        ("package_show", {"id": ["a", "b"]}, "id"),
        ("package_show", {"id": {"x": 1}}, "id"),
        ("package_list", {"limit": "many"}, "limit"),
        ("package_list", {"offset": -1}, "offset"),
        ("package_list", {"include_private": "perhaps"}, "include_private"),
        ("organization_list", {"sort": "colour asc"}, "sort"),
    ],
)
def test_wrong_types_and_missing_ids_are_validation_errors(client, action, params, field):
    response = client.post(f"{BASE}/{action}", params, content_type="application/json")
    found = error(response, 409, "Validation Error")
    assert list(found) == [field, "__type"] and isinstance(found[field], list)


def test_an_invalid_token_is_an_authorization_error(client):
    response = client.get(f"{BASE}/package_list", headers={"Authorization": "sz_nope_nope"})
    error(response, 403, "Authorization Error")


def test_a_write_by_get_is_refused(client):
    response = client.get(f"{BASE}/package_create", {"name": "x"})
    assert response.status_code == 400
    assert response.json() == (
        "Bad request - JSON Error: Invalid request. Please use POST method for your request"
    )


def test_a_core_entry_and_its_files_are_not_found_even_for_its_provider(client, media):
    """Core data never reaches this API: not its dataset, not its resources, not to write."""
    from django.core.files.base import ContentFile

    from shuzheng.accounts.choices import Role
    from shuzheng.catalog import services
    from shuzheng.catalog.models import DataResource
    from tests.catalog.conftest import make_user

    core = DataResource.objects.get(name=CORE)
    item = services.add_distribution(
        actor=None,
        resource=core,
        data=services.DistributionInput(
            title="户籍", kind="file", upload=ContentFile(b"a\n1\n", name="core.csv")
        ),
    )
    provider = make_user("gat", Role.UNIT_STAFF, core.provider)
    for headers in ({}, bearer(provider)):
        for name, params in [
            ("package_show", {"id": CORE}),
            ("resource_show", {"id": str(item.pk)}),
        ]:
            error(client.get(f"{BASE}/{name}", params, headers=headers), 404, "Not Found Error")
    for name, params in [
        ("package_patch", {"id": CORE, "title": "x"}),
        ("package_delete", {"id": CORE}),
        ("resource_create", {"package_id": CORE, "url": "https://example.org/x"}),
        ("resource_patch", {"id": item.pk, "name": "x"}),
        ("resource_delete", {"id": item.pk}),
    ]:
        response = client.post(
            f"{BASE}/{name}", params, content_type="application/json", headers=bearer(provider)
        )
        error(response, 404, "Not Found Error")
    assert DataResource.objects.get(pk=core.pk).title == core.title
