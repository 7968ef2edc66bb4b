"""Who may use the catalog's provider and office pages (issue 11, point 7): a unit's staff
their own unit's entries (manage_catalog), the catalog office every entry (review_catalog),
nobody else any."""

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shuzheng import clock
from shuzheng.catalog import services
from shuzheng.catalog.choices import OpenType, ShareType, UpdateFrequency
from shuzheng.catalog.models import QualityCheck, QualityRun, ResourceCategory
from tests.permissions import (
    EVERYONE,
    SUPERVISORS,
    UNIT_MEMBERS,
    UNIT_READERS,
    Case,
    matrix_test,
)


def make_category():
    category = None
    for code, level in (("3", "class"), ("398", "item"), ("398001", "category")):
        category = ResourceCategory.objects.create(
            code=code, name="矩阵", level=level, parent=category, slug=f"pages-{code}"
        )
    return category


def make_resource(category, unit, name):
    return services.register_resource(
        actor=None,
        data=services.ResourceInput(
            title=f"矩阵资源{name}",
            category=category,
            provider=unit,
            summary="矩阵测试。",
            share_type=ShareType.UNCONDITIONAL,
            open_type=OpenType.UNCONDITIONAL,
            update_frequency=UpdateFrequency.YEARLY,
            name=name,
            fields=[services.FieldInput(name="数值", column="a", data_type="integer")],
        ),
    )


def make_objects(world):
    category = make_category()
    draft = make_resource(category, world.unit, "matrix-draft")
    submitted = services.submit(
        actor=None, resource=make_resource(category, world.unit, "matrix-submitted")
    )
    published = services.publish(
        actor=None,
        resource=services.submit(
            actor=None, resource=make_resource(category, world.unit, "matrix-published")
        ),
    )
    theirs = make_resource(category, world.other_unit, "matrix-theirs")
    check = QualityCheck.objects.create(resource=draft, kind="completeness", column="a")
    services.add_distribution(
        actor=None,
        resource=draft,
        data=services.DistributionInput(
            title="数据", kind="file", format="CSV", upload=SimpleUploadedFile("a.csv", b"a\n1\n")
        ),
    )
    run = QualityRun.objects.create(
        resource=draft, state="done", requested_at=clock.now(), rows=1, failing_row_count=1
    )
    run.failing_rows.save("failing.csv", ContentFile(b"row,a\n1,\n"))
    return {
        "draft": draft,
        "submitted": submitted,
        "published": published,
        "theirs": theirs,
        "check": check,
        "run": run,
    }


def page(name, key="draft"):
    return lambda w: reverse(name, args=[w.objects[key].pk])


REASON = {"reason": "矩阵理由"}

MATRIX = [
    Case("catalog:mine", allowed=UNIT_MEMBERS),
    Case("catalog:register", allowed=UNIT_MEMBERS),
    Case("catalog:review", allowed=SUPERVISORS),
    Case("catalog:statistics", allowed=SUPERVISORS),
    Case("catalog:detail", path=page("catalog:detail"), allowed=UNIT_READERS),
    Case(
        "catalog:detail",
        path=page("catalog:detail", "theirs"),
        allowed=SUPERVISORS,
        label="other-unit",
    ),
    Case("catalog:edit", path=page("catalog:edit"), allowed=UNIT_MEMBERS),
    Case(
        "catalog:edit",
        path=page("catalog:edit", "theirs"),
        allowed={"administrator"},
        label="other-unit",
    ),
    Case("catalog:versions", path=page("catalog:versions"), allowed=UNIT_READERS),
    Case("catalog:submit", method="post", path=page("catalog:submit"), allowed=UNIT_MEMBERS),
    Case(
        "catalog:submit",
        method="post",
        path=page("catalog:submit", "theirs"),
        allowed={"administrator"},
        label="other-unit",
    ),
    Case(
        "catalog:publish",
        method="post",
        path=page("catalog:publish", "submitted"),
        allowed=SUPERVISORS,
    ),
    Case(
        "catalog:return",
        method="post",
        path=page("catalog:return", "submitted"),
        data=REASON,
        allowed=SUPERVISORS,
    ),
    Case(
        "catalog:withdraw",
        method="post",
        path=page("catalog:withdraw", "published"),
        data=REASON,
        allowed=UNIT_READERS,
    ),
    Case(
        "catalog:add_distribution",
        method="post",
        path=page("catalog:add_distribution"),
        data={"title": "接口", "kind": "link", "url": "https://example.org/api"},
        allowed=UNIT_MEMBERS,
    ),
]


def quality_page(name, key):
    return lambda w: reverse(name, args=[w.objects["draft"].pk, w.objects[key].pk])


CHECK_FORM = {"kind": "completeness", "column": "a", "weight": "1", "enabled": "on"}

