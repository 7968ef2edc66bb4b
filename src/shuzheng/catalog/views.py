"""Pages of the data catalog for providers and the catalog office (issue 11, point 7).

Thin views: rows through ``catalog.selectors`` and the FilterSets, every change through
``catalog.services``; a refused change (:class:`services.CatalogError`) goes back on the form
field it names, with nothing saved. The public portal is not here (``portal_*``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuzheng.accounts.authorization import require_perm
from shuzheng.catalog import dcat_views, preview_selectors, quality_services, selectors, services
from shuzheng.catalog.choices import DistributionKind, State
from shuzheng.catalog.filtersets import ResourceFilterSet, ReviewQueueFilterSet
from shuzheng.catalog.forms import (
    DataFieldFormSet,
    DistributionForm,
    ReasonForm,
    ResourceEditForm,
    ResourceForm,
    field_initial,
)
from shuzheng.catalog.models import DataResource, ResourceCategory
from shuzheng.catalog.tables import ResourceTable, ReviewQueueTable
from shuzheng.lists import ObjectListView
from shuzheng.orgs.models import Unit

PAGE_SIZE = 25
#: The resource form's field a service error key belongs to; the others go above the form.
FORM_FIELDS = frozenset(ResourceEditForm.base_fields)


class MyResourcesView(ObjectListView):
    """我的数据资源: the visitor's unit's entries in every state, filtered and sorted."""

    filterset_class = ResourceFilterSet
    table_class = ResourceTable
    template_name = "catalog/mine.html"
    partial_template_name = "catalog/_resource_results.html"
    paginate_by = PAGE_SIZE

    def get_rows(self):
        return selectors.provider_resources(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not self.request.headers.get("HX-Request"):
            context["categories"] = ResourceCategory.objects.all()
        return context


mine = require_perm("manage_catalog")(MyResourcesView.as_view())


class ReviewQueueView(ObjectListView):
    """The catalog office's review queue: submitted entries, the longest waiting first."""

    filterset_class = ReviewQueueFilterSet
    table_class = ReviewQueueTable
    template_name = "catalog/review.html"
    partial_template_name = "catalog/_review_results.html"
    paginate_by = PAGE_SIZE

    def get_rows(self):
        return selectors.review_queue()


review = require_perm("review_catalog")(ReviewQueueView.as_view())


def _resource_for(request, pk: int, *, manage: bool = False) -> DataResource:
    """The resource ``pk`` if the visitor may read it (or manage it, with ``manage``)."""
    try:
        resource = selectors.resource_with_parts(pk)
    except DataResource.DoesNotExist as missing:
        raise Http404("no such resource") from missing
    allowed = selectors.can_manage if manage else selectors.can_read
    if not allowed(request.user, resource):
        raise PermissionDenied("not this unit's resource")
    return resource


def _signed_in(view):
    """Anonymous visitors go to the login page; the view checks the object itself."""

    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _put_errors(error: services.CatalogError, form, formset) -> None:
    """Each message of a refused change on the field it names (the items' on the formset)."""
    for key, message in error.errors.items():
        if key == "fields":
            formset._non_form_errors = formset.error_class([message])
        elif key in FORM_FIELDS and key in form.fields:
            form.add_error(key, message)
        else:
            form.add_error(None, message)


@require_perm("manage_catalog")
def register(request):
    """Register a resource (a draft) with its information items; the code is generated
    under the category when none is given."""
    units = selectors.manageable_units(request.user)
    form = ResourceForm(request.POST or None, units=units)
    formset = DataFieldFormSet(request.POST or None, prefix="fields")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            resource = services.register_resource(
                actor=request.user, data=form.to_input(formset.items())
            )
        except services.CatalogError as error:
            _put_errors(error, form, formset)
        else:
            messages.success(
                request,
                _("The resource was registered with the code %(code)s.") % {"code": resource.code},
            )
            return redirect(resource)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "formset": formset}
    return render(request, "catalog/register.html", context, status=status)


@_signed_in
def detail(request, pk: int):
    """A resource with its items, distributions, quality, workflow and grade history, and the
    steps the visitor may take."""
    resource = _resource_for(request, pk)
    runs = selectors.quality_runs(resource)
    can_manage = selectors.can_manage(request.user, resource)
    can_review = selectors.reviews_catalog(request.user)
    context = {
        "resource": resource,
        "runs": runs,
        "score": selectors.latest_score(runs),
        "latest_run": selectors.latest_finished(runs),
        "trend": selectors.score_trend(runs),
        "can_manage_checks": quality_services.may_manage_checks(request.user, resource),
        "can_see_rows": quality_services.may_see_rows(request.user, resource),
        "preview": (
            preview_selectors.first_preview(resource)
            if preview_selectors.may_preview(request.user, resource)
            else None
        ),
        "can_manage": can_manage,
        "can_review": can_review,
        "can_edit": can_manage and resource.state in services.EDITABLE_STATES,
        "can_submit": can_manage
        and resource.state in (State.DRAFT, State.RETURNED, State.WITHDRAWN),
        "can_withdraw": (can_manage or can_review)
        and resource.state in (State.PUBLISHED, State.SUBMITTED),
        "can_decide": can_review and resource.state == State.SUBMITTED,
        "reason_form": ReasonForm(),
        "distribution_form": DistributionForm(),
    }
    return render(request, "catalog/detail.html", context)


