"""JSON API of the catalog's data quality (issue 11, point 4), under /api/v1/catalog/: a
resource's declared checks (list, create, update, delete), queuing a run, and the runs with
their per-check results.

Who: the provider unit's staff (``manage_catalog`` for the provider) and the catalog office
(``review_catalog``), as in the pages. Every change goes through
``catalog.quality_services`` (one transaction, audited); a refused check answers 422 naming
its fields. The first failing values of a result are the data itself: they are given only
to who may see the rows (``quality_services.may_see_rows``), else an empty list.
"""

import datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.pagination import paginate

from shuzheng.accounts.api_auth import SIGNED_IN
from shuzheng.accounts.authorization import api_principal, check_api_perm
from shuzheng.api_contract import ErrorOut, Id, InputSchema, Pagination, Text
from shuzheng.catalog import quality_services as qs
from shuzheng.catalog import selectors
from shuzheng.catalog.choices import CheckKind
from shuzheng.catalog.models import DataResource, QualityCheck, QualityRun
from shuzheng.catalog.services import CatalogError

router = Router(tags=["catalog"])

CheckKindCode = Literal[tuple(CheckKind.values)]


class QualityCheckOut(Schema):
    id: int
    kind: str
    column: str
    parameters: dict
    weight: int
    enabled: bool


class QualityCheckIn(InputSchema):
    """A check: ``pattern`` for format (else the item's data type), ``minimum`` /
    ``maximum`` for range, ``reference`` (a resource code) and ``reference_column`` for
    referential integrity (the referenced column) and cross-source agreement (the key)."""

    kind: CheckKindCode
    column: Text = Field(max_length=128)
    pattern: Text = Field("", max_length=500)
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    reference: Text = Field("", max_length=40)
    reference_column: Text = Field("", max_length=128)
    weight: int = Field(1, ge=1, le=100)
    enabled: bool = True


class QualityResultOut(Schema):
    check_id: int | None
    kind: str
    column: str
    checked: int
    failed: int
    passed: bool
    #: The first failures (row, value); empty for who may not see the data.
    examples: list[dict]


class QualityRunOut(Schema):
    id: int
    state: str
    distribution: str
    requested_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    rows: int
    failing_rows: int
    score: Decimal | None
    error: str
    #: The failing rows as CSV, when there are any and the caller may see them.
    failing_rows_url: str
    results: list[QualityResultOut]


def _resource(request, resource_id: int, *, manage: bool = False) -> DataResource:
    """The resource if the caller reads it (its provider's staff, the catalog office); with
    ``manage``, also the write right (and a token's ``write`` scope) to change its checks or
    queue a run: ``manage_catalog`` for the provider, else ``review_catalog``."""
    resource = get_object_or_404(
        DataResource.objects.select_related(*selectors.LISTED), pk=resource_id
    )
    user = api_principal(request)
    if not getattr(user, "is_authenticated", False):
        raise AuthenticationError()
    if not qs.may_manage_checks(user, resource):
        raise HttpError(403, "not this unit's resource")
    if manage:
        if selectors.can_manage(user, resource):
            check_api_perm(request, "manage_catalog", resource.provider)
        else:
            check_api_perm(request, "review_catalog")
    return resource


def _check(request, check_id: int) -> QualityCheck:
    check = get_object_or_404(QualityCheck, pk=check_id)
    _resource(request, check.resource_id, manage=True)
    return check


def _refused(error: CatalogError) -> Status:
    return Status(
        422,
        {
            "detail": [
                {"type": "catalog", "loc": ["body", key], "msg": message}
                for key, message in error.errors.items()
            ]
        },
    )


def _input(payload: QualityCheckIn) -> qs.CheckInput:
    return qs.CheckInput(**payload.dict())


def _run_out(run: QualityRun, *, rows_visible: bool) -> dict:
    url = ""
    if run.failing_rows and rows_visible:
        url = reverse("catalog:quality_failing_rows", args=[run.resource_id, run.pk])
    return {
        "id": run.pk,
        "state": run.state,
        "distribution": run.distribution.title if run.distribution else "",
        "requested_at": run.requested_at,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "rows": run.rows,
        "failing_rows": run.failing_row_count,
        "score": run.score,
        "error": run.error,
        "failing_rows_url": url,
        "results": [
            {
                "check_id": result.quality_check_id,
                "kind": result.kind,
                "column": result.column,
                "checked": result.checked,
                "failed": result.failed,
                "passed": result.checked > 0 and result.failed == 0,
                "examples": result.examples if rows_visible else [],
            }
            for result in run.results.all()
        ],
    }


