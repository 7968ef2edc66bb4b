"""The catalog import page (issue 11, point 2): upload a workbook, follow its import by the
worker (a progress bar htmx polls), then read the report — the resources landed and every
problem by row and column — and download the problems as a workbook.

A provider unit's staff import for their unit, the catalog office for any
(``imports.may_import``); a job is seen by who queued it, the office, and the staff of the
unit it was queued for."""

from __future__ import annotations

import io

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.encoding import escape_uri_path
from django.utils.translation import gettext as _
from openpyxl import Workbook

from shuzheng.accounts.authorization import has_perm
from shuzheng.catalog import imports, selectors
from shuzheng.catalog.choices import JobState
from shuzheng.catalog.forms import ImportForm
from shuzheng.catalog.models import ImportJob
from shuzheng.catalog.views import _signed_in
from shuzheng.catalog.workbook import Problem, WorkbookError
from shuzheng.orgs.models import Unit
from shuzheng.workbooks import fill_sheet

#: The jobs listed under the form.
RECENT_JOBS = 10


def _may_import(user) -> bool:
    return has_perm(user, "review_catalog") or has_perm(user, "manage_catalog")


def _units(user):
    """The providers the visitor imports for: every unit for the office, else their own."""
    if has_perm(user, "review_catalog"):
        return Unit.objects.order_by("code")
    return selectors.manageable_units(user)


def _visible_jobs(user):
    jobs = ImportJob.objects.select_related("provider", "created_by")
    if has_perm(user, "review_catalog"):
        return jobs
    unit_id = getattr(user, "unit_id", None)
    own = jobs.filter(created_by=user)
    return own | jobs.filter(provider_id=unit_id) if unit_id else own


@_signed_in
def upload(request):
    """导入目录: the form, the template's link and the visitor's recent imports."""
    user = request.user
    if not _may_import(user):
        raise PermissionDenied("manage_catalog or review_catalog required")
    any_unit = has_perm(user, "review_catalog")
    form = ImportForm(
        request.POST or None, request.FILES or None, units=_units(user), any_unit=any_unit
    )
    if request.method == "POST" and form.is_valid():
        try:
            job = imports.queue_import(
                form.cleaned_data["file"],
                actor=user,
                provider=form.cleaned_data["provider"],
                all_or_nothing=form.cleaned_data["mode"] == "all",
            )
        except WorkbookError as exc:
            form.add_error("file", [imports.describe(problem) for problem in exc.problems])
        else:
            return redirect("catalog:import_job", pk=job.pk)
    context = {
        "form": form,
        "jobs": _visible_jobs(user)[:RECENT_JOBS],
        "max_mb": settings.CATALOG_IMPORT_MAX_MB,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "catalog/import.html", context, status=status)


def _job_for(request, pk: int) -> ImportJob:
    try:
        job = ImportJob.objects.select_related("provider", "created_by").get(pk=pk)
    except ImportJob.DoesNotExist as missing:
        raise Http404("no such import") from missing
    if not _visible_jobs(request.user).filter(pk=job.pk).exists():
        raise PermissionDenied("not this visitor's import")
    return job


def _problems(job: ImportJob) -> list[dict]:
    rows = []
    for data in job.errors:
        problem = Problem.from_dict(data)
        message = _(imports.workbook.MESSAGES[problem.code]).format(**problem.params)
        rows.append(
            {
                "row": problem.row,
                "column": problem.column,
                "header": problem.header,
                "message": message,
            }
        )
    return rows


def _progress(job: ImportJob) -> dict:
    """The bar's value and maximum: rows read while reading, then resources written."""
    if job.phase in ("check", "write"):
        done, total = job.done_resources, job.total_resources
    else:
        done, total = job.done_rows, job.total_rows
    percent = round(100 * done / total) if total else 0
    return {"done": done, "total": total, "percent": min(percent, 100)}


@_signed_in
def job(request, pk: int):
    """An import's progress (htmx polls the fragment until the job is finished), then its
    report."""
    job = _job_for(request, pk)
    finished = job.state in (JobState.DONE, JobState.FAILED)
    context = {
        "job": job,
        "finished": finished,
        "progress": _progress(job),
        "problems": _problems(job) if finished else [],
    }
    partial = request.headers.get("HX-Request")
    template = "catalog/_import_job.html" if partial else "catalog/import_job.html"
    return render(request, template, context)


@_signed_in
def job_errors(request, pk: int):
    """The problems of a finished import as a workbook: row, column, header, message."""
    job = _job_for(request, pk)
    if job.state not in (JobState.DONE, JobState.FAILED) or not job.errors:
        raise Http404("the import has no problems to download")
    book = Workbook()
    headers = [_("Row"), _("Column"), _("Header"), _("Problem")]
    rows = [
        [problem["row"] or "", problem["column"] or "", problem["header"] or "", problem["message"]]
        for problem in _problems(job)
    ]
    title = _("Problems of the import of %(name)s") % {"name": job.original_name}
    fill_sheet(book.active, headers, rows, title, max_width=80)
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = _("import-problems-%(id)s.xlsx") % {"id": job.pk}
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
    return response


@_signed_in
def template(request):
    """The empty workbook with its headers and one filled example row, to start from."""
    if not _may_import(request.user):
        raise PermissionDenied("manage_catalog or review_catalog required")
    out = io.BytesIO()
    imports.write_xlsx(out, imports.workbook.example_rows(), title=imports.workbook.TITLE)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"{imports.workbook.TITLE}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
    return response
