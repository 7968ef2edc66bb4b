"""Reads of the hotline: the catalog, requests with their lead unit, callers' history."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from shuzheng.hotline.choices import AssignmentState, DutyRole
from shuzheng.hotline.models import Assignment, ServiceCategory, ServiceRequest

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
