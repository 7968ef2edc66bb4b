"""/api/v1/catalog/resources (issue 11): the list with the pages' FilterSet, detail, create,
update and the workflow steps; refusals name their fields and change nothing; core data
never reaches the public."""

import pytest

from shuzheng.accounts.services import create_token
from shuzheng.catalog.choices import Grade
from shuzheng.catalog.models import DataResource, GradeChange

pytestmark = pytest.mark.django_db

API = "/api/v1/catalog/resources"
CULTURE = "nx-culture-tourism"


def body(**changes):
    data = {
        "title": "全区星级饭店名录",
        "category": "304001",
        "summary": "星级饭店的名称、星级和地址。",
        "share_type": "unconditional",
        "open_type": "unconditional",
        "update_frequency": "yearly",
        "keywords": ["饭店"],
        "fields": [
            {"name": "饭店名称", "column": "name", "is_authoritative": True},
            {"name": "星级", "column": "stars", "data_type": "integer"},
        ],
    }
    data.update(changes)
    return data


def bearer(user, scopes=("read", "write")):
    _token, secret = create_token(user, name="test", scopes=list(scopes), actor=None)
    return {"Authorization": f"Bearer {secret}"}


def listed(client, params=None, headers=None):
    response = client.get(API, params or {}, headers=headers or {})
    assert response.status_code == 200, response.content
    return response.json()


def test_the_public_lists_only_public_entries_and_never_core_data(client, sample_catalog):
    found = listed(client, {"page_size": 100})
    codes = {item["code"] for item in found["items"]}
    public = set(DataResource.objects.open_to_public().values_list("code", flat=True))
    assert codes == public and found["count"] == len(public)
    assert DataResource.objects.filter(grade=Grade.CORE, state="published").exists()
    assert {item["grade"] for item in found["items"]} == {"general"}
    assert listed(client, {"grade": "core"})["items"] == []


def test_a_core_entry_is_refused_to_the_public_by_id(client, sample_catalog, matrix_world):
    core = DataResource.objects.filter(grade=Grade.CORE).first()
    assert client.get(f"{API}/{core.pk}").status_code == 401
    citizen = matrix_world.users["citizen"]
    response = client.get(f"{API}/{core.pk}", headers=bearer(citizen))
    assert response.status_code == 403
    assert core.title not in response.content.decode()


def test_the_list_takes_the_pages_filters_and_says_what_is_wrong(client, sample_catalog):
    found = listed(client, {"q": "A级旅游景区"})
    assert [item["code"] for item in found["items"]] == ["304001/000001"]
    response = client.get(API, {"grade": "secret"})
    assert response.status_code == 422
    assert "secret" in response.json()["detail"]


def test_staff_list_their_units_entries_and_the_public_ones(client, sample_catalog, provider_staff):
    headers = bearer(provider_staff)
    draft = client.post(API, body(), content_type="application/json", headers=headers).json()
    assert draft["code"] not in {
        item["code"] for item in listed(client, {"page_size": 100})["items"]
    }
    found = listed(client, {"page_size": 100}, headers)
    codes = {item["code"] for item in found["items"]}
    mine = set(DataResource.objects.filter(provider__code=CULTURE).values_list("code", flat=True))
    public = set(DataResource.objects.open_to_public().values_list("code", flat=True))
    assert codes == mine | public
    assert draft["code"] in codes


def test_create_generates_the_code_for_the_callers_unit(client, sample_catalog, provider_staff):
    response = client.post(
        API, body(), content_type="application/json", headers=bearer(provider_staff)
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["code"].startswith("304001/") and created["state"] == "draft"
    assert created["provider"]["code"] == CULTURE
    assert [item["name"] for item in created["fields"]] == ["饭店名称", "星级"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"fields": [{"name": "证件号", "grade": "core"}], "open_type": "none"}, "grade"),
        ({"grade": "core"}, "open_type"),
        ({"fields": []}, "fields"),
        ({"code": "304002/000001"}, "code"),
    ],
)
def test_a_refused_entry_names_its_field_and_saves_nothing(
    client, sample_catalog, provider_staff, changes, field
):
    before = DataResource.objects.count()
    response = client.post(
        API, body(**changes), content_type="application/json", headers=bearer(provider_staff)
    )
    assert response.status_code == 422
    assert [check["loc"] for check in response.json()["detail"]] == [["body", field]]
    assert DataResource.objects.count() == before


