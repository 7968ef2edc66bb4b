"""Reads of the hotline: the catalog, requests with their lead unit, callers' history."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Prefetch, Q, QuerySet

from shuzheng import clock
from shuzheng.hotline import duplicates, suggest
from shuzheng.hotline.choices import CLOSED_STATES, AssignmentState, DutyRole, Satisfaction
from shuzheng.hotline.models import Assignment, DutyEntry, ServiceCategory, ServiceRequest

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
