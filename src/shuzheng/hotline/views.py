"""HTML pages of the 12345 hotline (issue 15, points 1, 4 and 8).

Citizens (anyone, signed in or not): the submission form, the tracking page by number (the
public view: no personal information) and the callback survey reached through a signed
link. Units: 我的工单, the request page (the caller in full for the handling unit only),
签收, 退单 with the reason, 答复. Operators and supervisors (``supervise_tasks``): the phone
console, phone callbacks, overdue requests, disputes, rates and hot spots. Thin views: they read through ``hotline.selectors``, act through
``hotline.services`` and show a refused step as a message beside the field it names.
"""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuzheng import clock
from shuzheng.accounts.authorization import (
    ensure_perm,
    has_perm,
    reads_field_group,
    require_perm,
)
from shuzheng.accounts.permissions import UNIT_BOUND_ROLES
from shuzheng.client_address import client_address
from shuzheng.hotline import deadlines, exports, hotspots, privacy, selectors, services
from shuzheng.hotline.choices import (
    CLOSED_STATES,
    OPEN_ASSIGNMENT_STATES,
    CallbackBy,
    Channel,
    DutyRole,
    KnowledgeState,
    RequestState,
)
from shuzheng.hotline.filtersets import RequestFilterSet
from shuzheng.hotline.forms import (
    ConsoleForm,
    DecideForm,
    KnowledgeForm,
    KnowledgeReviewForm,
    MergeForm,
    ReasonForm,
    ReplyForm,
    SubmitForm,
    SurveyForm,
    TrackForm,
    UnmergeForm,
    WithdrawForm,
)
from shuzheng.hotline.models import MAX_DESCRIPTION, Dispute
from shuzheng.hotline.rendering import routing_reason
from shuzheng.hotline.tables import DisputeTable, KnowledgeTable, OverdueTable, RequestTable
from shuzheng.lists import ObjectListView

PAGE_SIZE = 25


def _intake(form: SubmitForm, channel: str) -> services.Intake:
    data = form.cleaned_data
    return services.Intake(
        service_code=data["service_code"],
        description=data["description"],
        address_string=data["address_string"],
        lat=data["lat"] or None,
        long=data["long"] or None,
        attributes=form.attributes(),
        name=data["name"],
        phone=data["phone"],
        email=data["email"],
        channel=channel,
        files=data["media"],
    )


def _submitted(request, form: SubmitForm, channel: str):
    """The request taken in, or None with the service's refusal beside its field."""
    try:
        return services.submit_request(_intake(form, channel), actor=request.user)
    except services.IntakeError as error:
        form.add_error(form.field_for(error.field), str(error))
        return None


@require_perm("view_published")
def submit(request):
    """The public submission form (诉求登记): category, description, place, files, contact."""
    form = SubmitForm(
        request.POST or None, request.FILES or None, services=selectors.active_services()
    )
    if request.method == "POST" and form.is_valid():
        created = _submitted(request, form, Channel.WEB)
        if created is not None:
            messages.success(
                request,
                _("Your request was received. Its tracking number is %(number)s: keep it.")
                % {"number": created.number},
            )
            return redirect("hotline:track_detail", number=created.number)
    status = 400 if request.method == "POST" else 200
    return render(request, "hotline/submit.html", {"form": form}, status=status)


@require_perm("view_published")
def track(request):
    """Find a request by its tracking number."""
    form = TrackForm(request.GET or None)
    if form.is_bound and form.is_valid():
        number = form.cleaned_data["number"].strip()
        if selectors.requests_with_lead().filter(number=number).exists():
            return redirect("hotline:track_detail", number=number)
        form.add_error("number", _("No request has the number %(number)s.") % {"number": number})
    return render(request, "hotline/track.html", {"form": form})


@require_perm("view_published")
def track_detail(request, number: str):
    """A request's public view: what, where, its state, deadlines, light and the unit that
    handles it; never the caller's name, phone, email or address."""
    found = selectors.public_request(number)
    if found is None:
        raise Http404("no such request")
    return render(request, "hotline/track_detail.html", _public_context(found))


def _public_context(found) -> dict:
    return {
        "found": found,
        "unit": selectors.handling_unit(found),
        "reason": routing_reason(found.routing),
        "light": deadlines.light(
            clock.now(), found.resolution_due_at, closed=found.state in CLOSED_STATES
        ),
        "steps": selectors.public_steps(found),
    }


