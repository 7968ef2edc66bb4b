"""Reads of the requests part: who sees which requests, grants and objections, and the
statistics per provider unit (issue 16, points 1 and 5)."""

from __future__ import annotations

from django.db.models import Q

from shuzheng.accounts.authorization import has_perm
from shuzheng.catalog.models import DataField
from shuzheng.exchange import request_rules as rules
from shuzheng.exchange.models import Grant
from shuzheng.exchange.request_choices import ObjectionState, RequestState
from shuzheng.exchange.request_models import DataRequest, Objection


def _sees_all(user) -> bool:
    """Supervisors and administrators read every unit's work (``view_unit_work``, any unit)."""
    return has_perm(user, "view_unit_work") and getattr(user, "unit_id", None) is None


def requests_of(user):
    """The requests the user's unit made or received; every request for the offices."""
    rows = DataRequest.objects.select_related("consumer", "provider", "resource").order_by(
        "-created_at", "-id"
    )
    if _sees_all(user):
        return rows
    unit_id = getattr(user, "unit_id", None)
    return rows.filter(Q(consumer_id=unit_id) | Q(provider_id=unit_id)) if unit_id else rows.none()


def waiting_for_provider(user):
    """待审批: the requests waiting for the user's unit (every unit's for administrators)."""
    rows = DataRequest.objects.filter(state=RequestState.SUBMITTED).select_related(
        "consumer", "provider", "resource"
    )
    unit_id = getattr(user, "unit_id", None)
    rows = rows.filter(provider_id=unit_id) if unit_id else rows
    return rows.order_by("step_due_at", "id")


def waiting_for_routing():
    return (
        DataRequest.objects.filter(state=RequestState.ROUTING)
        .select_related("consumer")
        .order_by("step_due_at", "id")
    )


def may_read_request(user, request: DataRequest) -> bool:
    return (
        has_perm(user, "view_unit_work", request.consumer_id)
        or (request.provider_id and has_perm(user, "view_unit_work", request.provider_id))
        or (request.state == RequestState.ROUTING and has_perm(user, "review_catalog"))
    )


def grants_of(user):
    """我的授权: grants to the user's unit and grants of its resources."""
    rows = Grant.objects.select_related("consumer", "resource", "resource__provider").order_by(
        "-granted_at", "-id"
    )
    if _sees_all(user):
        return rows
    unit_id = getattr(user, "unit_id", None)
    if not unit_id:
        return rows.none()
    return rows.filter(Q(consumer_id=unit_id) | Q(resource__provider_id=unit_id))


def item_names(resource_ids) -> dict[tuple[int, str], str]:
    """``(resource id, column) → 信息项 name`` for the resources' items, in one query."""
    fields = DataField.objects.filter(resource_id__in=resource_ids).exclude(column="")
    return {(f.resource_id, f.column): f.name for f in fields.only("resource_id", "column", "name")}


def objections_of(user):
    """The objections the user raised, their unit raised or their unit must answer."""
    rows = Objection.objects.select_related("resource", "resource__provider", "unit").order_by(
        "-raised_at", "-id"
    )
    if _sees_all(user):
        return rows
    unit_id = getattr(user, "unit_id", None)
    mine = Q(raised_by_id=user.pk)
    if unit_id:
        mine |= Q(unit_id=unit_id) | Q(resource__provider_id=unit_id)
    return rows.filter(mine)


def may_read_objection(user, objection: Objection) -> bool:
    return (
        objection.raised_by_id == user.pk
        or has_perm(user, "view_unit_work", objection.resource.provider_id)
        or (objection.unit_id and has_perm(user, "view_unit_work", objection.unit_id))
    )


def unit_statistics(year: int | None = None) -> list[dict]:
    """Per provider unit: requests decided, approval rate, mean response time in hours, the
    share answered on time, and objections open, overdue and answered (issue 16, points 1
    and 5: statistics per unit for the ledger's assessment and the supervision statistics).
    ``year`` keeps the requests decided and the objections raised in that year (an
    assessment of that year); requests still waiting are then not counted. Two queries,
    whatever the number of units."""
    from shuzheng import clock

    figures: dict[int, dict] = {}

    def entry(unit_id, name):
        return figures.setdefault(
            unit_id,
            {"unit": name, "decided": 0, "approved": 0, "on_time": 0, "hours": 0.0,
             "waiting": 0, "objections_open": 0, "objections_overdue": 0, "objections_answered": 0},
        )  # fmt: skip

    now = clock.now()
    requests = DataRequest.objects.filter(provider__isnull=False)
    objections = Objection.objects.all()
    if year is not None:
        requests = requests.filter(decided_at__year=year)
        objections = objections.filter(raised_at__year=year)
    requests = requests.values_list(
        "provider_id", "provider__name", "state", "step_started_at", "step_due_at", "decided_at",
        "refusal_cause",
    )  # fmt: skip
    for unit_id, name, state, started, due, decided, cause in requests:
        row = entry(unit_id, name)
        if state in (RequestState.SUBMITTED,):
            row["waiting"] += 1
        if state in (RequestState.APPROVED, RequestState.REFUSED) and started and decided:
            if cause in ("not-shared", "core-data", "unpublished", "office"):
                continue  # decided by rule or by the office, not by the provider
            row["decided"] += 1
            row["approved"] += state == RequestState.APPROVED
            row["hours"] += (decided - started).total_seconds() / 3600
            row["on_time"] += due is None or decided <= due
    objections = objections.values_list(
        "resource__provider_id", "resource__provider__name", "state", "due_at"
    )
    for unit_id, name, state, due in objections:
        row = entry(unit_id, name)
        if state == ObjectionState.OPEN:
            row["objections_open"] += 1
            row["objections_overdue"] += due < now
        else:
            row["objections_answered"] += 1
    result = []
    for unit_id, row in sorted(figures.items(), key=lambda item: item[1]["unit"]):
        numbers = rules.UnitFigures(row["decided"], row["approved"], row["on_time"], row["hours"])
        result.append(
            {**row, "unit_id": unit_id, "approval_rate": numbers.approval_rate,
             "on_time_rate": numbers.on_time_rate, "mean_hours": numbers.mean_hours}
        )  # fmt: skip
    return result
