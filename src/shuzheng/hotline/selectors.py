"""Reads of the hotline: the catalog, requests with their lead unit, callers' history."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.db.models.functions import TruncWeek

from shuzheng import clock
from shuzheng.accounts.permissions import UNIT_BOUND_ROLES
from shuzheng.hotline import duplicates, geography, privacy, rates, suggest
from shuzheng.hotline.choices import (
    CLOSED_STATES,
    AssignmentState,
    DisputeState,
    DutyRole,
    Satisfaction,
)
from shuzheng.hotline.models import (
    Assignment,
    Callback,
    Dispute,
    DutyEntry,
    ServiceCategory,
    ServiceRequest,
)
from shuzheng.orgs.models import Region, Unit

#: Assignments that say who handles a request now (returned and withdrawn ones do not).
CURRENT_LEAD_STATES = (
    AssignmentState.DISPATCHED,
    AssignmentState.ACCEPTED,
    AssignmentState.REPLIED,
)


def active_services() -> QuerySet[ServiceCategory]:
    return ServiceCategory.objects.filter(is_active=True).prefetch_related("attributes")


def service(code: str) -> ServiceCategory | None:
    return active_services().filter(code=code).first()


def requests_with_lead() -> QuerySet[ServiceRequest]:
    """Requests with category and the current lead assignment(s) (``current_leads``)."""
    leads = Assignment.objects.filter(role=DutyRole.LEAD, state__in=CURRENT_LEAD_STATES)
    return ServiceRequest.objects.select_related("category", "region").prefetch_related(
        Prefetch(
            "assignments",
            queryset=leads.select_related("unit").order_by("-assigned_at", "-id"),
            to_attr="current_leads",
        )
    )


def current_lead_unit(request: ServiceRequest):
    """The unit handling ``request`` now, or None (from ``requests_with_lead``)."""
    leads = getattr(request, "current_leads", None)
    if leads is None:
        leads = list(
            request.assignments.filter(role=DutyRole.LEAD, state__in=CURRENT_LEAD_STATES)
            .select_related("unit")
            .order_by("-assigned_at", "-id")
        )
    return leads[0].unit if leads else None


# --- the learned suggestion (issue 15, point 2) ----------------------------------------------

_suggester_lock = threading.Lock()
_suggester: tuple[tuple, suggest.Suggester] | None = None


def _teaching_requests() -> QuerySet[ServiceRequest]:
    """Closed requests under a real category: what the suggester learns from."""
    return ServiceRequest.objects.filter(
        state__in=CLOSED_STATES, category__is_general=False, category__is_active=True
    )


def suggester() -> suggest.Suggester:
    """The suggester of the active catalog, the duty map and the closed requests; one per
    process, built again when any of them changed (catalog and duty map compared whole,
    requests by count and newest change)."""
    global _suggester
    categories = [
        suggest.Category(c.code, c.name, c.description, tuple(c.keywords), c.is_general)
        for c in ServiceCategory.objects.filter(is_active=True).order_by("code")
    ]
    duties = [
        suggest.Duty(category, region, unit, role, basis)
        for category, region, unit, role, basis in DutyEntry.objects.filter(
            category__is_active=True
        )
        .order_by("pk")
        .values_list("category__code", "region__code", "unit__code", "role", "basis")
    ]
    taught = _teaching_requests().aggregate(count=Count("pk"), newest=Max("updated_at"))
    key = (tuple(categories), tuple(duties), taught["count"], taught["newest"])
    with _suggester_lock:
        if _suggester is None or _suggester[0] != key:
            built = suggest.Suggester(categories, duties)
            built.learn(
                _teaching_requests().values_list("description", "category__code").iterator()
            )
            _suggester = (key, built)
        return _suggester[1]


def suggestions(description: str, region=None, limit: int = 3) -> list[suggest.Suggestion]:
    """Ranked categories and units for a description being typed (the console's 分类建议),
    each with the words that decided and the duty-map entry; ``region`` (an orgs Region) is
    walked upwards to find the unit."""
    regions = []
    while region is not None:
        regions.append(region.code)
        region = region.parent
    return suggester().suggest(description, regions, limit=limit)


#: How far around a point stored requests are read before the exact distance decides: 0.01°
#: is about 1.1 km of latitude and 0.9 km of longitude in Ningxia, above the 300 m radius.
_AROUND = Decimal("0.01")


def near_duplicates(
    description: str, region=None, lat=None, long=None, window=dt.timedelta(days=7)
) -> list[tuple[ServiceRequest, duplicates.Match]]:
    """Stored requests that look like the one being typed — same place and topic within
    ``window`` (rules in ``hotline.duplicates``) — best first, for the console and merging."""
    now = clock.now()
    place = Q(region=region) if region is not None else Q(pk__in=[])
    if lat is not None and long is not None:
        lat, long = Decimal(str(lat)), Decimal(str(long))
        place |= Q(lat__range=(lat - _AROUND, lat + _AROUND)) & Q(
            long__range=(long - _AROUND, long + _AROUND)
        )
    stored = {
        str(request.pk): request
        for request in ServiceRequest.objects.filter(place, requested_at__gte=now - window)
        .select_related("region", "category")
        .order_by("-requested_at")[:500]
    }

    def report(key, text, region_code, at, lat, long):
        point = (float(lat), float(long)) if lat is not None and long is not None else (None, None)
        return duplicates.Report(key, text, region_code, at, *point)

    new = report("", description, region.code if region else "", now, lat, long)
    matches = duplicates.near_duplicates(
        new,
        (
            report(key, r.description, r.region.code, r.requested_at, r.lat, r.long)
            for key, r in stored.items()
        ),
        suggester().tokenize,
        window=window,
    )
    return [(stored[match.report.key], match) for match in matches]


# --- pages ------------------------------------------------------------------------------------


def public_request(number: str) -> ServiceRequest | None:
    """A request by its tracking number, for its public view (the caller is not read)."""
    return requests_with_lead().select_related("chosen_category").filter(number=number).first()


@dataclass(frozen=True)
class Step:
    """One dated step of a request as the public sees it: no text, no personal data."""

    at: dt.datetime
    kind: str
    unit: str = ""
    satisfaction: str = ""

    @property
    def satisfaction_label(self) -> str:
        return str(Satisfaction(self.satisfaction).label) if self.satisfaction else ""


def public_steps(request: ServiceRequest) -> list[Step]:
    """Received, each reply (by which unit) and each callback (its verdict), oldest first."""
    steps = [Step(request.requested_at, "received")]
    steps += [
        Step(at, "replied", unit=unit)
        for at, unit in request.replies.values_list("created_at", "unit__name")
    ]
    steps += [
        Step(at, "called_back", satisfaction=verdict)
        for at, verdict in request.callbacks.values_list("created_at", "satisfaction")
    ]
    return sorted(steps, key=lambda step: step.at)


def masked_caller(request: ServiceRequest) -> dict | None:
    """The caller's record as everyone but the handling unit sees it (``hotline.privacy``)."""
    caller = request.caller
    if caller is None:
        return None
    return {
        "name": privacy.mask_name(caller.name),
        "phone": privacy.mask_phone(caller.phone),
        "email": privacy.mask_email(caller.email),
        "address": privacy.mask_address(caller.address),
    }


def caller_history(phone: str, limit: int = 20) -> list[ServiceRequest]:
    """The requests of the caller with this number, newest first, found by the number's
    HMAC-SM3 key (``Caller.phone_key``): the console shows the number masked."""
    key = privacy.phone_key(settings.SECRET_KEY, phone)
    if not key:
        return []
    return list(
        ServiceRequest.objects.filter(caller__phone_key=key)
        .select_related("category", "region")
        .order_by("-requested_at", "-id")[:limit]
    )


def region_named(address: str):
    """The most specific region of Ningxia an address names, or None."""
    if not address.strip():
        return None
    code = geography.region_named_in(
        address, list(Region.objects.values_list("code", "name", "short_name"))
    )
    return Region.objects.select_related("parent__parent__parent").filter(code=code).first()


def requests_for(user) -> QuerySet[ServiceRequest]:
    """The requests a reader of units' work sees: their unit's (dispatched to it, accepted or
    replied, as lead or assisting unit), every request for those who read every unit's work."""
    rows = requests_with_lead().select_related("chosen_category")
    if getattr(user, "unit_id", None) and user.role in UNIT_BOUND_ROLES:
        mine = Assignment.objects.filter(unit_id=user.unit_id, state__in=CURRENT_LEAD_STATES)
        rows = rows.filter(pk__in=mine.values("request_id"))
    return rows


def overdue(now=None) -> QuerySet[ServiceRequest]:
    """Open requests past their resolution limit (red lights), the longest overdue first."""
    now = now or clock.now()
    return (
        requests_with_lead()
        .exclude(state__in=CLOSED_STATES)
        .filter(resolution_due_at__lt=now)
        .select_related("supervised_task")
        .order_by("resolution_due_at", "id")
    )


def open_disputes() -> QuerySet[Dispute]:
    """Disputes waiting for a supervisor, oldest first, with the returns and their reasons."""
    returns = Assignment.objects.filter(state=AssignmentState.RETURNED).select_related("unit")
    return (
        Dispute.objects.filter(state=DisputeState.OPEN)
        .select_related("request__category", "request__region")
        .prefetch_related(Prefetch("request__assignments", queryset=returns, to_attr="returns"))
        .order_by("opened_at", "id")
    )


def request_trail(request: ServiceRequest) -> dict:
    """The handling trail of a request for the units and supervisors: every assignment with
    its reason, the replies, the callbacks and the attachments."""
    return {
        "assignments": list(
            request.assignments.select_related("unit").order_by("assigned_at", "id")
        ),
        "replies": list(request.replies.select_related("unit").order_by("created_at", "id")),
        "callbacks": list(request.callbacks.order_by("created_at", "id")),
        "attachments": list(request.attachments.all()),
    }


def _city_of(region) -> str:
    """The prefecture-level city a region lies in (the region itself above that level)."""
    current = region
    while current is not None and current.level not in ("city", "province"):
        current = current.parent
    return (current or region).name


def rates_by_unit_and_region(now=None) -> tuple[dict, dict]:
    """响应率, 解决率, 满意率 per lead unit and per city (``hotline.rates``): one outcome per
    lead assignment that was not returned or withdrawn, the request's latest callback on
    that unit's reply."""
    now = now or clock.now()
    latest = {}
    for request_id, unit_id, verdict in Callback.objects.order_by("created_at", "id").values_list(
        "request_id", "reply__unit_id", "satisfaction"
    ):
        latest[(request_id, unit_id)] = verdict
    assignments = Assignment.objects.filter(
        role=DutyRole.LEAD, state__in=CURRENT_LEAD_STATES
    ).select_related("unit", "request__region__parent__parent")
    outcomes = [
        rates.Outcome(
            unit=assignment.unit.name,
            region=_city_of(assignment.request.region),
            response_due_at=assignment.request.response_due_at,
            resolution_due_at=assignment.request.resolution_due_at,
            responded_at=assignment.accepted_at,
            resolved_at=assignment.request.resolved_at
            if assignment.state == AssignmentState.REPLIED
            else None,
            satisfaction=latest.get((assignment.request_id, assignment.unit_id)),
        )
        for assignment in assignments
    ]
    return (
        rates.summarise(outcomes, now, rates.by_unit),
        rates.summarise(outcomes, now, rates.by_region),
    )


def hot_spots(weeks: int = 12, limit: int = 100) -> list[dict]:
    """How many requests each category had in each place (county or township) each week,
    over the last ``weeks`` weeks, the busiest first within the newest week (热点)."""
    since = clock.now() - dt.timedelta(weeks=weeks)
    return list(
        ServiceRequest.objects.filter(requested_at__gte=since)
        .annotate(week=TruncWeek("requested_at"))
        .values("week", "category__name", "region__name")
        .annotate(count=Count("id"))
        .order_by("-week", "-count", "category__name", "region__name")[:limit]
    )


def names_for(category_codes, unit_codes) -> dict:
    """The names of categories and units given by code (the suggestion holds codes)."""
    return {
        "categories": dict(
            ServiceCategory.objects.filter(code__in=category_codes).values_list("code", "name")
        ),
        "units": dict(Unit.objects.filter(code__in=unit_codes).values_list("code", "name")),
    }
