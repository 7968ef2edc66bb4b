"""Registering, editing (versions, grades with reasons) and the review workflow."""

import pytest
from django.core.exceptions import PermissionDenied

from shuzheng.audit.models import AuditEvent
from shuzheng.catalog import services
from shuzheng.catalog.models import DataResource, GradeChange, ResourceCategory
from shuzheng.catalog.samples import load_categories, load_sample_catalog
from shuzheng.orgs.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenic(registry):
    load_categories(
        [["3", "部门信息资源", ""], ["304", "文化旅游", "3"], ["304001", "旅游景区", "304"]]
    )
    return ResourceCategory.objects.get(code="304001")


def entry(category, **changes):
    data = services.ResourceInput(
        title="旅游景区名录",
        category=category,
        provider=Unit.objects.get(code="nx-culture-tourism"),
        summary="景区名录。",
        share_type="unconditional",
        open_type="unconditional",
        update_frequency="yearly",
        fields=[
            services.FieldInput(name="景区名称", data_type="string"),
            services.FieldInput(name="等级", data_type="string"),
        ],
    )
    for name, value in changes.items():
        setattr(data, name, value)
    return data


def test_register_generates_the_code_and_name_and_keeps_a_version(scenic, provider_staff):
    resource = services.register_resource(actor=provider_staff, data=entry(scenic))
    again = services.register_resource(actor=provider_staff, data=entry(scenic, title="另一个"))
    assert (resource.code, again.code) == ("304001/000001", "304001/000002")
    assert resource.name == "res-304001-000001"
    assert resource.state == "draft"
    assert [f.name for f in resource.fields.all()] == ["景区名称", "等级"]
    assert resource.versions.get().snapshot["fields"][0]["name"] == "景区名称"
    assert AuditEvent.objects.filter(action="catalog.register", object_id=resource.pk).exists()


def test_a_unit_registers_only_for_itself(scenic, other_staff):
    with pytest.raises(PermissionDenied):
        services.register_resource(actor=other_staff, data=entry(scenic))
    assert not DataResource.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"code": "304002/000001"}, "code"),
        ({"code": "304001/1"}, "code"),
        ({"name": "Not A Slug"}, "name"),
        ({"title": " "}, "title"),
        ({"fields": []}, "fields"),
        (
            {
                "fields": [
                    services.FieldInput(name="a", data_type="string"),
                    services.FieldInput(name="a", data_type="string"),
                ]
            },
            "fields",
        ),
        (
            {
                "grade": "important",
                "open_type": "none",
                "fields": [services.FieldInput(name="a", data_type="string", grade="core")],
            },
            "grade",
        ),
        ({"grade": "core"}, "open_type"),
    ],
)
def test_bad_entries_are_refused_by_field(scenic, provider_staff, changes, field):
    with pytest.raises(services.CatalogError) as caught:
        services.register_resource(actor=provider_staff, data=entry(scenic, **changes))
    assert field in caught.value.errors
    assert not DataResource.objects.exists()


def test_duplicate_code_is_refused(scenic, provider_staff):
    services.register_resource(actor=provider_staff, data=entry(scenic, code="304001/000005"))
    with pytest.raises(services.CatalogError) as caught:
        services.register_resource(actor=provider_staff, data=entry(scenic, code="304001/000005"))
    assert "code" in caught.value.errors


