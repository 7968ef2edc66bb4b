"""The provider's pages (issue 11, point 7): 我的数据资源, registering with information items,
the resource page, editing as versions with the version history, submitting, withdrawing
and distributions."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shuzheng.audit.models import AuditEvent
from shuzheng.catalog import services
from shuzheng.catalog.models import DataResource, GradeChange
from shuzheng.orgs.models import Unit

pytestmark = pytest.mark.django_db

CULTURE = "nx-culture-tourism"


def form_data(**changes):
    """A filled register form: two items and an empty extra row."""
    data = {
        "title": "全区星级饭店名录",
        "category": "304001",
        "provider": CULTURE,
        "code": "",
        "name": "",
        "summary": "星级饭店的名称、星级和地址。",
        "resource_format": "电子表格",
        "keywords": "饭店，星级 住宿",
        "domain": "文化旅游",
        "license_id": "",
        "share_type": "unconditional",
        "share_condition": "",
        "share_method": "",
        "open_type": "unconditional",
        "open_condition": "",
        "update_frequency": "yearly",
        "published_on": "",
        "related_codes": "",
        "grade": "general",
        "fields-TOTAL_FORMS": "3",
        "fields-INITIAL_FORMS": "0",
        "fields-MIN_NUM_FORMS": "0",
        "fields-MAX_NUM_FORMS": "500",
        "fields-0-name": "饭店名称",
        "fields-0-column": "name",
        "fields-0-data_type": "string",
        "fields-0-grade": "general",
        "fields-0-is_authoritative": "on",
        "fields-1-name": "星级",
        "fields-1-column": "stars",
        "fields-1-data_type": "integer",
        "fields-1-grade": "general",
        "fields-2-name": "",
        "fields-2-data_type": "string",
        "fields-2-grade": "general",
    }
    data.update(changes)
    return data


@pytest.fixture
def staff_client(client, sample_catalog, provider_staff):
    client.force_login(provider_staff)
    return client


def test_my_resources_lists_only_my_units_entries(staff_client):
    response = staff_client.get(reverse("catalog:mine"))
    assert response.status_code == 200
    codes = {row.code for row in response.context["table"].rows}
    mine = set(DataResource.objects.filter(provider__code=CULTURE).values_list("code", flat=True))
    assert codes == mine and codes
    other = DataResource.objects.exclude(provider__code=CULTURE).first()
    assert other.title not in response.content.decode()


def test_my_resources_filters_and_reports_a_bad_filter(staff_client):
    response = staff_client.get(reverse("catalog:mine"), {"state": "published"})
    assert {row.state for row in response.context["table"].rows} == {"published"}
    response = staff_client.get(reverse("catalog:mine"), {"grade": "secret"})
    assert response.status_code == 200
    assert "secret" in response.context["filter_errors"]


def test_my_resources_answers_htmx_with_the_results_only(staff_client):
    response = staff_client.get(reverse("catalog:mine"), headers={"HX-Request": "true"})
    assert [t.name for t in response.templates][0] == "catalog/_resource_results.html"


def test_register_with_items_generates_the_code_and_shows_it(staff_client):
    response = staff_client.post(reverse("catalog:register"), form_data())
    resource = DataResource.objects.get(title="全区星级饭店名录")
    assert response.status_code == 302 and response["Location"] == resource.get_absolute_url()
    assert resource.code.startswith("304001/")
    assert resource.keywords == ["饭店", "星级", "住宿"]
    assert [(f.name, f.is_authoritative) for f in resource.fields.all()] == [
        ("饭店名称", True),
        ("星级", False),
    ]
    page = staff_client.get(resource.get_absolute_url())
    assert resource.code in page.content.decode()


def test_register_refusal_names_the_field_and_saves_nothing(staff_client):
    before = DataResource.objects.count()
    response = staff_client.post(
        reverse("catalog:register"),
        form_data(grade="general", **{"fields-1-grade": "core", "open_type": "none"}),
    )
    assert response.status_code == 400
    assert response.context["form"].errors["grade"]
    assert DataResource.objects.count() == before


def test_register_without_items_says_so_on_the_items(staff_client):
    data = form_data(**{"fields-TOTAL_FORMS": "1", "fields-0-name": "", "fields-0-column": ""})
    del data["fields-0-is_authoritative"]
    response = staff_client.post(reverse("catalog:register"), data)
    assert response.status_code == 400
    assert response.context["formset"].non_form_errors()


def test_staff_cannot_register_for_another_unit(staff_client):
    response = staff_client.post(reverse("catalog:register"), form_data(provider="nx-education"))
    assert response.status_code == 400
    assert response.context["form"].errors["provider"]
    assert not DataResource.objects.filter(title="全区星级饭店名录").exists()


def test_another_units_resource_page_is_refused(client, sample_catalog, other_staff):
    resource = DataResource.objects.filter(provider__code=CULTURE).first()
    client.force_login(other_staff)
    assert client.get(resource.get_absolute_url()).status_code == 403
    assert client.get(reverse("catalog:edit", args=[resource.pk])).status_code == 403


def test_edit_keeps_a_version_and_the_history_shows_the_diff(staff_client):
    staff_client.post(reverse("catalog:register"), form_data())
    resource = DataResource.objects.get(title="全区星级饭店名录")
    edit = reverse("catalog:edit", args=[resource.pk])
    page = staff_client.get(edit)
    assert page.context["form"].initial["keywords"] == "饭店，星级，住宿"
    data = form_data(summary="新的摘要。", **{"fields-INITIAL_FORMS": "2"})
    response = staff_client.post(edit, data)
    assert response.status_code == 302
    resource.refresh_from_db()
    assert (resource.version, resource.summary) == (2, "新的摘要。")
    history = staff_client.get(reverse("catalog:versions", args=[resource.pk]))
    entry = history.context["history"][0]
    assert entry.version.number == 2
    assert [row.label for row in entry.changed] == ["summary", "version"]
    assert entry.changed[0].after == "新的摘要。"
    assert "新的摘要。" in history.content.decode()


def test_a_grade_change_needs_its_reason(staff_client):
    staff_client.post(reverse("catalog:register"), form_data())
    resource = DataResource.objects.get(title="全区星级饭店名录")
    edit = reverse("catalog:edit", args=[resource.pk])
    data = form_data(grade="important", open_type="none", **{"fields-INITIAL_FORMS": "2"})
    refused = staff_client.post(edit, data)
    assert refused.status_code == 400
    assert refused.context["form"].errors["grade_reason"]
    assert not GradeChange.objects.exists()
    data["grade_reason"] = "含经营主体信息"
    assert staff_client.post(edit, data).status_code == 302
    change = GradeChange.objects.get()
    assert (change.from_grade, change.to_grade, change.reason) == (
        "general",
        "important",
        "含经营主体信息",
    )
    page = staff_client.get(resource.get_absolute_url()).content.decode()
    assert "含经营主体信息" in page


def test_submit_then_withdraw_with_a_reason(staff_client):
    staff_client.post(reverse("catalog:register"), form_data())
    resource = DataResource.objects.get(title="全区星级饭店名录")
    staff_client.post(reverse("catalog:submit", args=[resource.pk]))
    resource.refresh_from_db()
    assert resource.state == "submitted"
    response = staff_client.post(reverse("catalog:withdraw", args=[resource.pk]), {"reason": ""})
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.state == "submitted"
    staff_client.post(reverse("catalog:withdraw", args=[resource.pk]), {"reason": "重复登记"})
    resource.refresh_from_db()
    assert resource.state == "withdrawn"
    page = staff_client.get(resource.get_absolute_url()).content.decode()
    assert "重复登记" in page


def test_a_refused_step_says_why_on_the_resource_page(staff_client):
    resource = DataResource.objects.filter(provider__code=CULTURE, state="published").first()
    response = staff_client.post(reverse("catalog:submit", args=[resource.pk]), follow=True)
    assert response.status_code == 200
    assert any("not possible" in str(m) for m in response.context["messages"])


def test_upload_a_distribution_on_the_resource_page(staff_client):
    resource = DataResource.objects.filter(provider__code=CULTURE).first()
    upload = SimpleUploadedFile("hotels.csv", "name,stars\n银川饭店,4\n".encode(), "text/csv")
    response = staff_client.post(
        reverse("catalog:add_distribution", args=[resource.pk]),
        {"title": "饭店（CSV）", "kind": "file", "file": upload},
    )
    assert response.status_code == 302
    distribution = resource.distributions.get(title="饭店（CSV）")
    assert (distribution.format, distribution.byte_size) == ("CSV", 26)
    assert len(distribution.checksum) == 64
    assert AuditEvent.objects.filter(action="catalog.add_distribution").exists()


def test_a_link_without_its_address_is_refused_by_field(staff_client):
    resource = DataResource.objects.filter(provider__code=CULTURE).first()
    before = resource.distributions.count()
    response = staff_client.post(
        reverse("catalog:add_distribution", args=[resource.pk]),
        {"title": "接口", "kind": "link", "url": ""},
        follow=True,
    )
    assert resource.distributions.count() == before
    assert [str(m) for m in response.context["messages"]] == ["Give the address."]


def test_an_administrator_registers_for_any_unit(client, sample_catalog, matrix_world):
    client.force_login(matrix_world.users["administrator"])
    response = client.post(reverse("catalog:register"), form_data(provider="nx-education"))
    assert response.status_code == 302
    resource = DataResource.objects.get(title="全区星级饭店名录")
    assert resource.provider == Unit.objects.get(code="nx-education")


def test_services_used_by_the_pages_are_the_audited_ones(staff_client):
    staff_client.post(reverse("catalog:register"), form_data())
    resource = DataResource.objects.get(title="全区星级饭店名录")
    assert AuditEvent.objects.filter(action="catalog.register", object_id=resource.pk).exists()
    assert services.snapshot(resource)["title"] == "全区星级饭店名录"


ENGLISH_WORDS = re.compile(r"\b(?!CSV\b|XLSX\b|JSON\b|SM3\b)[A-Za-z]{4,}\b")


def visible_words(html: str) -> set[str]:
    """English words in the page's main text, leaving out the data's own identifiers."""
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    text = re.sub(r"<[^>]+>", " ", main.split(">", 1)[1])
    return set(ENGLISH_WORDS.findall(text))


def test_the_pages_are_chinese_by_default(client, sample_catalog, provider_staff):
    client.force_login(provider_staff)
    resource = DataResource.objects.filter(provider__code=CULTURE).order_by("pk").first()
    # The data's own identifiers (column names, address names) are the only latin words.
    identifiers = {resource.name, *resource.fields.values_list("column", flat=True)}
    identifiers |= {part for word in identifiers for part in re.split(r"[-_]", word)}
    pages = {
        reverse("catalog:mine"): "我的数据资源",
        reverse("catalog:register"): "登记资源",
        resource.get_absolute_url(): "信息项",
        reverse("catalog:edit", args=[resource.pk]): "级别变更理由",
        reverse("catalog:versions", args=[resource.pk]): "版本历史",
    }
    for path, heading in pages.items():
        html = client.get(path, headers={"Accept-Language": "zh-hans"}).content.decode()
        assert heading in html, path
        assert visible_words(html) - identifiers == set(), path