MATRIX += [
    Case("catalog:quality", path=page("catalog:quality"), allowed=UNIT_READERS),
    Case(
        "catalog:quality",
        path=page("catalog:quality", "theirs"),
        allowed=SUPERVISORS,
        label="other-unit",
    ),
    Case(
        "catalog:quality",
        method="post",
        path=page("catalog:quality"),
        data=CHECK_FORM,
        allowed=UNIT_READERS,
        label="add",
    ),
    Case(
        "catalog:quality_edit",
        path=quality_page("catalog:quality_edit", "check"),
        allowed=UNIT_READERS,
    ),
    Case(
        "catalog:quality_delete",
        method="post",
        path=quality_page("catalog:quality_delete", "check"),
        allowed=UNIT_READERS,
    ),
    Case(
        "catalog:quality_run", method="post", path=page("catalog:quality_run"), allowed=UNIT_READERS
    ),
    Case(
        "catalog:quality_run",
        method="post",
        path=page("catalog:quality_run", "theirs"),
        allowed=SUPERVISORS,
        label="other-unit",
    ),
    Case(
        "catalog:quality_failing_rows",
        path=quality_page("catalog:quality_failing_rows", "run"),
        allowed=UNIT_READERS,
    ),
    Case(
        "catalog:download_distribution",
        path=lambda w: reverse(
            "catalog:download_distribution",
            args=[w.objects["draft"].pk, w.objects["draft"].distributions.get().pk],
        ),
        allowed=UNIT_READERS,
    ),
]


def api(key="", action=""):
    def path(world):
        suffix = f"/{world.objects[key].pk}" if key else ""
        return f"/api/v1/catalog/resources{suffix}{f'/{action}' if action else ''}"

    return path


def resource_body(world):
    return {
        "title": "矩阵接口资源",
        "category": "398001",
        "provider": world.unit.code,
        "summary": "矩阵测试。",
        "share_type": "unconditional",
        "open_type": "none",
        "update_frequency": "yearly",
        "fields": [{"name": "数值", "column": "a", "data_type": "integer"}],
    }


MATRIX += [
    Case("api:catalog_resources_list", allowed=EVERYONE),
    Case("api:catalog_resources_detail", path=api("published"), allowed=EVERYONE),
    Case("api:catalog_resources_detail", path=api("draft"), allowed=UNIT_READERS, label="draft"),
    Case(
        "api:catalog_resources_create",
        method="post",
        json=resource_body,
        allowed=UNIT_MEMBERS,
        auth="token",
    ),
    Case(
        "api:catalog_resources_update",
        method="put",
        path=api("draft"),
        json=resource_body,
        allowed=UNIT_MEMBERS,
        auth="token",
    ),
    Case(
        "api:catalog_resources_submit",
        method="post",
        path=api("draft", "submit"),
        allowed=UNIT_MEMBERS,
        auth="token",
    ),
    Case(
        "api:catalog_resources_publish",
        method="post",
        path=api("submitted", "publish"),
        allowed=SUPERVISORS,
        auth="token",
    ),
    Case(
        "api:catalog_resources_return",
        method="post",
        path=api("submitted", "return"),
        json=REASON,
        allowed=SUPERVISORS,
        auth="token",
    ),
    Case(
        "api:catalog_resources_withdraw",
        method="post",
        path=api("published", "withdraw"),
        json=REASON,
        allowed=UNIT_READERS,
        auth="token",
    ),
]


def quality_api(suffix):
    """A quality path of the API: {draft}, {check} and {run} filled from the world."""

    def path(world):
        objects = world.objects
        return "/api/v1/catalog/" + suffix.format(
            draft=objects["draft"].pk, check=objects["check"].pk, run=objects["run"].pk
        )

    return path


CHECK_BODY = {"kind": "completeness", "column": "a"}

MATRIX += [
    Case(
        "api:catalog_quality_checks_list",
        path=quality_api("resources/{draft}/quality-checks"),
        allowed=UNIT_READERS,
        auth="token",
    ),
    Case(
        "api:catalog_quality_checks_create",
        method="post",
        path=quality_api("resources/{draft}/quality-checks"),
        json=CHECK_BODY,
        allowed=UNIT_READERS,
        auth="token",
    ),
    Case(
        "api:catalog_quality_checks_update",
        method="put",
        path=quality_api("quality-checks/{check}"),
        json=CHECK_BODY,
        allowed=UNIT_READERS,
        auth="token",
    ),
    Case(
        "api:catalog_quality_checks_delete",
        method="delete",
        path=quality_api("quality-checks/{check}"),
        allowed=UNIT_READERS,
        auth="token",
    ),
    Case(
        "api:catalog_quality_runs_create",
        method="post",
        path=quality_api("resources/{draft}/quality-runs"),
        allowed=UNIT_READERS,
        auth="token",
    ),
    Case(
        "api:catalog_quality_runs_list",
        path=quality_api("resources/{draft}/quality-runs"),
        allowed=UNIT_READERS,
        auth="token",
    ),
    Case(
        "api:catalog_quality_runs_detail",
        path=quality_api("quality-runs/{run}"),
        allowed=UNIT_READERS,
        auth="token",
    ),
]

test_permission_matrix = matrix_test(MATRIX, setup=make_objects)