def test_workflow_submit_return_resubmit_publish_withdraw(scenic, provider_staff, office):
    resource = services.register_resource(actor=provider_staff, data=entry(scenic))
    with pytest.raises(PermissionDenied):
        services.publish(actor=provider_staff, resource=resource)
    resource = services.submit(actor=provider_staff, resource=resource)
    with pytest.raises(services.CatalogError):
        services.return_resource(actor=office, resource=resource, reason=" ")
    resource = services.return_resource(actor=office, resource=resource, reason="补充摘要")
    assert (resource.state, resource.return_reason) == ("returned", "补充摘要")
    assert not resource.is_public
    resource = services.submit(actor=provider_staff, resource=resource)
    resource = services.publish(actor=office, resource=resource)
    assert resource.state == "published" and resource.is_public
    assert resource.published_on is not None
    assert DataResource.objects.open_to_public().filter(pk=resource.pk).exists()
    with pytest.raises(services.CatalogError):
        services.publish(actor=office, resource=resource)
    resource = services.withdraw(actor=provider_staff, resource=resource, reason="数据停止更新")
    assert resource.state == "withdrawn" and not resource.is_public
    steps = list(resource.workflow_steps.values_list("to_state", "reason"))
    assert steps == [
        ("submitted", ""),
        ("returned", "补充摘要"),
        ("submitted", ""),
        ("published", ""),
        ("withdrawn", "数据停止更新"),
    ]
    actions = set(AuditEvent.objects.filter(object_id=resource.pk).values_list("action", flat=True))
    assert {"catalog.submit", "catalog.return", "catalog.publish", "catalog.withdraw"} <= actions


def test_editing_a_published_entry_is_a_new_version_reviewed_again(scenic, provider_staff, office):
    resource = services.register_resource(actor=provider_staff, data=entry(scenic))
    services.submit(actor=provider_staff, resource=resource)
    services.publish(actor=office, resource=resource)
    resource = services.update_resource(
        actor=provider_staff, resource=resource, data=entry(scenic, summary="新摘要。")
    )
    assert (resource.state, resource.version, resource.summary) == ("draft", 2, "新摘要。")
    versions = list(resource.versions.values_list("number", "note"))
    assert versions == [(2, "edited"), (1, "published")]
    assert not resource.is_public


def test_grade_change_needs_a_reason_and_is_recorded(scenic, provider_staff):
    resource = services.register_resource(actor=provider_staff, data=entry(scenic))
    raised = entry(
        scenic,
        grade="important",
        open_type="none",
        fields=[
            services.FieldInput(name="景区名称", data_type="string"),
            services.FieldInput(name="等级", data_type="string", grade="important"),
        ],
    )
    with pytest.raises(services.CatalogError) as caught:
        services.update_resource(actor=provider_staff, resource=resource, data=raised)
    assert "grade_reason" in caught.value.errors
    resource.refresh_from_db()
    assert resource.grade == "general" and resource.version == 1
    services.update_resource(
        actor=provider_staff, resource=resource, data=raised, grade_reason="含经营敏感信息"
    )
    changes = set(GradeChange.objects.values_list("field_name", "from_grade", "to_grade", "reason"))
    assert changes == {
        ("", "general", "important", "含经营敏感信息"),
        ("等级", "general", "important", "含经营敏感信息"),
    }
    assert AuditEvent.objects.filter(action="catalog.change_grade").count() == 2


def test_submitted_entries_wait_for_review(scenic, provider_staff):
    resource = services.register_resource(actor=provider_staff, data=entry(scenic))
    services.submit(actor=provider_staff, resource=resource)
    with pytest.raises(services.CatalogError) as caught:
        services.update_resource(actor=provider_staff, resource=resource, data=entry(scenic))
    assert "state" in caught.value.errors


def test_sample_catalog_loads_once_with_every_state_and_no_open_core_data(registry):
    assert "16 sample resources" in load_sample_catalog()
    assert load_sample_catalog() == "loaded before, kept"
    states = set(DataResource.objects.values_list("state", flat=True))
    assert states == {"published", "submitted", "returned", "draft"}
    assert DataResource.objects.filter(is_sample=False).count() == 0
    public = DataResource.objects.open_to_public()
    assert public.count() == 10
    assert not public.filter(grade__in=["core", "important"]).exists()
    core = DataResource.objects.get(grade="core")
    assert core.state == "published" and not core.is_public
    scenic_spots = DataResource.objects.get(name="nx-a-level-scenic-spots")
    distribution = scenic_spots.distributions.get()
    assert distribution.byte_size == distribution.file.size and len(distribution.checksum) == 64
    assert "示例" in distribution.file.open().read().decode("utf-8")
