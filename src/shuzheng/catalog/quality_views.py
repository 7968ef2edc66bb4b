"""Pages of a resource's data quality (issue 11, point 4): its declared checks, defined,
edited and deleted by the provider unit's staff and the catalog office; "运行检查", which
queues a worker run; the failing rows of a run as CSV for those who may see the data.

Thin views: every change through ``catalog.quality_services`` (audited, one transaction);
a refused check goes back on the form field it names."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuzheng.catalog import quality_services as qs
from shuzheng.catalog.forms import QualityCheckForm
from shuzheng.catalog.models import QualityCheck, QualityRun
from shuzheng.catalog.services import CatalogError
from shuzheng.catalog.views import _resource_for, _signed_in


def _managed(request, pk: int):
    resource = _resource_for(request, pk)
    if not qs.may_manage_checks(request.user, resource):
        raise PermissionDenied("not this unit's resource")
    return resource


def _check_of(resource, check_id: int) -> QualityCheck:
    try:
        return resource.quality_checks.get(pk=check_id)
    except QualityCheck.DoesNotExist as missing:
        raise Http404("no such check") from missing


def _put_errors(error: CatalogError, form) -> None:
    for key, message in error.errors.items():
        form.add_error(key if key in form.fields else None, message)


@_signed_in
def checks(request, pk: int):
    """数据质量检查: the resource's checks, a form to add one, and "运行检查"."""
    resource = _managed(request, pk)
    form = QualityCheckForm(request.POST or None, resource=resource)
    if request.method == "POST" and form.is_valid():
        try:
            qs.create_check(actor=request.user, resource=resource, data=form.to_input())
        except CatalogError as error:
            _put_errors(error, form)
        else:
            messages.success(request, _("The check was added."))
            return redirect("catalog:quality", pk=resource.pk)
    context = {
        "resource": resource,
        "checks": resource.quality_checks.select_related("field"),
        "form": form,
        "distribution": qs.checkable_distribution(resource),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "catalog/quality_checks.html", context, status=status)


@_signed_in
def edit_check(request, pk: int, check_id: int):
    resource = _managed(request, pk)
    check = _check_of(resource, check_id)
    form = QualityCheckForm(
        request.POST or None,
        resource=resource,
        initial=QualityCheckForm.initial_of(qs.input_of(check)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            qs.update_check(actor=request.user, check=check, data=form.to_input())
        except CatalogError as error:
            _put_errors(error, form)
        else:
            messages.success(request, _("The check was saved."))
            return redirect("catalog:quality", pk=resource.pk)
    status = 400 if request.method == "POST" else 200
    context = {"resource": resource, "check": check, "form": form}
    return render(request, "catalog/quality_check_edit.html", context, status=status)


@require_POST
@_signed_in
def delete_check(request, pk: int, check_id: int):
    resource = _managed(request, pk)
    qs.delete_check(actor=request.user, check=_check_of(resource, check_id))
    messages.success(request, _("The check was deleted."))
    return redirect("catalog:quality", pk=resource.pk)


@require_POST
@_signed_in
def run(request, pk: int):
    """运行检查: queue a worker run over the first readable distribution."""
    resource = _managed(request, pk)
    try:
        qs.queue_run(actor=request.user, resource=resource)
    except CatalogError as error:
        messages.error(request, " ".join(error.errors.values()))
    else:
        messages.success(
            request, _("The checks were queued: the results appear on the resource page.")
        )
    return redirect(resource)


@_signed_in
def failing_rows(request, pk: int, run_id: int):
    """A run's failing rows as CSV: the data itself, so only for who may see it."""
    resource = _resource_for(request, pk)
    if not qs.may_see_rows(request.user, resource):
        raise PermissionDenied("the data's grade keeps its rows from this visitor")
    try:
        quality_run = resource.quality_runs.get(pk=run_id)
    except QualityRun.DoesNotExist as missing:
        raise Http404("no such run") from missing
    if not quality_run.failing_rows:
        raise Http404("the run has no failing rows")
    qs.record_download(actor=request.user, run=quality_run)
    return FileResponse(
        quality_run.failing_rows.open("rb"),
        as_attachment=True,
        filename=f"{resource.code}-quality-{quality_run.pk}.csv",
        content_type="text/csv; charset=utf-8",
    )
