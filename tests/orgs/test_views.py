"""The registry pages, the home page's registry and its query budget, the audited admin."""

import pytest
from django.urls import reverse

from shuzheng.audit.models import AuditEvent
from shuzheng.orgs.models import Unit

pytestmark = pytest.mark.django_db


def test_registry_page_shows_regions_and_units(client, sample_registry):
    body = client.get(reverse("orgs:registry")).content.decode()
    assert "宁夏回族自治区" in body and "海原县" in body
    assert reverse("orgs:unit_detail", args=["nx-finance"]) in body
    assert 'hx-get="/orgs/"' in body


def test_registry_filter_works_without_javascript(client, sample_registry):
    body = client.get(reverse("orgs:registry"), {"q": "证监"}).content.decode()
    assert "中国证券监督管理委员会宁夏监管局" in body
    assert "宁夏回族自治区财政厅" not in body
    assert "<html" in body


def test_registry_filter_answers_htmx_with_the_tree_only(client, sample_registry):
    response = client.get(reverse("orgs:registry"), {"q": "证监"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "中国证券监督管理委员会宁夏监管局" in body
    assert "<html" not in body


def test_registry_filter_without_match(client, sample_registry):
    body = client.get(reverse("orgs:registry"), {"q": "没有这个名字"}).content.decode()
    assert "没有这个名字" in body and "海原县" not in body


def test_a_registry_filter_too_long_filters_nothing_and_says_why(client, sample_registry):
    body = client.get(reverse("orgs:registry"), {"q": "证" * 201}).content.decode()
    assert '<p class="error" role="alert">' in body and "200" in body
    assert "海原县" in body and "证监" in body


def test_registry_page_query_budget(client, sample_registry, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert client.get(reverse("orgs:registry")).status_code == 200


def test_unit_detail(client, sample_registry):
    body = client.get(reverse("orgs:unit_detail", args=["nx-general-office"])).content.decode()
    assert "宁夏回族自治区人民政府办公厅" in body
    assert "自治区政府办公厅" in body  # an alias
    assert reverse("orgs:unit_detail", args=["gov-640000"]) in body  # the parent
    assert "宁夏回族自治区人民政府督查室" in body  # a child


def test_unknown_unit_is_404(client, sample_registry):
    assert client.get(reverse("orgs:unit_detail", args=["no-such-unit"])).status_code == 404


def test_resolve_page(client, sample_registry):
    text = (
        "自治区农业农村厅牵头，各市、县（区）具体负责，自治区有关部门（单位）配合，自治区数据局参与"
    )
    body = client.get(reverse("orgs:resolve"), {"text": text}).content.decode()
    assert "宁夏回族自治区农业农村厅" in body
    assert "海原县人民政府" in body  # a member of 各市、县（区）
    assert "自治区有关部门（单位）" in body
    assert "自治区数据局" in body and 'class="message message-error"' in body


def test_resolve_page_without_text_shows_the_form(client):
    body = client.get(reverse("orgs:resolve")).content.decode()
    assert 'name="text"' in body and 'class="message message-error"' not in body


def test_home_page_shows_the_registry_within_budget(
    client, sample_registry, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        body = client.get(reverse("home")).content.decode()
    assert "宁夏回族自治区" in body and "中卫市" in body


@pytest.fixture
def admin_client_of_role(client, django_user_model):
    user = django_user_model.objects.create(username="registrar", role="administrator")
    client.force_login(user)
    return client


def test_admin_edit_is_audited(admin_client_of_role, sample_registry):
    unit = Unit.objects.get(code="nx-finance")
    url = reverse("admin:orgs_unit_change", args=[unit.pk])
    response = admin_client_of_role.post(
        url,
        {
            "code": unit.code,
            "name": unit.name,
            "short_name": "财政厅",
            "aliases": '["自治区财政厅", "财政部门"]',
            "kind": unit.kind,
            "region": unit.region_id,
            "parent": unit.parent_id,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="orgs.unit.update")
    assert event.actor_name == "registrar"
    assert event.after["aliases"] == ["自治区财政厅", "财政部门"]


def test_admin_delete_is_audited(admin_client_of_role, sample_registry):
    unit = Unit.objects.get(code="nx-ningxia-university")
    url = reverse("admin:orgs_unit_delete", args=[unit.pk])
    assert admin_client_of_role.post(url, {"post": "yes"}).status_code == 302
    assert not Unit.objects.filter(code="nx-ningxia-university").exists()
    assert AuditEvent.objects.get(action="orgs.unit.delete").actor_name == "registrar"


def test_admin_lists_and_searches(admin_client_of_role, sample_registry):
    response = admin_client_of_role.get(reverse("admin:orgs_unit_changelist"), {"q": "发改委"})
    assert "宁夏回族自治区发展和改革委员会" in response.content.decode()
    assert admin_client_of_role.get(reverse("admin:orgs_region_changelist")).status_code == 200
    assert admin_client_of_role.get(reverse("admin:orgs_unitgroup_changelist")).status_code == 200
