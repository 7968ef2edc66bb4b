"""The requests part's pages (issue 16, point 7): the exchange home, 我的申请 and a request's
page with its steps, 待审批 (provider), 需求分派 (catalog office), 我的授权, 异议 and the
statistics per unit. Thin: forms in, services out, reads through ``request_selectors``."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuzheng.accounts.authorization import has_perm, require_perm
from shuzheng.catalog.models import DataResource
from shuzheng.exchange import grant_services, objection_services, request_selectors
from shuzheng.exchange import request_services as services
from shuzheng.exchange.data_forms import end_of_day
from shuzheng.exchange.grant_services import GrantError
from shuzheng.exchange.models import Grant
from shuzheng.exchange.objection_selectors import open_objection_keys
from shuzheng.exchange.objection_services import ObjectionError
from shuzheng.exchange.request_choices import RequestState
from shuzheng.exchange.request_forms import (
    AnswerForm,
    ApproveForm,
    ObjectionForm,
    ReasonForm,
    RequestForm,
    ResourceChoiceForm,
    RouteForm,
)
from shuzheng.exchange.request_models import DataRequest, Objection
from shuzheng.exchange.request_tables import (
    GrantTable,
    ObjectionTable,
    RequestTable,
    WaitingTable,
)
from shuzheng.lists import ObjectListView


def _errors(form, errors: dict) -> None:
    for name, message in errors.items():
        form.add_error(name if name in form.fields else None, message)


@require_perm("view_own_account")
def home(request):
    """What the signed-in person can do in the exchange."""
    user = request.user
    return render(
        request,
        "exchange/requests/home.html",
        {
            "may_request": has_perm(user, "act_for_unit") and user.unit_id is not None,
            "reads_unit": has_perm(user, "view_unit_work"),
            "approves": has_perm(user, "approve_for_unit"),
            "holds_tokens": has_perm(user, "manage_exchange_tokens"),
            "publishes": has_perm(user, "publish_exchange_data"),
            "routes": has_perm(user, "review_catalog"),
            "supervises": has_perm(user, "supervise_tasks"),
            "oversees": has_perm(user, "oversee_exchange"),
            "objects": has_perm(user, "submit_own_requests"),
        },
    )


class RequestListView(ObjectListView):
    table_class = RequestTable
    template_name = "exchange/requests/list.html"
    paginate_by = 50

    def get_rows(self):
        return request_selectors.requests_of(self.request.user)


my_requests = require_perm("view_unit_work")(RequestListView.as_view())


class ApprovalListView(ObjectListView):
    table_class = WaitingTable
    template_name = "exchange/requests/approvals.html"
    paginate_by = 50

    def get_rows(self):
        return request_selectors.waiting_for_provider(self.request.user)


approvals = require_perm("approve_for_unit")(ApprovalListView.as_view())


class RoutingListView(ObjectListView):
    table_class = WaitingTable
    template_name = "exchange/requests/routing.html"
    paginate_by = 50

    def get_rows(self):
        return request_selectors.waiting_for_routing()


routing = require_perm("review_catalog")(RoutingListView.as_view())


def _parse(form: RequestForm, consumer, resource) -> services.RequestInput:
    data = form.cleaned_data
    return services.RequestInput(
        consumer=consumer,
        resource=resource,
        demand=data.get("demand") or "",
        purpose=data["purpose"],
        legal_basis=data["legal_basis"],
        columns=list(data.get("columns") or []),
        row_filters=form.row_filters() if resource else [],
        scope_note=data.get("scope_note") or "",
        needed_until=data["needed_until"],
    )


@require_perm("act_for_unit")
def new_request(request):
    if request.user.unit_id is None:
        raise PermissionDenied("a request is made for one's own unit")
    chooser = ResourceChoiceForm(request.GET or None)
    resource = chooser.cleaned_data["resource"] if chooser.is_valid() else None
    form = RequestForm(request.POST or None, resource=resource)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.create_request(
                actor=request.user, data=_parse(form, request.user.unit, resource)
            )
        except services.RequestError as error:
            _errors(form, error.errors)
        else:
            messages.success(
                request, _("The request was saved as a draft: check it and submit it.")
            )
            return redirect("exchange:request", created.pk)
    return render(
        request,
        "exchange/requests/form.html",
        {"chooser": chooser, "form": form, "resource": resource},
        status=400 if form.errors else 200,
    )


def _readable(request, pk: int) -> DataRequest:
    found = get_object_or_404(
        DataRequest.objects.select_related("consumer", "provider", "resource", "grant"), pk=pk
    )
    if not request_selectors.may_read_request(request.user, found):
        raise PermissionDenied("not this unit's request")
    return found


def _detail(request, found: DataRequest, **forms_given):
    user = request.user
    context = {
        "found": found,
        "decisions": found.decisions.select_related("actor", "unit"),
        "may_submit": found.state in ("draft", "returned")
        and has_perm(user, "act_for_unit", found.consumer_id),
        "may_decide": found.state == RequestState.SUBMITTED
        and has_perm(user, "approve_for_unit", found.provider_id),
        "may_route": found.state == RequestState.ROUTING and has_perm(user, "review_catalog"),
        "approve_form": forms_given.get("approve_form") or ApproveForm(request=found),
        "reason_form": forms_given.get("reason_form") or ReasonForm(),
        "route_form": forms_given.get("route_form") or RouteForm(),
    }
    status = 400 if forms_given else 200
    return render(request, "exchange/requests/detail.html", context, status=status)


@require_perm("view_unit_work")
def request_detail(request, pk: int):
    return _detail(request, _readable(request, pk))


@require_POST
@require_perm("act_for_unit")
def submit(request, pk: int):
    found = _readable(request, pk)
    try:
        found = services.submit_request(actor=request.user, request=found)
    except services.RequestError as error:
        messages.error(request, "；".join(error.errors.values()))
    else:
        messages.success(request, _("Submitted: %(state)s.") % {"state": found.get_state_display()})
    return redirect("exchange:request", found.pk)


def _expiry(day: dt.date | None):
    return None if day is None else end_of_day(day)


@require_POST
@require_perm("approve_for_unit")
def approve(request, pk: int):
    found = _readable(request, pk)
    _ensure_decider(request.user, found)
    form = ApproveForm(request.POST, request=found)
    if form.is_valid():
        try:
            services.approve_request(
                actor=request.user,
                request=found,
                reason=form.cleaned_data["reason"],
                columns=form.cleaned_data["columns"] or None,
                expires_at=_expiry(form.cleaned_data.get("expires_on")),
                resource=form.cleaned_data.get("resource"),
            )
        except services.RequestError as error:
            _errors(form, error.errors)
        else:
            messages.success(request, _("Approved: the grant was issued."))
            return redirect("exchange:request", found.pk)
    return _detail(request, found, approve_form=form)


def _ensure_decider(user, found: DataRequest) -> None:
    """The office decides a demand not yet routed, the provider's head anything else."""
    if found.state == RequestState.ROUTING:
        allowed = has_perm(user, "review_catalog")
    else:
        allowed = bool(found.provider_id) and has_perm(user, "approve_for_unit", found.provider_id)
    if not allowed:
        raise PermissionDenied("not this unit's decision")


