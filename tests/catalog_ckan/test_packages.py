"""The stored package texts (``catalog.packages``): what package_show and package_search
splice from them is the package built afresh from the entry, after every kind of change,
and the splicing cannot be fooled by an entry's own text."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from shuzheng import clock
from shuzheng.catalog import ckan, ckan_api, packages, services, tracking
from shuzheng.catalog.choices import DistributionKind
from shuzheng.catalog.models import DataResource, DownloadCount, StoredPackage
from shuzheng.orgs.models import Unit
from tests.catalog_ckan.conftest import BASE

pytestmark = pytest.mark.usefixtures("sample_catalog")


def fresh_package(resource: DataResource, request) -> dict:
    """The package dict built from the entry's rows as the API built it before the texts
    were stored: the reference the stored texts must equal."""
    resource = DataResource.objects.select_related("provider__region", "category").get(
        pk=resource.pk
    )
    serializer = ckan_api.Serializer(request)
    counted = DownloadCount.objects.filter(distribution__resource=resource)
    recent = counted.filter(day__gte=tracking.recent_since(clock.today()))
    package = ckan.package_dict(
        resource,
        organization=ckan.organization_dict(resource.provider),
        group=ckan.group_dict(resource.category.top),
        resources=[serializer.resource(item) for item in resource.distributions.all()],
        fields=[ckan.field_dict(item) for item in resource.fields.all()],
        is_public=resource.is_public,
    )
    package["tracking_summary"] = {
        "total": sum(counted.values_list("count", flat=True)),
        "recent": sum(recent.values_list("count", flat=True)),
    }
    return package


def shown(client, name: str) -> dict:
    response = client.get(f"{BASE}/package_show", {"id": name})
    assert response.status_code == 200, response.content
    return response.json()["result"]


def test_every_sample_entry_has_its_text_and_answers_as_built_afresh(client):
    request = RequestFactory().get("/")
    stored = set(StoredPackage.objects.values_list("resource_id", flat=True))
    assert stored == set(DataResource.objects.values_list("pk", flat=True))
    for resource in DataResource.objects.open_to_public():
        assert shown(client, resource.name) == fresh_package(resource, request)


def test_search_results_are_the_shown_packages_in_the_search_order(client):
    body = client.get(f"{BASE}/package_search", {"rows": 100, "sort": "name asc"}).json()
    results = body["result"]["results"]
    assert [p["name"] for p in results] == sorted(p["name"] for p in results)
    assert len(results) == body["result"]["count"] == DataResource.objects.open_to_public().count()
    for package in results:
        assert package == shown(client, package["name"])


def test_a_text_never_stored_is_built_when_read(client):
    resource = DataResource.objects.open_to_public().get(name="nx-schools")
    before = shown(client, resource.name)
    StoredPackage.objects.filter(resource=resource).delete()
    assert shown(client, resource.name) == before
    assert not StoredPackage.objects.filter(resource=resource).exists()  # a read writes nothing
    assert packages.refresh_all() == DataResource.objects.count()
    assert StoredPackage.objects.filter(resource=resource).exists()


def test_each_service_keeps_the_text_in_step(client, media):
    request = RequestFactory().get("/", HTTP_HOST="testserver")
    resource = DataResource.objects.open_to_public().get(name="nx-schools")

    def matches():
        assert shown(client, resource.name) == fresh_package(resource, request)

    added = services.add_distribution(
        actor=None,
        resource=resource,
        data=services.DistributionInput(
            title="学校名录（文件）",
            kind=DistributionKind.FILE,
            format="csv",
            upload=SimpleUploadedFile("schools.csv", "名称\n银川一中\n".encode()),
        ),
    )
    matches()
    assert client.get(packages.download_path(added)).status_code == 200
    matches()
    assert any(
        r["url"].startswith("http://testserver/dataset/")
        for r in shown(client, "nx-schools")["resources"]
    )
    services.update_distribution(
        actor=None,
        distribution=added,
        data=services.DistributionInput(
            title="学校名录（链接）", kind=DistributionKind.LINK, url="https://example.org/s.csv"
        ),
    )
    matches()
    services.delete_distribution(actor=None, distribution=added)
    matches()
    unit = Unit.objects.get(pk=resource.provider_id)
    unit.name = "改名后的单位"
    unit.save()
    assert shown(client, resource.name)["organization"]["title"] == "改名后的单位"
    matches()
    services.withdraw(actor=None, resource=resource, reason="测试撤回")
    stored = json.loads(StoredPackage.objects.get(resource=resource).body)
    assert stored["state"] == "deleted" and stored["private"] is True


def test_an_entrys_own_text_cannot_pass_for_a_path_or_a_marker(client):
    resource = DataResource.objects.open_to_public().get(name="nx-schools")
    tricky = 'x", "url": "/dataset/1/resource/1/download'
    DataResource.objects.filter(pk=resource.pk).update(summary=tricky)
    packages.refresh([resource.pk])
    assert shown(client, resource.name)["notes"] == tricky
    nonce_like = "name asc, 0123456789abcdef:0"
    body = client.get(f"{BASE}/package_search", {"sort": nonce_like, "rows": 1}).json()
    assert body["result"]["sort"] == nonce_like