# --- the callback survey (回访) through the signed link ----------------------------------------


@require_perm("view_published")
def rate(request, number: str, reply_id: int, signature: str):
    """The caller's survey page: the reply and 满意 / 基本满意 / 不满意 with a comment;
    不满意 reopens the request (``services.call_back``)."""
    answer = services.reply_to_rate(number, reply_id, signature)
    if answer is None:
        raise Http404("no such survey link")
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.call_back(
                answer.request,
                satisfaction=form.cleaned_data["satisfaction"],
                comment=form.cleaned_data["comment"],
                by=CallbackBy.CALLER,
                actor=request.user,
            )
        except services.HotlineError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you: your answer was recorded."))
            return redirect("hotline:track_detail", number=number)
    awaiting = answer.request.state == RequestState.RESOLVED and not answer.callbacks.exists()
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "hotline/rate.html",
        {"answer": answer, "form": form, "awaiting": awaiting},
        status=status,
    )


# --- the units' pages -----------------------------------------------------------------------


class UnitRequestsView(ObjectListView):
    """我的工单: the requests of the visitor's unit (every request for supervisors)."""

    filterset_class = RequestFilterSet
    table_class = RequestTable
    template_name = "hotline/mine.html"
    partial_template_name = "hotline/_results.html"
    paginate_by = PAGE_SIZE

    def get_rows(self):
        return selectors.requests_for(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["export_query"] = context["query"]  # the export takes the list's filters
        return context


mine = require_perm("view_unit_work")(UnitRequestsView.as_view())

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_perm("view_unit_work")
def export(request, fmt: str):
    """我的工单 as filtered (the list's own filters), as CSV or Excel: the caller in full only
    for the rows of the exporter's own unit, each such row audited; masked otherwise."""
    rows = selectors.requests_for(request.user).select_related("caller")
    filterset = RequestFilterSet(request.GET, queryset=rows)
    if filterset.error_text():
        messages.error(request, filterset.error_text())
        return redirect("hotline:mine")
    found = exports.request_lines(filterset.qs.iterator(chunk_size=exports.CHUNK), request.user)
    services.record_exported_callers(
        found.unmasked, fmt=fmt, actor=request.user, remote_addr=client_address(request)
    )
    stamp = timezone.localtime(clock.now()).strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        content, content_type = exports.requests_csv(found.lines), "text/csv; charset=utf-8"
    else:
        title = _("12345 hotline requests (exported %(moment)s)") % {"moment": stamp}
        content, content_type = exports.requests_workbook(found.lines, title), XLSX
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="hotline-requests-{stamp}.{fmt}"'
    return response


def _found(number: str):
    found = (
        selectors.requests_with_lead()
        .select_related("chosen_category", "caller", "supervised_task", "master")
        .filter(number=number)
        .first()
    )
    if found is None:
        raise Http404("no such request")
    return found


def _reads(user, found, trail) -> bool:
    """Whether ``user`` reads the request's internal page: a unit it was dispatched to, or
    someone who reads every unit's work."""
    units = {assignment.unit_id for assignment in trail["assignments"]}
    return has_perm(user, "view_unit_work") and (
        user.role not in UNIT_BOUND_ROLES or user.unit_id in units
    )


def _own_assignment(found, user):
    """The open assignment of the visitor's unit on ``found`` (for administrators without a
    unit, the lead one)."""
    open_ones = found.assignments.filter(state__in=OPEN_ASSIGNMENT_STATES).select_related("unit")
    if getattr(user, "unit_id", None):
        return open_ones.filter(unit_id=user.unit_id).order_by("-assigned_at").first()
    return open_ones.filter(role=DutyRole.LEAD).order_by("-assigned_at").first()


@require_perm("view_unit_work")
def detail(request, number: str):
    """The request's page for the units it went to and for supervisors: the public facts,
    the caller (in full for the handling unit only, each read audited; masked for everyone
    else), the trail of assignments, replies and callbacks, and the visitor's actions."""
    found = _found(number)
    trail = selectors.request_trail(found)
    if not _reads(request.user, found, trail):
        raise PermissionDenied("another unit's request")
    context = _public_context(found) | trail
    lead = context["unit"]
    if found.caller_id and lead and reads_field_group(request.user, "hotline.caller", lead):
        context["caller"] = services.read_caller(
            found, actor=request.user, remote_addr=client_address(request)
        )
    else:
        context["masked_caller"] = selectors.masked_caller(found)
    own = _own_assignment(found, request.user)
    if own is not None and has_perm(request.user, "act_for_unit", own.unit):
        context["own"] = own
        context["reason_form"] = ReasonForm()
        context["reply_form"] = ReplyForm()
    if has_perm(request.user, "supervise_tasks") and found.state == RequestState.RESOLVED:
        context["survey_form"] = SurveyForm()
    if has_perm(request.user, "supervise_tasks"):
        context["merging"] = {
            "candidates": selectors.merge_candidates(found),
            "merged": selectors.merged_under(found),
            "merge_form": MergeForm(),
            "unmerge_form": UnmergeForm(),
            "may_merge": found.master_id is None and found.state not in CLOSED_STATES,
        }
    if found.master_id is not None:
        context["survey_form"] = None  # the master's callback decides
    return render(request, "hotline/detail.html", context)


@require_POST
@require_perm("supervise_tasks")
def merge(request, number: str):
    """合并: merge this request under the master named in the form (an operator's or
    supervisor's step); a refusal is a message on the page."""
    found = _found(number)
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the number of the request to merge under."))
        return redirect("hotline:detail", number=number)
    master = selectors.public_request(form.cleaned_data["master"].strip())
    if master is None:
        messages.error(
            request,
            _("There is no request %(number)s.") % {"number": form.cleaned_data["master"]},
        )
        return redirect("hotline:detail", number=number)
    try:
        services.merge_request(found, master, actor=request.user)
    except services.HotlineError as error:
        messages.error(request, str(error))
        return redirect("hotline:detail", number=number)
    messages.success(
        request,
        _("Request %(number)s is merged under %(master)s.")
        % {"number": found.number, "master": master.number},
    )
    return redirect("hotline:detail", number=master.number)


@require_POST
@require_perm("supervise_tasks")
def unmerge(request, number: str):
    """拆分: the merged request is its own again, routed by the duty map."""
    found = _found(number)
    form = UnmergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the request is not the same matter."))
        return redirect("hotline:detail", number=number)
    try:
        services.unmerge_request(found, reason=form.cleaned_data["reason"], actor=request.user)
    except services.HotlineError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The request is its own again and was routed anew."))
    return redirect("hotline:detail", number=number)


@require_perm("view_unit_work")
def attachment(request, number: str, pk: int):
    """Download one of the request's attachments: for whoever reads the request's internal
    page (the units it went to, supervisors); the public tracking page never links them, as
    a photo or a scan may show the caller. Each download is in the audit trail."""
    found = _found(number)
    if not _reads(request.user, found, selectors.request_trail(found)):
        raise PermissionDenied("another unit's request")
    item = get_object_or_404(found.attachments, pk=pk)
    try:
        handle = services.open_attachment(
            item, actor=request.user, remote_addr=client_address(request)
        )
    except FileNotFoundError:
        raise Http404(_("The file is missing from storage.")) from None
    return FileResponse(
        handle, as_attachment=True, filename=item.name, content_type=item.content_type
    )


def _act(request, number: str, step):
    """Run a unit's step on its own open assignment; a refusal is a message on the page."""
    found = _found(number)
    own = _own_assignment(found, request.user)
    if own is None:
        raise PermissionDenied("your unit has no open assignment on this request")
    ensure_perm(request.user, "act_for_unit", own.unit)
    try:
        done = step(found, own)
    except services.HotlineError as error:
        messages.error(request, str(error))
    else:
        if done:
            messages.success(request, done)
    return redirect("hotline:detail", number=number)


@require_POST
@require_perm("act_for_unit")
def accept(request, number: str):
    def step(found, own):
        services.accept(own, actor=request.user)
        return _("Accepted: the request is in progress with your unit.")

    return _act(request, number, step)


@require_POST
@require_perm("act_for_unit")
def return_back(request, number: str):
    """退单 with the reason; the request goes on to the next unit (or to a dispute)."""

    def step(found, own):
        form = ReasonForm(request.POST)
        if not form.is_valid():
            raise services.HotlineError(_("Say why your unit is not responsible."))
        services.return_assignment(own, reason=form.cleaned_data["reason"], actor=request.user)
        return _("Returned: the request was routed on.")

    return _act(request, number, step)


@require_POST
@require_perm("act_for_unit")
def reply(request, number: str):
    """答复 by the lead unit; the caller is sent the survey link."""

    def step(found, own):
        form = ReplyForm(request.POST)
        if not form.is_valid():
            raise services.HotlineError(_("A reply has 1 to 4,000 characters."))
        services.reply(found, own.unit, text=form.cleaned_data["text"], actor=request.user)
        return _("Replied: the caller is asked whether they are satisfied.")

    return _act(request, number, step)


# --- the operators' and supervisors' pages ---------------------------------------------------


@require_POST
@require_perm("supervise_tasks")
def callback(request, number: str):
    """回访 by the operator on the phone: the caller's verdict as they give it."""
    found = _found(number)
    form = SurveyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose satisfied, basically satisfied or dissatisfied."))
        return redirect("hotline:detail", number=number)
    try:
        services.call_back(
            found,
            satisfaction=form.cleaned_data["satisfaction"],
            comment=form.cleaned_data["comment"],
            by=CallbackBy.OPERATOR,
            actor=request.user,
        )
    except services.HotlineError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The callback was recorded."))
    return redirect("hotline:detail", number=number)


@require_perm("supervise_tasks")
def console(request):
    """The operators' console for phone calls: the caller's number first (their history
    appears), then category, description (duplicates and suggestions appear as one types),
    place; Enter in a line or Ctrl+Enter in the description files the request."""
    form = ConsoleForm(
        request.POST or None, request.FILES or None, services=selectors.active_services()
    )
    if request.method == "POST" and form.is_valid():
        created = _submitted(request, form, Channel.PHONE)
        if created is not None:
            messages.success(
                request,
                _("Request %(number)s filed and dispatched to %(unit)s.")
                % {
                    "number": created.number,
                    "unit": getattr(selectors.current_lead_unit(created), "name", "—"),
                },
            )
            return redirect("hotline:console")
    status = 400 if request.method == "POST" else 200
    return render(request, "hotline/console.html", {"form": form}, status=status)


@require_POST
@require_perm("supervise_tasks")
def caller_history(request):
    """The console's caller history for the number typed (htmx), the number masked."""
    phone = request.POST.get("phone", "")[:32]
    context = {
        "history": selectors.caller_history(phone),
        "masked": privacy.mask_phone(phone),
    }
    return render(request, "hotline/_caller_history.html", context)


@require_POST
@require_perm("supervise_tasks")
def console_hints(request):
    """While the operator types (htmx): near duplicates, the category + unit suggestion, each
    with its reason, and answers that cite policy (即问即答)."""
    description = request.POST.get("description", "")[:MAX_DESCRIPTION]
    region = selectors.region_named(request.POST.get("address_string", "")[:200])
    context = {"suggestions": [], "duplicates": [], "region": region}
    context |= {"answers": [], "drafts": [], "typed": bool(description.strip())}
    context["may_save_drafts"] = True
    if description.strip():
        context["suggestions"] = _worded_suggestions(description, region)
        context["duplicates"] = selectors.near_duplicates(description, region)
        context |= selectors.knowledge_answers(description, request.user, region)
    return render(request, "hotline/_console_hints.html", context)


def _worded_suggestions(description, region):
    found = selectors.suggestions(description, region)
    names = selectors.names_for(
        [s.code for s in found], [s.unit for s in found if s.unit is not None]
    )
    return [
        {
            "code": s.code,
            "name": names["categories"].get(s.code, s.code),
            "share": round(s.probability * 100),
            "words": "、".join(s.words),
            "unit": names["units"].get(s.unit, "") if s.unit else "",
            "basis": s.duty.basis if s.duty else "",
        }
        for s in found
    ]


class OverdueView(ObjectListView):
    """Open requests past their resolution limit (red), with their supervision task."""

    filterset_class = None
    table_class = OverdueTable
    template_name = "hotline/overdue.html"
    paginate_by = PAGE_SIZE

    def get_rows(self):
        return selectors.overdue()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The export of 我的工单 filtered to red lights (merged requests listed as well).
        context["export_query"] = "light=red"
        return context


overdue = require_perm("supervise_tasks")(OverdueView.as_view())


class DisputeListView(ObjectListView):
    """Disputes (争议) waiting for a supervisor: who returned the request and why."""

    filterset_class = None
    table_class = DisputeTable
    template_name = "hotline/disputes.html"
    paginate_by = PAGE_SIZE

    def get_rows(self):
        return selectors.open_disputes()

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"decide_form": DecideForm()}


