"""The write actions through Django's test client: packages and resources through the
catalog services (permission-checked, audited, versioned), organizations through the
registry's, and CKAN-shaped refusals that change nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shuzheng.audit.models import AuditEvent
from shuzheng.catalog.models import DataResource, Distribution
from shuzheng.orgs.models import Unit
from tests.catalog_ckan.conftest import BASE, bearer

pytestmark = pytest.mark.usefixtures("sample_catalog")


def package(**overrides):
    data = {
        "name": "nx-emergency-shelters",
        "title": "应急避难场所名录",
        "notes": "全区应急避难场所的名称、地址和容纳人数。",
        "owner_org": "nx-emergency-management",
        "category": "304001",
        "share_type": "unconditional",
        "open_type": "unconditional",
        "update_frequency": "yearly",
        "tags": [{"name": "应急"}, {"name": "避难场所"}],
        "fields": [
            {"name": "场所名称", "column": "name", "data_type": "string"},
            {"name": "容纳人数", "column": "capacity", "data_type": "integer"},
        ],
    }
    data.update(overrides)
    return data


def post(client, action, data, headers):
    return client.post(f"{BASE}/{action}", data, content_type="application/json", headers=headers)


def result(response):
    assert response.status_code == 200, response.content
    return response.json()["result"]


def refused(response, status, type_name):
    assert response.status_code == status, response.content
    assert response.json()["error"]["__type"] == type_name
    return response.json()["error"]


def test_package_create_registers_a_private_draft(client, staff):
    created = result(post(client, "package_create", package(), bearer(staff)))
    assert created["private"] is True and created["catalog_state"] == "draft"
    assert created["organization"]["name"] == "nx-emergency-management"
    assert [tag["name"] for tag in created["tags"]] == ["应急", "避难场所"]
    entry = DataResource.objects.get(name="nx-emergency-shelters")
    assert entry.code.startswith("304001/") and entry.created_by == staff
    assert AuditEvent.objects.filter(action="catalog.register", object_id=str(entry.pk)).exists()
    # Private: the public does not find it.
    response = client.get(f"{BASE}/package_show", {"id": "nx-emergency-shelters"})
    refused(response, 404, "Not Found Error")


def test_every_bad_field_is_named_and_nothing_is_stored(client, staff):
    bad = package(
        title="",
        share_type="sometimes",
        owner_org="no-such-unit",
        fields=[{"name": "场所名称", "data_type": "colour"}, "not an object"],
    )
    error = refused(post(client, "package_create", bad, bearer(staff)), 409, "Validation Error")
    assert {"title", "share_type", "owner_org", "fields"} <= set(error)
    bad_item = package(fields=[{"name": "场所名称", "data_type": "colour", "length": "long"}])
    error = refused(
        post(client, "package_create", bad_item, bearer(staff)), 409, "Validation Error"
    )
    assert {"fields[0].data_type", "fields[0].length"} <= set(error)
    assert not DataResource.objects.filter(name="nx-emergency-shelters").exists()


def test_the_catalog_rules_are_the_services(client, staff):
    """就高从严 and the rest come back as Validation Errors under the package's names."""
    higher_item = package(fields=[{"name": "坐标", "data_type": "string", "grade": "important"}])
    error = refused(
        post(client, "package_create", higher_item, bearer(staff)), 409, "Validation Error"
    )
    assert "grade" in error
    core = package(grade="core", open_type="none")
    error = refused(post(client, "package_create", core, bearer(staff)), 409, "Validation Error")
    assert "grade" in error
    duplicate = package(name="nx-schools")
    error = refused(
        post(client, "package_create", duplicate, bearer(staff)), 409, "Validation Error"
    )
    assert "name" in error
    empty_notes = package(notes="  ")
    error = refused(
        post(client, "package_create", empty_notes, bearer(staff)), 409, "Validation Error"
    )
    assert "notes" in error


@pytest.mark.parametrize("who", ["anonymous", "other unit", "read-only token", "citizen"])
def test_writes_need_a_writing_token_of_the_provider(client, staff, other_staff, who):
    from shuzheng.accounts.choices import Role
    from tests.catalog.conftest import make_user

    headers = {
        "anonymous": {},
        "other unit": bearer(other_staff),
        "read-only token": bearer(staff, scopes=["read"]),
        "citizen": bearer(make_user("citizen", Role.CITIZEN)),
    }[who]
    refused(post(client, "package_create", package(), headers), 403, "Authorization Error")
    spots = DataResource.objects.get(name="nx-a-level-scenic-spots")
    patch = post(client, "package_patch", {"id": spots.name, "title": "x"}, headers)
    refused(patch, 403, "Authorization Error")
    assert DataResource.objects.get(pk=spots.pk).title == spots.title
    assert not DataResource.objects.filter(name="nx-emergency-shelters").exists()


def test_patch_changes_the_given_fields_and_update_replaces(client, staff):
    headers = bearer(staff)
    created = result(post(client, "package_create", package(), headers))
    patched = result(
        post(client, "package_patch", {"id": created["id"], "title": "避难场所"}, headers)
    )
    assert patched["title"] == "避难场所" and patched["notes"] == created["notes"]
    assert patched["fields"] == created["fields"] and patched["version"] == "2"
    # package_update: what is not given is emptied, so the services' required fields refuse.
    error = refused(
        post(client, "package_update", {"id": created["id"], "title": "x"}, headers),
        409,
        "Validation Error",
    )
    assert "notes" in error and "fields" in error
    whole = {**patched, "notes": "新的摘要。"}
    assert result(post(client, "package_update", whole, headers))["notes"] == "新的摘要。"


