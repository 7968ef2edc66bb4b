"""Rows of the catalog's quality list APIs for the query budgets (tests/test_query_budgets.py):
checks and runs (each with two results) of one resource of the world's unit, and the pages
that list them: the checks page and the resource page (its runs, results and trend)."""

from django.urls import reverse

from shuzheng import clock
from shuzheng.catalog.models import DataResource, QualityCheck, QualityResult, QualityRun


def the_resource(world) -> DataResource:
    from tests.catalog.test_permissions import make_resource
    from tests.test_query_budgets import the_catalog_category

    found = DataResource.objects.filter(name="budget-quality").first()
    return found or make_resource(the_catalog_category(), world.unit, "budget-quality")


def quality_checks(world, n):
    resource = the_resource(world)
    for _number in range(n):
        QualityCheck.objects.create(resource=resource, kind="completeness", column="a")


def quality_runs(world, n):
    resource = the_resource(world)
    for _number in range(n):
        run = QualityRun.objects.create(
            resource=resource, state="done", requested_at=clock.now(), rows=10, score=90
        )
        for kind in ("completeness", "uniqueness"):
            QualityResult.objects.create(run=run, kind=kind, column="a", checked=10, failed=1)


def checks_path(world) -> str:
    return f"/api/v1/catalog/resources/{the_resource(world).pk}/quality-checks"


def runs_path(world) -> str:
    return f"/api/v1/catalog/resources/{the_resource(world).pk}/quality-runs"


def checks_page(world) -> str:
    return reverse("catalog:quality", args=[the_resource(world).pk])


def resource_page(world) -> str:
    return reverse("catalog:detail", args=[the_resource(world).pk])
