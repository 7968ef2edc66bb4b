"""Who may use the CKAN Action API's routes: its reads are everyone's (what each caller sees
differs, tests/catalog_ckan/test_read.py); its writes need an API token of someone who may
manage the dataset's provider unit (``manage_catalog``), organizations an administrator's."""

import pytest
from django.core.files.base import ContentFile

from shuzheng.catalog import services
from shuzheng.catalog.choices import DistributionKind, OpenType, ShareType, UpdateFrequency
from shuzheng.catalog.models import ResourceCategory
from tests.permissions import (
    ADMINISTRATORS,
    EVERYONE,
    SUPERVISORS,
    UNIT_MEMBERS,
    Case,
    matrix_test,
)

BASE = "/api/3/action"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def make_objects(world):
    category = None
    for code, level in (("3", "class"), ("399", "item"), ("399001", "category")):
        category = ResourceCategory.objects.create(
            code=code, name="矩阵", level=level, parent=category, slug=f"matrix-{code}"
        )
    resource = services.register_resource(
        actor=None,
        data=services.ResourceInput(
            title="矩阵数据集",
            category=category,
            provider=world.unit,
            summary="矩阵测试。",
            share_type=ShareType.UNCONDITIONAL,
            open_type=OpenType.UNCONDITIONAL,
            update_frequency=UpdateFrequency.YEARLY,
            name="matrix-dataset",
            fields=[services.FieldInput(name="数值", column="a", data_type="integer")],
        ),
    )
    distribution = services.add_distribution(
        actor=None,
        resource=resource,
        data=services.DistributionInput(
            title="矩阵（CSV）",
            kind=DistributionKind.FILE,
            format="CSV",
            upload=ContentFile(b"a\n1\n", name="matrix.csv"),
        ),
    )
    resource = services.publish(actor=None, resource=services.submit(actor=None, resource=resource))
    return {"resource": resource, "distribution": distribution, "category": category}


def read(name, params=""):
    return Case(f"ckan:{name}", path=f"{BASE}/{name}{params}", allowed=EVERYONE)


MATRIX = [
    read("status_show"),
    read("help_show", "?name=package_show"),
    read("package_list"),
    read("package_show", "?id=matrix-dataset"),
    read("package_search", "?q=%E7%9F%A9%E9%98%B5&include_private=true"),
    Case(
        "ckan:resource_show",
        path=lambda w: f"{BASE}/resource_show?id={w.objects['distribution'].pk}",
        allowed=EVERYONE,
    ),
    read("organization_list"),
    read("organization_show", "?id=matrix-unit"),
    read("group_list"),
    read("group_show", "?id=matrix-3"),
    # Any other name: CKAN's 400 "Action name not known", for everyone alike.
    Case("ckan:unknown", path=f"{BASE}/no_such_action", allowed=EVERYONE),
]


def package(world):
    return {
        "name": "matrix-created",
        "title": "矩阵新数据集",
        "notes": "矩阵测试。",
        "owner_org": world.unit.code,
        "category": "399001",
        "share_type": "unconditional",
        "open_type": "unconditional",
        "update_frequency": "yearly",
        "fields": [{"name": "数值", "data_type": "integer"}],
    }


def write(name, json, allowed):
    """A write: a POST with a platform token, as CKAN's clients send it."""
    return Case(
        f"ckan:{name}",
        method="post",
        path=f"{BASE}/{name}",
        json=json,
        auth="token",
        allowed=allowed,
    )


def distribution(**fields):
    return lambda w: {"id": w.objects["distribution"].pk, **fields}


MATRIX += [
    write("package_create", package, UNIT_MEMBERS),
    write("package_update", lambda w: {**package(w), "id": "matrix-dataset"}, UNIT_MEMBERS),
    write("package_patch", {"id": "matrix-dataset", "title": "矩阵数据集（修订）"}, UNIT_MEMBERS),
    # The provider withdraws its own entry; the catalog office any unit's.
    write("package_delete", {"id": "matrix-dataset"}, UNIT_MEMBERS | SUPERVISORS),
    write(
        "resource_create",
        {"package_id": "matrix-dataset", "url": "https://example.org/matrix.csv"},
        UNIT_MEMBERS,
    ),
    write(
        "resource_update",
        distribution(name="矩阵（链接）", url="https://example.org/matrix.json"),
        UNIT_MEMBERS,
    ),
    write("resource_patch", distribution(name="矩阵"), UNIT_MEMBERS),
    write("resource_delete", distribution(), UNIT_MEMBERS),
    write(
        "organization_create",
        {"name": "matrix-new-unit", "title": "矩阵新单位", "region": "649900"},
        ADMINISTRATORS,
    ),
    write(
        "organization_update",
        {"id": "matrix-other-unit", "name": "matrix-other-unit", "title": "矩阵另一单位"},
        ADMINISTRATORS,
    ),
]

test_matrix = matrix_test(MATRIX, setup=make_objects)