@_signed_in
def edit(request, pk: int):
    """Edit a resource: a new version; a grade change needs its reason."""
    resource = _resource_for(request, pk, manage=True)
    units = selectors.manageable_units(request.user) | _units_of(resource)
    form = ResourceEditForm(
        request.POST or None, units=units, initial=ResourceEditForm.initial_of(resource)
    )
    formset = DataFieldFormSet(
        request.POST or None, prefix="fields", initial=field_initial(resource)
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.update_resource(
                actor=request.user,
                resource=resource,
                data=form.to_input(formset.items()),
                grade_reason=form.cleaned_data["grade_reason"],
            )
        except services.CatalogError as error:
            _put_errors(error, form, formset)
        else:
            messages.success(request, _("The changes were saved as a new version."))
            return redirect(resource)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "formset": formset, "resource": resource}
    return render(request, "catalog/edit.html", context, status=status)


def _units_of(resource):
    """The resource's own provider stays a choice when editing (an administrator's)."""
    return Unit.objects.filter(pk=resource.provider_id)


@_signed_in
def versions(request, pk: int):
    """The version history: each kept version and what changed against the one before."""
    resource = _resource_for(request, pk)
    context = {"resource": resource, "history": selectors.version_history(resource)}
    return render(request, "catalog/versions.html", context)


def _step(request, pk, act, done: str, *, manage=False, reason=False):
    """Run one workflow step ``act(resource, reason)`` from a POST and come back to the
    resource page with what happened, or why not."""
    resource = _resource_for(request, pk, manage=manage)
    text = ""
    if reason:
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the reason."))
            return redirect(resource)
        text = form.cleaned_data["reason"]
    try:
        act(resource, text)
    except services.CatalogError as error:
        messages.error(request, " ".join(error.errors.values()))
    else:
        messages.success(request, done)
    return redirect(resource)


@require_POST
@_signed_in
def submit(request, pk: int):
    return _step(
        request,
        pk,
        lambda resource, _text: services.submit(actor=request.user, resource=resource),
        _("The resource was submitted to the catalog office."),
        manage=True,
    )


@require_POST
@require_perm("review_catalog")
def publish(request, pk: int):
    return _step(
        request,
        pk,
        lambda resource, _text: services.publish(actor=request.user, resource=resource),
        _("The resource was published."),
    )


@require_POST
@require_perm("review_catalog")
def return_resource(request, pk: int):
    return _step(
        request,
        pk,
        lambda resource, text: services.return_resource(
            actor=request.user, resource=resource, reason=text
        ),
        _("The resource was returned to its provider."),
        reason=True,
    )


@require_POST
@_signed_in
def withdraw(request, pk: int):
    return _step(
        request,
        pk,
        lambda resource, text: services.withdraw(
            actor=request.user, resource=resource, reason=text
        ),
        _("The resource was withdrawn from the catalog."),
        reason=True,
    )


@require_POST
@_signed_in
def add_distribution(request, pk: int):
    """Offer a file or a link of the resource."""
    resource = _resource_for(request, pk, manage=True)
    form = DistributionForm(request.POST, request.FILES)
    if not form.is_valid():
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else name
            messages.error(
                request, _("%(field)s: %(errors)s") % {"field": label, "errors": " ".join(errors)}
            )
        return redirect(resource)
    try:
        services.add_distribution(actor=request.user, resource=resource, data=form.to_input())
    except services.CatalogError as error:
        messages.error(request, " ".join(error.errors.values()))
    else:
        messages.success(request, _("The distribution was added."))
    return redirect(resource)


@_signed_in
def download_distribution(request, pk: int, distribution: int):
    """A distribution's file in the catalog's own pages, for who may see the resource's rows
    (the provider's staff always; the catalog office for general data only: important and
    core data reach others through a grant). The data itself: each download is audited."""
    resource = _resource_for(request, pk)
    if not quality_services.may_see_rows(request.user, resource):
        raise PermissionDenied("the data's grade keeps its rows from this visitor")
    item = next(
        (d for d in resource.distributions.all() if d.pk == distribution),
        None,
    )
    if item is None or item.kind != DistributionKind.FILE or not item.file:
        raise Http404("no such file")
    services.record_distribution_download(actor=request.user, distribution=item)
    return dcat_views.file_response(request, item)


@require_perm("review_catalog")
def statistics(request):
    """The catalog office's statistics: entries by unit, grade, share and open type, and the
    units that have registered nothing (coverage of the one ledger)."""
    context = {
        "bars": selectors.statistics(),
        "coverage": selectors.coverage(),
        "missing_units": selectors.units_without_resources(),
    }
    return render(request, "catalog/statistics.html", context)
