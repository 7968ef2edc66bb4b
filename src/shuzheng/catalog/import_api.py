"""JSON API of the catalog import (issue 11, point 2): /api/v1/catalog/imports.

``POST`` a workbook (multipart field ``file``; ``provider`` a unit code, ``all_or_nothing``)
and the worker imports it: the answer is 202 with the job and its ``status_url``. ``GET``
the job for its state, phase, progress and, once finished, the resources created and
updated and every problem by row and column, worded in the request's language. A provider
unit's staff import for their unit, the catalog office for any unit
(``imports.may_import``); a job is read by who queued it, its unit's staff and the office.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext
from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from shuzheng.accounts.api_auth import SIGNED_IN
from shuzheng.accounts.authorization import api_principal, check_api_perm, has_perm
from shuzheng.api_contract import ErrorOut, Id
from shuzheng.catalog import imports, workbook
from shuzheng.catalog.models import ImportJob
from shuzheng.documents.api import UnitRefOut
from shuzheng.orgs.models import Unit

router = Router(tags=["catalog"])


class CatalogImportProblemOut(Schema):
    code: str
    row: int | None
    column: str | None
    header: str | None
    message: str


class CatalogImportProgressOut(Schema):
    rows_read: int
    rows_total: int
    resources_written: int
    resources_total: int


class CatalogImportJobOut(Schema):
    id: int
    file: str
    provider: UnitRefOut | None
    all_or_nothing: bool
    state: str
    phase: str
    progress: CatalogImportProgressOut
    created: int
    updated: int
    errors: list[CatalogImportProblemOut]
    status_url: str
    created_at: datetime.datetime
    finished_at: datetime.datetime | None


def _job_out(job: ImportJob) -> dict:
    problems = []
    for data in job.errors:
        problem = workbook.Problem.from_dict(data)
        message = gettext(workbook.MESSAGES[problem.code]).format(**problem.params)
        problems.append(
            {
                "code": problem.code,
                "row": problem.row,
                "column": problem.column,
                "header": problem.header,
                "message": message,
            }
        )
    return {
        "id": job.pk,
        "file": job.original_name,
        "provider": job.provider,
        "all_or_nothing": job.all_or_nothing,
        "state": job.state,
        "phase": job.phase,
        "progress": {
            "rows_read": job.done_rows,
            "rows_total": job.total_rows,
            "resources_written": job.done_resources,
            "resources_total": job.total_resources,
        },
        "created": job.created_resources,
        "updated": job.updated_resources,
        "errors": problems,
        "status_url": reverse("api:catalog_imports_detail", kwargs={"job_id": job.pk}),
        "created_at": job.created_at,
        "finished_at": job.finished_at,
    }


def _check_importer(request, provider: Unit | None) -> None:
    """The office (``review_catalog``) for any unit, else ``manage_catalog`` for the unit."""
    user = api_principal(request)
    if has_perm(user, "review_catalog"):
        check_api_perm(request, "review_catalog")
    else:
        check_api_perm(request, "manage_catalog", provider)


@router.post(
    "/imports",
    response={202: CatalogImportJobOut, 400: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    operation_id="catalog_imports_create",
    auth=SIGNED_IN,
)
def create_import(
    request,
    file: File[UploadedFile],
    provider: Form[str] = "",
    all_or_nothing: Form[bool] = False,
):
    """Queue the import of a catalog workbook (multipart field ``file``: .xlsx, or CSV in
    UTF-8 or GB18030). ``provider`` (a unit code) is the only unit its rows may name; empty,
    the caller's unit, or for the catalog office the units the rows name. With
    ``all_or_nothing`` nothing lands when any row is invalid, else the valid rows land.
    A file over the size limit or not a workbook answers 400 and nothing is kept."""
    user = api_principal(request)
    unit = None
    if provider:
        unit = Unit.objects.filter(code=provider).first()
        if unit is None:
            raise HttpError(422, f"there is no unit with code {provider!r}")
    elif not has_perm(user, "review_catalog"):
        unit = getattr(user, "unit", None)
        if unit is None:
            raise HttpError(422, "name the provider unit (field 'provider')")
    _check_importer(request, unit)
    try:
        workbook.check_size(file.size, settings.CATALOG_IMPORT_MAX_MB)
        workbook.detect_kind(file.name or "", file.read(8))
        file.seek(0)
        job = imports.queue_import(file, actor=user, provider=unit, all_or_nothing=all_or_nothing)
    except workbook.WorkbookError as exc:
        return Status(400, {"detail": " ".join(imports.describe(p) for p in exc.problems)})
    except PermissionDenied as denied:
        raise HttpError(403, "permission 'manage_catalog' required for this unit") from denied
    return Status(202, _job_out(job))


@router.get(
    "/imports/{job_id}",
    response={200: CatalogImportJobOut, 403: ErrorOut},
    operation_id="catalog_imports_detail",
    url_name="catalog_imports_detail",
    auth=SIGNED_IN,
)
def import_detail(request, job_id: Id):
    """A queued import: ``queued``, ``running`` (phase ``read``, ``check``, ``write``, with
    the counts), then ``done`` with the resources created and updated and the problems, or
    ``failed``. Read by who queued it, the staff of its unit and the catalog office."""
    job = get_object_or_404(ImportJob.objects.select_related("provider"), pk=job_id)
    user = api_principal(request)
    if has_perm(user, "review_catalog"):
        check_api_perm(request, "review_catalog")
    elif job.created_by_id != user.pk:
        check_api_perm(request, "manage_catalog", job.provider)
        if job.provider is None:
            raise HttpError(403, "not this caller's import")
    return _job_out(job)