disputes = require_perm("supervise_tasks")(DisputeListView.as_view())


@require_POST
@require_perm("supervise_tasks")
def decide(request, pk: int):
    dispute = get_object_or_404(Dispute.objects.select_related("request"), pk=pk)
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("unit", [])))
        return redirect("hotline:disputes")
    try:
        services.decide_dispute(
            dispute, form.cleaned_data["unit"], note=form.cleaned_data["note"], actor=request.user
        )
    except services.HotlineError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Request %(number)s goes to %(unit)s.")
            % {"number": dispute.request.number, "unit": form.cleaned_data["unit"].name},
        )
    return redirect("hotline:disputes")


@require_perm("supervise_tasks")
def rates_view(request):
    """响应率, 解决率, 满意率 per unit and per city (``hotline.rates``)."""
    by_unit, by_region = selectors.rates_by_unit_and_region()
    return render(
        request,
        "hotline/rates.html",
        {
            "tables": [
                (_("Unit"), sorted(by_unit.items())),
                (_("City"), sorted(by_region.items())),
            ]
        },
    )


#: Rising spots and category × place rows the drill-down page lists.
RISING_SHOWN = 20
GRID_SHOWN = 50


@require_perm("supervise_tasks")
def hot_spots(request):
    """热点 (issue 15 point 6), the drill-down of the dashboard's hot-spot panel: requests by
    category × place (city or county) × period (week or month) over twelve periods, and the
    spots rising fastest; every number opens 我的工单 filtered to what it counts."""
    kind, level = hotspots.choice(request.GET)
    found = selectors.hot_spot_counts(kind, level, hotspots.SHOWN)
    rising = [
        {
            "spot": spot,
            "category": found.categories[spot.category],
            "place": found.places[spot.place],
            "href": found.list_url(spot.category, spot.place, found.starts[-1]),
        }
        for spot in hotspots.rising(found.cells, found.starts, limit=RISING_SHOWN)
    ]
    rows = [
        {
            "row": row,
            "category": found.categories[row.category],
            "place": found.places[row.place],
            "href": found.list_url(row.category, row.place),
            "cells": [
                (count, found.list_url(row.category, row.place, start) if count else "")
                for count, start in zip(row.counts, found.starts, strict=True)
            ],
        }
        for row in hotspots.grid(found.cells, found.starts, limit=GRID_SHOWN)
    ]
    context = {
        "found": found,
        "kind": kind,
        "level": level,
        "labels": [hotspots.period_label(kind, start) for start in found.starts],
        "rising": rising,
        "rows": rows,
    }
    return render(request, "hotline/hot_spots.html", context)