def _decide(request, pk: int, step, done: str):
    found = _readable(request, pk)
    _ensure_decider(request.user, found)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            step(actor=request.user, request=found, reason=form.cleaned_data["reason"])
        except services.RequestError as error:
            _errors(form, error.errors)
        else:
            messages.success(request, done)
            return redirect("exchange:request", found.pk)
    return _detail(request, found, reason_form=form)


@require_POST
@require_perm("view_unit_work")
def refuse(request, pk: int):
    return _decide(request, pk, services.refuse_request, _("Refused."))


@require_POST
@require_perm("view_unit_work")
def send_back(request, pk: int):
    return _decide(request, pk, services.return_request, _("Returned to the consumer."))


@require_POST
@require_perm("review_catalog")
def route(request, pk: int):
    found = _readable(request, pk)
    form = RouteForm(request.POST)
    if form.is_valid():
        try:
            services.route_request(
                actor=request.user,
                request=found,
                provider=form.cleaned_data["provider"],
                resource=form.cleaned_data.get("resource"),
                reason=form.cleaned_data.get("reason") or "",
            )
        except services.RequestError as error:
            _errors(form, error.errors)
        else:
            messages.success(request, _("Routed to the provider."))
            return redirect("exchange:request", found.pk)
    return _detail(request, found, route_form=form)