@router.get(
    "/resources/{resource_id}/quality-checks",
    response=list[QualityCheckOut],
    operation_id="catalog_quality_checks_list",
    auth=SIGNED_IN,
)
@paginate(Pagination, page_size=50)
def list_checks(request, resource_id: Id):
    """The resource's declared checks, in the order each run applies them."""
    return _resource(request, resource_id).quality_checks.all()


@router.post(
    "/resources/{resource_id}/quality-checks",
    response={201: QualityCheckOut, 422: ErrorOut},
    operation_id="catalog_quality_checks_create",
    auth=SIGNED_IN,
)
def create_check(request, resource_id: Id, payload: QualityCheckIn):
    """Declare a check of the resource's data."""
    resource = _resource(request, resource_id, manage=True)
    try:
        check = qs.create_check(
            actor=api_principal(request), resource=resource, data=_input(payload)
        )
    except CatalogError as error:
        return _refused(error)
    return Status(201, check)


@router.put(
    "/quality-checks/{check_id}",
    response={200: QualityCheckOut, 422: ErrorOut},
    operation_id="catalog_quality_checks_update",
    auth=SIGNED_IN,
)
def update_check(request, check_id: Id, payload: QualityCheckIn):
    """Replace a check's kind, column and parameters."""
    check = _check(request, check_id)
    try:
        check = qs.update_check(actor=api_principal(request), check=check, data=_input(payload))
    except CatalogError as error:
        return _refused(error)
    return Status(200, check)


@router.delete(
    "/quality-checks/{check_id}",
    response={204: None},
    operation_id="catalog_quality_checks_delete",
    auth=SIGNED_IN,
)
def delete_check(request, check_id: Id):
    """Delete a check; the results of past runs stay."""
    qs.delete_check(actor=api_principal(request), check=_check(request, check_id))
    return Status(204, None)


@router.post(
    "/resources/{resource_id}/quality-runs",
    response={202: QualityRunOut, 422: ErrorOut},
    operation_id="catalog_quality_runs_create",
    auth=SIGNED_IN,
)
def run_checks(request, resource_id: Id):
    """运行检查: queue a worker run of the enabled checks over the first readable
    distribution (a CSV, Excel or JSON file, or a database table); 202 with the queued run."""
    resource = _resource(request, resource_id, manage=True)
    user = api_principal(request)
    try:
        run = qs.queue_run(actor=user, resource=resource)
    except PermissionDenied as denied:
        raise HttpError(403, "not this unit's resource") from denied
    except CatalogError as error:
        return _refused(error)
    return Status(202, _run_out(run, rows_visible=qs.may_see_rows(user, resource)))


@router.get(
    "/resources/{resource_id}/quality-runs",
    response=list[QualityRunOut],
    operation_id="catalog_quality_runs_list",
    auth=SIGNED_IN,
)
@paginate(Pagination, page_size=20)
def list_runs(request, resource_id: Id):
    """The resource's runs with their per-check results, the newest first."""
    resource = _resource(request, resource_id)
    visible = qs.may_see_rows(api_principal(request), resource)
    runs = resource.quality_runs.select_related("distribution").prefetch_related("results")
    return _Runs(runs, visible)


@router.get(
    "/quality-runs/{run_id}",
    response=QualityRunOut,
    operation_id="catalog_quality_runs_detail",
    auth=SIGNED_IN,
)
def run_detail(request, run_id: Id):
    """One run with its per-check results."""
    run = get_object_or_404(
        QualityRun.objects.select_related("distribution").prefetch_related("results"), pk=run_id
    )
    resource = _resource(request, run.resource_id)
    return _run_out(run, rows_visible=qs.may_see_rows(api_principal(request), resource))


class _Runs:
    """The runs as the paginator slices them, each given out with its results."""

    def __init__(self, rows, rows_visible: bool):
        self.rows, self.rows_visible = rows, rows_visible

    def __len__(self) -> int:
        return self.rows.count()

    def count(self) -> int:
        return self.rows.count()

    def __getitem__(self, window):
        return [_run_out(run, rows_visible=self.rows_visible) for run in self.rows[window]]