# --- knowledge answers (即问即答) -------------------------------------------------------------


def answers(request):
    """While someone types a request (htmx, the public form): reviewed knowledge answers and
    paragraphs of the policy library, each citing its document and paragraph with a link
    that opens it. Only what the visitor may read; public for everyone."""
    description = request.GET.get("description", "")[:MAX_DESCRIPTION]
    context = {"answers": [], "drafts": [], "typed": bool(description.strip())}
    if description.strip():
        context |= selectors.knowledge_answers(description, request.user)
    return render(request, "hotline/_answers.html", context)


def _may_edit_knowledge(user, owner) -> bool:
    return has_perm(user, "supervise_tasks") or has_perm(user, "act_for_unit", owner)


def _may_review_knowledge(user, owner) -> bool:
    return has_perm(user, "supervise_tasks") or has_perm(user, "approve_for_unit", owner)


class KnowledgeListView(ObjectListView):
    """The knowledge base: every entry with its owner, status, review date and citations."""

    filterset_class = None
    table_class = KnowledgeTable
    template_name = "hotline/knowledge_list.html"
    paginate_by = PAGE_SIZE

    def get_rows(self):
        return selectors.knowledge_entries()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        selectors.with_status(context["page_obj"].object_list)
        user = self.request.user
        context["may_create"] = has_perm(user, "supervise_tasks") or (
            user.unit_id is not None and has_perm(user, "act_for_unit", user.unit_id)
        )
        return context


