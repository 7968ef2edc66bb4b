"""Reads of the message log for the exchange office's pages (issue 16, point 7: "the
exchange office (overview, … log verification)"): the log's entries with their consumers'
names, calls per day, the exchange's resources, consumers and providers, and the chain's
state (head, entries waiting to be chained, latest seals)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from shuzheng import clock
from shuzheng.exchange.log_models import MessageLogEntry, MessageLogHead, MessageLogSeal
from shuzheng.exchange.models import Grant, PublishedTable
from shuzheng.orgs.models import Unit

OVERVIEW_DAYS = 14
TOP = 5


def log_entries():
    """Every entry, the newest first (chained ones by sequence, waiting ones after them)."""
    return MessageLogEntry.objects.order_by("-at", "-id")


def with_consumers(entries) -> list[MessageLogEntry]:
    """``entries`` with ``consumer`` set to the consumer unit (one query for the page): the
    log keeps the plain id, so that a unit's later change does not touch a hashed field."""
    entries = list(entries)
    units = Unit.objects.in_bulk({entry.consumer_id for entry in entries if entry.consumer_id})
    for entry in entries:
        entry.consumer = units.get(entry.consumer_id)
    return entries


def consumer_choices() -> list[Unit]:
    """The units that hold a grant or appear in the log, for the log's consumer filter."""
    logged = MessageLogEntry.objects.exclude(consumer_id=None).values("consumer_id")
    granted = Grant.objects.values("consumer_id")
    return list(Unit.objects.filter(Q(pk__in=logged) | Q(pk__in=granted)).order_by("name"))


@dataclass(frozen=True)
class DayCalls:
    day: dt.date
    calls: int
    refused: int
    rows: int
    percent: int


@dataclass(frozen=True)
class Ranked:
    label: str
    calls: int


@dataclass(frozen=True)
class Overview:
    days: list[DayCalls]
    calls: int
    refused: int
    tables: int
    resources_granted: int
    live_grants: int
    consumers: int
    providers: int
    top_resources: list[Ranked]
    top_consumers: list[Ranked]
    state: LogState


@dataclass(frozen=True)
class LogState:
    head_sequence: int
    head_hash: str
    waiting: int
    last_seal: MessageLogSeal | None
    seals: int


def log_state() -> LogState:
    head = MessageLogHead.objects.filter(pk=1).first()
    return LogState(
        head_sequence=head.sequence if head else 0,
        head_hash=head.hash if head else "",
        waiting=MessageLogEntry.objects.filter(sequence__isnull=True).count(),
        last_seal=MessageLogSeal.objects.order_by("-sequence").first(),
        seals=MessageLogSeal.objects.count(),
    )


def latest_seals(limit: int = 10) -> list[MessageLogSeal]:
    return list(MessageLogSeal.objects.order_by("-sequence")[:limit])


def overview(today: dt.date | None = None) -> Overview:
    """The exchange at a glance: the last :data:`OVERVIEW_DAYS` days' calls (refused ones are
    answers of 400 and above), the published tables, live grants with their consumer and
    provider units, and the resources and consumers called most in that window."""
    now = clock.now()
    today = today or clock.today()
    first = today - dt.timedelta(days=OVERVIEW_DAYS - 1)
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    window = MessageLogEntry.objects.filter(at__gte=start)
    refused = Q(status__gte=400)
    per_day = {
        row["day"]: row
        for row in window.annotate(day=TruncDate("at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(calls=Count("id"), refused=Count("id", filter=refused), rows=Sum("rows"))
    }
    most = max((row["calls"] for row in per_day.values()), default=0)
    days = []
    for offset in range(OVERVIEW_DAYS):
        day = first + dt.timedelta(days=offset)
        row = per_day.get(day, {})
        calls = row.get("calls", 0)
        days.append(
            DayCalls(
                day=day,
                calls=calls,
                refused=row.get("refused", 0),
                rows=row.get("rows") or 0,
                percent=round(100 * calls / most) if most else 0,
            )
        )
    live = Grant.objects.filter(revoked_at=None, expires_at__gt=now)
    resources = window.exclude(resource_code="").values("resource_code")
    top_resources = [
        Ranked(row["resource_code"], row["calls"])
        for row in resources.annotate(calls=Count("id")).order_by("-calls", "resource_code")[:TOP]
    ]
    consumers = (
        window.exclude(consumer_id=None)
        .values("consumer_id")
        .annotate(calls=Count("id"))
        .order_by("-calls", "consumer_id")[:TOP]
    )
    consumers = list(consumers)
    names = Unit.objects.in_bulk([row["consumer_id"] for row in consumers])
    top_consumers = [
        Ranked(names[row["consumer_id"]].name if row["consumer_id"] in names else "", row["calls"])
        for row in consumers
    ]
    return Overview(
        days=days,
        calls=sum(day.calls for day in days),
        refused=sum(day.refused for day in days),
        tables=PublishedTable.objects.count(),
        resources_granted=live.values("resource_id").distinct().count(),
        live_grants=live.count(),
        consumers=live.values("consumer_id").distinct().count(),
        providers=PublishedTable.objects.values("resource__provider_id").distinct().count(),
        top_resources=top_resources,
        top_consumers=top_consumers,
        state=log_state(),
    )


@dataclass(frozen=True)
class GrantUsage:
    """One grant's calls in a consumer's 调用记录 (a call refused before a grant was found —
    a resource the unit holds no live grant for — has no grant and counts under its code)."""

    grant: Grant | None
    resource_code: str
    consumer: Unit | None
    calls: int
    errors: int
    rows: int
    last_at: dt.datetime


def usage_by_grant(entries):
    """``entries`` summed per grant and resource: calls, refused or failed ones (400 and
    above), rows sent and the last call, the latest first. One grouped query, so that a page
    of it costs the same for 2 grants as for 20."""
    return (
        entries.values("grant_id", "resource_code", "consumer_id")
        .annotate(
            calls=Count("id"),
            errors=Count("id", filter=Q(status__gte=400)),
            rows_sent=Sum("rows"),
            last_at=Max("at"),
        )
        .order_by("-last_at", "grant_id", "resource_code")
    )


def with_grants(usage) -> list[GrantUsage]:
    """A page of :func:`usage_by_grant` with each grant and consumer unit read in one query
    each (the log keeps plain ids, see ``log_models``)."""
    usage = list(usage)
    grants = Grant.objects.select_related("resource").in_bulk(
        {row["grant_id"] for row in usage if row["grant_id"]}
    )
    units = Unit.objects.in_bulk({row["consumer_id"] for row in usage if row["consumer_id"]})
    return [
        GrantUsage(
            grant=grants.get(row["grant_id"]),
            resource_code=row["resource_code"],
            consumer=units.get(row["consumer_id"]),
            calls=row["calls"],
            errors=row["errors"],
            rows=row["rows_sent"] or 0,
            last_at=row["last_at"],
        )
        for row in usage
    ]