def test_a_bad_choice_is_refused_by_validation(client, sample_catalog, provider_staff):
    data = body(fields=[{"name": "星级", "data_type": "roman"}])
    response = client.post(
        API, data, content_type="application/json", headers=bearer(provider_staff)
    )
    assert response.status_code == 422
    assert not DataResource.objects.filter(title="全区星级饭店名录").exists()


def test_staff_cannot_create_for_another_unit(client, sample_catalog, provider_staff):
    response = client.post(
        API,
        body(provider="nx-education"),
        content_type="application/json",
        headers=bearer(provider_staff),
    )
    assert response.status_code == 403
    assert not DataResource.objects.filter(title="全区星级饭店名录").exists()


def test_a_read_token_cannot_create(client, sample_catalog, provider_staff):
    response = client.post(
        API, body(), content_type="application/json", headers=bearer(provider_staff, ("read",))
    )
    assert response.status_code == 403


def test_update_is_a_version_and_a_grade_change_needs_its_reason(
    client, sample_catalog, provider_staff
):
    headers = bearer(provider_staff)
    created = client.post(API, body(), content_type="application/json", headers=headers).json()
    path = f"{API}/{created['id']}"
    graded = body(grade="important", open_type="none")
    refused = client.put(path, graded, content_type="application/json", headers=headers)
    assert refused.status_code == 422
    assert [check["loc"] for check in refused.json()["detail"]] == [["body", "grade_reason"]]
    assert not GradeChange.objects.exists()
    graded["grade_reason"] = "含经营主体信息"
    response = client.put(path, graded, content_type="application/json", headers=headers)
    assert response.status_code == 200, response.content
    assert (response.json()["version"], response.json()["grade"]) == (2, "important")
    assert GradeChange.objects.get().reason == "含经营主体信息"


def test_the_workflow_through_the_api(client, sample_catalog, provider_staff, office):
    staff, desk = bearer(provider_staff), bearer(office)
    created = client.post(API, body(), content_type="application/json", headers=staff).json()
    path = f"{API}/{created['id']}"
    assert client.post(f"{path}/publish", headers=staff).status_code == 403
    assert client.post(f"{path}/submit", headers=staff).json()["state"] == "submitted"
    assert client.post(f"{path}/submit", headers=staff).status_code == 409
    no_reason = client.post(
        f"{path}/return", {"reason": " "}, content_type="application/json", headers=desk
    )
    assert no_reason.status_code == 422
    returned = client.post(
        f"{path}/return", {"reason": "补充摘要"}, content_type="application/json", headers=desk
    )
    assert (returned.json()["state"], returned.json()["return_reason"]) == ("returned", "补充摘要")
    client.post(f"{path}/submit", headers=staff)
    assert client.post(f"{path}/publish", headers=desk).json()["state"] == "published"
    assert any(item["id"] == created["id"] for item in listed(client, {"page_size": 100})["items"])
    withdrawn = client.post(
        f"{path}/withdraw", {"reason": "停止更新"}, content_type="application/json", headers=staff
    )
    assert withdrawn.json()["state"] == "withdrawn"
    assert client.get(path).status_code == 401


def test_another_unit_cannot_touch_the_entry(client, sample_catalog, provider_staff, other_staff):
    created = client.post(
        API, body(), content_type="application/json", headers=bearer(provider_staff)
    ).json()
    path = f"{API}/{created['id']}"
    theirs = bearer(other_staff)
    assert client.get(path, headers=theirs).status_code == 403
    assert client.post(f"{path}/submit", headers=theirs).status_code == 403
    response = client.put(path, body(title="改名"), content_type="application/json", headers=theirs)
    assert response.status_code == 403
    assert DataResource.objects.get(pk=created["id"]).state == "draft"