knowledge_list = require_perm("view_unit_work")(KnowledgeListView.as_view())


def _knowledge(pk: int):
    found = selectors.knowledge_entries().filter(pk=pk).first()
    if found is None:
        raise Http404("no such knowledge entry")
    return selectors.with_status([found])[0]


@require_perm("view_unit_work")
def knowledge_detail(request, pk: int):
    entry = _knowledge(pk)
    context = {
        "entry": entry,
        "citations": [selectors.citation_of(s.section) for s in selectors.knowledge_sources(entry)],
        "may_edit": _may_edit_knowledge(request.user, entry.owner)
        and entry.state != KnowledgeState.WITHDRAWN,
        "may_review": _may_review_knowledge(request.user, entry.owner)
        and entry.state != KnowledgeState.WITHDRAWN,
        "review_form": KnowledgeReviewForm(
            initial={"review_on": clock.today() + dt.timedelta(days=KNOWLEDGE_REVIEW_DAYS)}
        ),
        "withdraw_form": WithdrawForm(),
    }
    return render(request, "hotline/knowledge_detail.html", context)


#: A new entry's review date by default: half a year on.
KNOWLEDGE_REVIEW_DAYS = 182


@require_perm("view_unit_work")
def knowledge_new(request):
    """A new entry, for the owner unit's staff and supervisors; ``?source=`` (a paragraph's
    link) and ``?question=`` prefill it from a drafted answer."""
    user = request.user
    if not has_perm(user, "supervise_tasks") and not (
        user.unit_id and has_perm(user, "act_for_unit", user.unit_id)
    ):
        raise PermissionDenied("only a unit's staff and supervisors write knowledge entries")
    initial = {
        "review_on": clock.today() + dt.timedelta(days=KNOWLEDGE_REVIEW_DAYS),
        "owner": user.unit,
        "sources": request.GET.get("source", "")[:500],
        "question": request.GET.get("question", "")[:300],
    }
    return _knowledge_form(request, None, initial)


