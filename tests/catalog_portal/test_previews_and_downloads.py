"""Previews and downloads of distributions (issue 11, item 5): the portal's dataset and
distribution pages show the first rows with the columns' types of openly downloadable data
only, cached per file; never of core data, whoever asks; the catalog's own page shows them
to who may see the rows. Downloads carry the media type, the Chinese name (RFC 5987) and the
checksum, and are refused for data the caller may not see."""

import io
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.urls import reverse
from openpyxl import Workbook

from shuzheng.audit.models import AuditEvent
from shuzheng.catalog import preview, preview_selectors, services
from shuzheng.catalog.models import DataResource, Distribution
from tests.catalog.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def scenic():
    return DataResource.objects.get(title="宁夏A级旅游景区名录")


def add_file(resource, name, data, *, fmt, title=None):
    return services.add_distribution(
        actor=None,
        resource=resource,
        data=services.DistributionInput(
            title=title or f"示例文件（{fmt}）",
            kind="file",
            format=fmt,
            upload=ContentFile(data, name=name),
        ),
    )


def test_the_dataset_page_previews_its_csv_with_column_types(client, sample_catalog):
    resource = scenic()
    response = client.get(reverse("catalog_portal:dataset", args=[resource.pk]))
    page = response.content.decode()
    shown = response.context["preview"]
    assert [c["name"] for c in shown.columns] == ["name", "level", "county", "address", "rated_on"]
    assert [c["type"] for c in shown.columns][-1] == "Date"
    assert "沙坡头旅游景区（示例）" in page and "2007-05-08" in page
    distribution = resource.distributions.get()
    assert reverse("catalog_portal:distribution", args=[resource.pk, distribution.pk]) in page


