"""Who may use the CKAN Action API's routes: its reads are everyone's (what each caller sees
differs, tests/catalog_ckan/test_read.py); its writes need an API token of someone who may
manage the dataset's provider unit (``manage_catalog``), organizations an administrator's."""

import pytest
from django.core.files.base import ContentFile

from shuzheng.catalog import services
from shuzheng.catalog.choices import DistributionKind, OpenType, ShareType, UpdateFrequency
from shuzheng.catalog.models import ResourceCategory
from tests.permissions import EVERYONE, Case, matrix_test

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

test_matrix = matrix_test(MATRIX, setup=make_objects)