def test_a_grade_change_needs_a_reason(client, staff):
    headers = bearer(staff)
    created = result(post(client, "package_create", package(), headers))
    up = {"id": created["id"], "grade": "important", "open_type": "none"}
    error = refused(post(client, "package_patch", up, headers), 409, "Validation Error")
    assert "grade_reason" in error
    graded = result(post(client, "package_patch", {**up, "grade_reason": "含重要数据"}, headers))
    assert graded["grade"] == "important"


def test_package_delete_withdraws(client, office):
    headers = bearer(office)
    assert result(post(client, "package_delete", {"id": "nx-schools"}, headers)) is None
    entry = DataResource.objects.get(name="nx-schools")
    assert entry.state == "withdrawn"
    assert "nx-schools" not in result(client.get(f"{BASE}/package_list"))
    shown = result(client.get(f"{BASE}/package_show", {"id": "nx-schools"}, headers=headers))
    assert shown["state"] == "deleted"
    # A draft cannot be withdrawn: a Validation Error, not a 500.
    refused(
        post(client, "package_delete", {"id": "nx-drug-retail-licences"}, headers),
        409,
        "Validation Error",
    )


def test_resources_upload_link_patch_and_delete(client, staff, media):
    headers = bearer(staff)
    created = result(post(client, "package_create", package(), headers))
    upload = SimpleUploadedFile("shelters.csv", "场所名称,容纳人数\n示例,100\n".encode("gb18030"))
    response = client.post(
        f"{BASE}/resource_create",
        {"package_id": created["name"], "name": "名录（CSV）", "upload": upload},
        headers=headers,
    )
    file_resource = result(response)
    assert file_resource["format"] == "CSV" and file_resource["url_type"] == "upload"
    stored = Distribution.objects.get(pk=file_resource["id"])
    assert stored.file.read().decode("gb18030").startswith("场所名称") and stored.checksum
    link = result(
        post(
            client,
            "resource_create",
            {"package_id": created["id"], "url": "https://example.org/shelters.json"},
            headers,
        )
    )
    assert link["format"] == "JSON" and link["url"] == "https://example.org/shelters.json"
    # Sending the file's own download address back keeps the file.
    kept = result(post(client, "resource_update", {**file_resource, "name": "名录"}, headers))
    assert kept["url_type"] == "upload" and kept["hash"] == file_resource["hash"]
    patched = result(
        post(client, "resource_patch", {"id": link["id"], "format": "geojson"}, headers)
    )
    assert patched["format"] == "GEOJSON" and patched["url"] == link["url"]
    assert result(post(client, "resource_delete", {"id": link["id"]}, headers)) is None
    shown = result(client.get(f"{BASE}/package_show", {"id": created["id"]}, headers=headers))
    assert [item["id"] for item in shown["resources"]] == [file_resource["id"]]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "catalog.add_distribution",
        "catalog.update_distribution",
        "catalog.delete_distribution",
    } <= actions


def test_resource_refusals(client, staff):
    headers = bearer(staff)
    created = result(post(client, "package_create", package(), headers))
    error = refused(
        post(client, "resource_create", {"package_id": created["id"], "name": "空"}, headers),
        409,
        "Validation Error",
    )
    assert "url" in error
    error = refused(
        post(client, "resource_create", {"package_id": created["id"], "upload": "text"}, headers),
        409,
        "Validation Error",
    )
    assert "upload" in error
    refused(post(client, "resource_update", {"id": "x"}, headers), 404, "Not Found Error")
    refused(
        post(
            client, "resource_create", {"package_id": "nx-schools", "url": "https://e.org"}, headers
        ),
        403,
        "Authorization Error",
    )


def test_organizations_are_the_administrators(client, staff):
    from shuzheng.accounts.choices import Role
    from tests.catalog.conftest import make_user

    admin = make_user("root", Role.ADMINISTRATOR)
    data = {"name": "nx-data-bureau", "title": "宁夏回族自治区数据局", "region": "640000"}
    refused(post(client, "organization_create", data, bearer(staff)), 403, "Authorization Error")
    created = result(post(client, "organization_create", data, bearer(admin)))
    assert created["name"] == "nx-data-bureau" and created["region"] == "640000"
    assert AuditEvent.objects.filter(action="orgs.unit.create").exists()
    again = refused(
        post(client, "organization_create", data, bearer(admin)), 409, "Validation Error"
    )
    assert "name" in again and "title" in again
    updated = result(
        post(
            client,
            "organization_update",
            {
                "id": created["id"],
                "name": "nx-data-bureau",
                "title": "自治区数据局",
                "kind": "department",
            },
            bearer(admin),
        )
    )
    assert Unit.objects.get(pk=created["id"]).name == updated["title"] == "自治区数据局"
    error = refused(
        post(
            client,
            "organization_update",
            {"id": created["id"], "name": "Bad Code!", "title": "x", "kind": "planet"},
            bearer(admin),
        ),
        409,
        "Validation Error",
    )
    assert {"name", "kind"} <= set(error)