@require_perm("view_unit_work")
def knowledge_edit(request, pk: int):
    entry = _knowledge(pk)
    if not _may_edit_knowledge(request.user, entry.owner):
        raise PermissionDenied("another unit's knowledge entry")
    if entry.state == KnowledgeState.WITHDRAWN:
        raise Http404("a withdrawn entry is not edited")
    links = [c.url for c in (selectors.citation_of(s.section) for s in entry.sources.all())]
    initial = {
        "question": entry.question,
        "answer": entry.answer,
        "keywords": entry.keywords,
        "category": entry.category,
        "owner": entry.owner,
        "review_on": entry.review_on,
        "sources": "\n".join(links),
    }
    return _knowledge_form(request, entry, initial)


def _knowledge_form(request, entry, initial):
    form = KnowledgeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        owner = data["owner"]
        if not _may_edit_knowledge(request.user, owner):
            form.add_error("owner", _("You write entries for your own unit only."))
        else:
            try:
                sections = services.cited_sections(data["sources"].splitlines(), actor=request.user)
                saved = services.save_knowledge(
                    entry,
                    question=data["question"],
                    answer=data["answer"],
                    keywords=data["keywords"],
                    category=data["category"],
                    owner=owner,
                    review_on=data["review_on"],
                    sections=sections,
                    actor=request.user,
                )
            except services.KnowledgeError as error:
                form.add_error(error.field or None, str(error))
            else:
                messages.success(request, _("The entry was saved; it answers once reviewed."))
                return redirect("hotline:knowledge_detail", pk=saved.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "entry": entry}
    return render(request, "hotline/knowledge_form.html", context, status=status)


@require_POST
@require_perm("view_unit_work")
def knowledge_review(request, pk: int):
    entry = _knowledge(pk)
    if not _may_review_knowledge(request.user, entry.owner):
        raise PermissionDenied("reviewed by the owner unit's head or a supervisor")
    form = KnowledgeReviewForm(request.POST)
    try:
        if not form.is_valid():
            raise services.KnowledgeError(_("Give the next review date."))
        services.review_knowledge(
            entry, review_on=form.cleaned_data["review_on"], actor=request.user
        )
    except services.KnowledgeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The entry was reviewed and answers from now on."))
    return redirect("hotline:knowledge_detail", pk=pk)


@require_POST
@require_perm("view_unit_work")
def knowledge_withdraw(request, pk: int):
    entry = _knowledge(pk)
    if not _may_review_knowledge(request.user, entry.owner):
        raise PermissionDenied("withdrawn by the owner unit's head or a supervisor")
    form = WithdrawForm(request.POST)
    try:
        services.withdraw_knowledge(
            entry, reason=form.data.get("reason", "")[:500], actor=request.user
        )
    except services.KnowledgeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The entry was withdrawn."))
    return redirect("hotline:knowledge_detail", pk=pk)