def test_the_distribution_page_shows_its_preview_and_download(client, sample_catalog):
    resource = scenic()
    distribution = resource.distributions.get()
    response = client.get(
        reverse("catalog_portal:distribution", args=[resource.pk, distribution.pk])
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "镇北堡西部影城（示例）" in page
    assert reverse("catalog_dcat:download", args=[resource.pk, distribution.pk]) in page
    assert distribution.checksum in page


def test_a_distribution_of_another_dataset_is_a_404(client, sample_catalog):
    resource = scenic()
    other = DataResource.objects.get(title="宁夏医疗机构名录").distributions.get()
    path = reverse("catalog_portal:distribution", args=[resource.pk, other.pk])
    assert client.get(path).status_code == 404


def test_a_conditionally_open_dataset_shows_no_rows(client, sample_catalog):
    resource = DataResource.objects.filter(open_type="conditional", state="published").first()
    distribution = add_file(resource, "prices.csv", "品名,价格\n示例菜,1.5\n".encode(), fmt="CSV")
    page = client.get(reverse("catalog_portal:dataset", args=[resource.pk]))
    assert page.context["preview"] is None and "示例菜" not in page.content.decode()
    response = client.get(
        reverse("catalog_portal:distribution", args=[resource.pk, distribution.pk])
    )
    assert response.status_code == 200
    assert response.context["preview"] is None
    assert "示例菜" not in response.content.decode()
    assert "released on application" in response.content.decode()


def test_an_excel_and_a_json_distribution_are_previewed(client, sample_catalog):
    resource = scenic()
    book = Workbook()
    book.active.append(["景区", "游客量"])
    book.active.append(["示例景区甲", 1200])
    handle = io.BytesIO()
    book.save(handle)
    xlsx = add_file(resource, "visitors.xlsx", handle.getvalue(), fmt="XLSX")
    data = '{"data": [{"景区": "示例景区乙", "评分": 4.5}]}'.encode()
    json_file = add_file(resource, "ratings.json", data, fmt="JSON")
    for item, marker, types in (
        (xlsx, "示例景区甲", ["Character", "Integer"]),
        (json_file, "示例景区乙", ["Character", "Numeric"]),
    ):
        response = client.get(reverse("catalog_portal:distribution", args=[resource.pk, item.pk]))
        assert marker in response.content.decode()
        assert [c["type"] for c in response.context["preview"].columns] == types


def test_a_file_that_cannot_be_previewed_says_why(client, sample_catalog):
    resource = scenic()
    item = add_file(resource, "broken.json", b'[{"a": 1} oops', fmt="JSON")
    response = client.get(reverse("catalog_portal:distribution", args=[resource.pk, item.pk]))
    assert response.status_code == 200
    assert "The file is not valid JSON." in response.content.decode()


def test_the_preview_is_cached_per_file(sample_catalog, monkeypatch):
    distribution = scenic().distributions.select_related("resource").get()
    first = preview_selectors.distribution_preview(distribution)
    calls = []
    monkeypatch.setattr(
        "shuzheng.catalog.preview.preview", lambda *args: calls.append(args) or None
    )
    again = preview_selectors.distribution_preview(distribution)
    assert calls == [] and again.table == first.table
    # A new file (another checksum) is previewed afresh.
    distribution.checksum = "0" * 64
    monkeypatch.setattr(
        "shuzheng.catalog.preview.preview",
        lambda handle, fmt: preview.Preview(columns=(), rows=(), more_rows=False),
    )
    assert preview_selectors.distribution_preview(distribution).table.columns == ()


def test_core_data_is_never_previewed_even_for_its_provider(client, sample_catalog):
    resource = DataResource.objects.get(grade="core")
    distribution = add_file(resource, "core.csv", "身份证号\n示例核心值\n".encode(), fmt="CSV")
    staff = make_user("core-staff", "unit_staff", resource.provider)
    client.force_login(staff)
    response = client.get(reverse("catalog:detail", args=[resource.pk]))
    assert response.status_code == 200
    assert response.context["preview"] is None
    assert "示例核心值" not in response.content.decode()
    assert preview_selectors.distribution_preview(distribution) is None


def test_the_catalog_page_previews_important_data_for_its_provider_only(client, sample_catalog):
    resource = DataResource.objects.filter(grade="important").first()
    add_file(resource, "important.csv", "编号,名称\n1,示例重要值\n".encode(), fmt="CSV")
    staff = make_user("important-staff", "unit_staff", resource.provider)
    client.force_login(staff)
    page = client.get(reverse("catalog:detail", args=[resource.pk])).content.decode()
    assert "示例重要值" in page
    client.force_login(make_user("office-reader", "supervisor"))
    response = client.get(reverse("catalog:detail", args=[resource.pk]))
    assert response.status_code == 200
    assert "示例重要值" not in response.content.decode()


def test_a_public_download_has_its_type_chinese_name_and_checksum(client, sample_catalog):
    resource = scenic()
    distribution = resource.distributions.get()
    path = reverse("catalog_dcat:download", args=[resource.pk, distribution.pk])
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    name = "宁夏A级旅游景区名录（CSV）.csv"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{resource.name}-{distribution.pk}.csv"; '
        f"filename*=UTF-8''{quote(name)}"
    )
    assert response["ETag"] == f'"sm3-{distribution.checksum}"'
    assert int(response["Content-Length"]) == distribution.byte_size
    assert b"".join(response.streaming_content).startswith(b"name,level")
    again = client.get(path, headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304


def test_a_title_with_path_characters_makes_a_safe_name(client, sample_catalog):
    resource = scenic()
    item = add_file(resource, "x.json", b"[]", fmt="JSON", title='景区/名录:"2026"')
    response = client.get(reverse("catalog_dcat:download", args=[resource.pk, item.pk]))
    assert response["Content-Type"] == "application/json"
    assert "filename*=UTF-8''" + quote("景区 名录 2026.json") in response["Content-Disposition"]


@pytest.mark.parametrize("which", ["core", "important", "conditional", "draft"])
def test_a_public_download_of_data_not_open_is_a_404(client, sample_catalog, which):
    rows = DataResource.objects.all()
    resource = (
        rows.filter(grade=which).first()
        or rows.filter(open_type=which, state="published").first()
        or rows.filter(state=which).first()
    )
    item = add_file(resource, "hidden.csv", "a\n示例\n".encode(), fmt="CSV")
    assert (
        client.get(reverse("catalog_dcat:download", args=[resource.pk, item.pk])).status_code == 404
    )
    # A conditionally open dataset is listed, with its distributions' pages; the others not.
    path = reverse("catalog_portal:distribution", args=[resource.pk, item.pk])
    assert client.get(path).status_code == (200 if which == "conditional" else 404)


def test_an_internal_download_is_audited_and_refused_by_grade(client, sample_catalog):
    resource = DataResource.objects.filter(grade="important").first()
    item = add_file(resource, "important.csv", "a\n示例\n".encode(), fmt="CSV")
    path = reverse("catalog:download_distribution", args=[resource.pk, item.pk])
    client.force_login(make_user("important-owner", "unit_staff", resource.provider))
    response = client.get(path)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    event = AuditEvent.objects.get(action="catalog.download_distribution")
    assert event.after["distribution"] == item.title
    # The catalog office reads the entry but not important data's rows.
    client.force_login(make_user("office-download", "supervisor"))
    assert client.get(path).status_code == 403
    assert AuditEvent.objects.filter(action="catalog.download_distribution").count() == 1


def test_an_internal_download_of_a_link_or_another_resource_s_file_is_a_404(client, sample_catalog):
    resource = scenic()
    other = Distribution.objects.exclude(resource=resource).filter(kind="file").first()
    client.force_login(make_user("tourism-staff", "unit_staff", resource.provider))
    path = reverse("catalog:download_distribution", args=[resource.pk, other.pk])
    assert client.get(path).status_code == 404