class GrantListView(ObjectListView):
    table_class = GrantTable
    template_name = "exchange/requests/grants.html"
    paginate_by = 50

    def get_rows(self):
        return request_selectors.grants_of(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["revoke_form"] = ReasonForm()
        return context


grants = require_perm("view_unit_work")(GrantListView.as_view())


@require_POST
@require_perm("approve_for_unit")
def revoke(request, pk: int):
    grant = get_object_or_404(Grant.objects.select_related("resource"), pk=pk)
    if not grant_services.may_revoke(request.user, grant):
        raise PermissionDenied("not this unit's grant")
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for revoking the grant."))
        return redirect("exchange:grants")
    try:
        grant_services.revoke_grant(grant, actor=request.user, reason=form.cleaned_data["reason"])
    except GrantError as error:
        messages.error(request, "；".join(error.errors.values()))
    else:
        messages.success(request, _("The grant was revoked: the data API refuses it from now on."))
    return redirect("exchange:grants")


class ObjectionListView(ObjectListView):
    table_class = ObjectionTable
    template_name = "exchange/requests/objections.html"
    paginate_by = 50

    def get_rows(self):
        return request_selectors.objections_of(self.request.user)


objections = require_perm("submit_own_requests")(ObjectionListView.as_view())


def _objectable(user):
    """The resources the person may object to: their unit's grants, or open data."""
    rows = Q(state="published", open_type__in=["unconditional", "conditional"], grade="general")
    if user.unit_id:
        rows |= Q(exchange_grants__consumer_id=user.unit_id)
    return DataResource.objects.filter(rows).distinct().order_by("code")


@require_perm("submit_own_requests")
def new_objection(request):
    resources = _objectable(request.user)
    form = ObjectionForm(request.POST or None, request.FILES or None, resources=resources)
    if request.method == "POST" and form.is_valid():
        resource = form.cleaned_data["resource"]
        unit = (
            request.user.unit
            if request.user.unit_id
            and Grant.objects.filter(consumer_id=request.user.unit_id, resource=resource).exists()
            else None
        )
        try:
            created = objection_services.raise_objection(
                actor=request.user,
                resource=resource,
                record_key=form.cleaned_data["record_key"],
                description=form.cleaned_data["description"],
                unit=unit,
                evidence=form.cleaned_data.get("evidence"),
            )
        except ObjectionError as error:
            _errors(form, error.errors)
        else:
            messages.success(request, _("The objection was sent to the provider."))
            return redirect("exchange:objection", created.pk)
    return render(
        request,
        "exchange/requests/objection_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _objection(request, pk: int) -> Objection:
    found = get_object_or_404(
        Objection.objects.select_related("resource", "resource__provider", "unit", "raised_by"),
        pk=pk,
    )
    if not request_selectors.may_read_objection(request.user, found):
        raise PermissionDenied("not this person's or unit's objection")
    return found


def _objection_page(request, found: Objection, form=None):
    may_answer = found.state == "open" and has_perm(
        request.user, "act_for_unit", found.resource.provider_id
    )
    context = {
        "found": found,
        "may_answer": may_answer,
        "form": form or AnswerForm(),
        "under_objection": bool(open_objection_keys(found.resource_id, [found.record_key])),
    }
    return render(
        request, "exchange/requests/objection_detail.html", context, status=400 if form else 200
    )


@require_perm("submit_own_requests")
def objection_detail(request, pk: int):
    return _objection_page(request, _objection(request, pk))


@require_perm("submit_own_requests")
def objection_evidence(request, pk: int):
    found = _objection(request, pk)
    if not found.evidence:
        raise Http404("no evidence")
    return FileResponse(found.evidence.open("rb"), as_attachment=True, filename=found.evidence_name)


@require_POST
@require_perm("act_for_unit")
def answer(request, pk: int):
    found = _objection(request, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            objection_services.answer_objection(
                actor=request.user,
                objection=found,
                confirm=form.cleaned_data["decision"] == "confirm",
                answer=form.cleaned_data["answer"],
            )
        except ObjectionError as error:
            _errors(form, error.errors)
        else:
            messages.success(request, _("The objection was answered."))
            return redirect("exchange:objection", found.pk)
    return _objection_page(request, found, form)


@require_perm("supervise_tasks")
def statistics(request):
    return render(
        request,
        "exchange/requests/statistics.html",
        {"rows": request_selectors.unit_statistics()},
    )
