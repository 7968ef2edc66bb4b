"""Who may read the catalog's DCAT-AP documents, the portal's pages and download its open
files: everyone (the public portal's side of issue 11); what is not public is a 404 for
every role (tests/catalog/test_dcat.py, tests/catalog_portal/test_pages.py)."""

import pytest
from django.core.files.base import ContentFile

from shuzheng.catalog import services
from shuzheng.catalog.choices import DistributionKind, OpenType, ShareType, UpdateFrequency
from shuzheng.catalog.models import ResourceCategory
from tests.permissions import EVERYONE, Case, matrix_test


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
            media_type="text/csv",
            upload=ContentFile(b"a\n1\n", name="matrix.csv"),
        ),
    )
    resource = services.publish(actor=None, resource=services.submit(actor=None, resource=resource))
    return {"resource": resource, "distribution": distribution}


def dataset(suffix=""):
    return lambda w: f"/dataset/{w.objects['resource'].pk}{suffix}"


MATRIX = [
    Case("catalog_dcat:catalog", allowed=EVERYONE),
    Case("catalog_dcat:catalog_document", path="/catalog.ttl", allowed=EVERYONE),
    Case("catalog_dcat:dataset", path=dataset(), allowed=EVERYONE),
    Case("catalog_dcat:dataset_document", path=dataset(".jsonld"), allowed=EVERYONE),
    Case(
        "catalog_dcat:download",
        path=lambda w: (
            f"/dataset/{w.objects['resource'].pk}/resource/{w.objects['distribution'].pk}/download"
        ),
        allowed=EVERYONE,
    ),
    Case("catalog_portal:home", allowed=EVERYONE),
    Case(
        "catalog_portal:dataset",
        path=lambda w: f"/data/dataset/{w.objects['resource'].pk}/",
        allowed=EVERYONE,
    ),
    Case(
        "catalog_portal:distribution",
        path=lambda w: (
            f"/data/dataset/{w.objects['resource'].pk}/resource/{w.objects['distribution'].pk}/"
        ),
        allowed=EVERYONE,
    ),
]

test_permission_matrix = matrix_test(MATRIX, setup=make_objects)
