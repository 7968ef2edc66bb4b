"""Reading the audit trail: the one filter used by the /audit/ page and the API."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from shuzheng.audit.models import AuditEvent


@dataclass(frozen=True)
class EventFilter:
    actor: str = ""
    action: str = ""
    object_type: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None


def filter_events(criteria: EventFilter):
    """Events matching ``criteria``, newest first. Dates are whole local days, both ends
    included, so "until 2026-11-27" includes the evening of the 27th."""
    events = AuditEvent.objects.all()
    if criteria.actor:
        events = events.filter(actor_name=criteria.actor)
    if criteria.action:
        events = events.filter(action=criteria.action)
    if criteria.object_type:
        events = events.filter(object_type=criteria.object_type)
    if criteria.since:
        events = events.filter(at__gte=_start_of_day(criteria.since))
    if criteria.until:
        events = events.filter(at__lt=_start_of_day(criteria.until + datetime.timedelta(days=1)))
    return events


def filter_choices() -> dict[str, list[str]]:
    """The distinct actions and object types recorded so far, for the filter form's lists."""
    return {
        "actions": list(
            AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct()
        ),
        "object_types": list(
            AuditEvent.objects.order_by("object_type")
            .values_list("object_type", flat=True)
            .distinct()
        ),
    }


def _start_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
