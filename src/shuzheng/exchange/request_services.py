"""Every change to a data request (供需对接, issue 16 point 1): drafting, submitting, routing
a demand, and the provider's approval, refusal or return — each one transaction, audited,
with its step (``RequestDecision``) and the notifications it owes.

The path a request takes is ``request_rules.outcome`` of its resource (国发〔2016〕51号):
无条件共享 general data is granted on submission, 有条件共享 (and important) data goes to
the provider, who answers within 10 working days with reasons, 不予共享 is refused with the
catalog's reason and core data is refused always. A demand naming no catalog resource goes
to the catalog office (``review_catalog``), which routes it to a provider unit — with the
resource when the catalog holds one — or refuses it.

Who may act: the consumer unit's staff draft and submit (``act_for_unit`` for the consumer),
the provider unit's head decides (``approve_for_unit`` for the provider), the catalog
office routes. ``actor`` None is a system job (the sample loader).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from shuzheng import clock
from shuzheng.accounts.authorization import ensure_perm
from shuzheng.accounts.models import User
from shuzheng.accounts.permissions import ROLE_PERMISSIONS, UNIT_BOUND_ROLES
from shuzheng.audit.services import record_change
from shuzheng.catalog.models import DataResource
from shuzheng.exchange import grant_services
from shuzheng.exchange import request_rules as rules
from shuzheng.exchange.request_choices import RefusalCause, RequestAction, RequestState
from shuzheng.exchange.request_models import DataRequest, RequestDecision
from shuzheng.notifications.services import notify
from shuzheng.orgs.models import Unit

WAITING_KIND = "exchange_request_waiting"
DECIDED_KIND = "exchange_request_decided"
REMINDER_KIND = "exchange_request_reminder"
#: The longest a grant may be asked for (a request's period), in days.
MAX_PERIOD_DAYS = 5 * 366


class RequestError(ValueError):
    """Refused input or step; ``errors`` maps a form field to its message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{key}: {value}" for key, value in errors.items()))
        self.errors = errors


@dataclass
class RequestInput:
    """A request as the form gives it."""

    consumer: Unit
    purpose: str
    legal_basis: str
    needed_until: dt.date | None
    resource: DataResource | None = None
    demand: str = ""
    columns: list[str] = field(default_factory=list)
    row_filters: list[dict] = field(default_factory=list)
    scope_note: str = ""
    is_sample: bool = False


def deadlines() -> rules.Deadlines:
    """The working days of each step (settings ``EXCHANGE_DEADLINES`` may change them)."""
    return rules.Deadlines(**getattr(settings, "EXCHANGE_DEADLINES", {}))


def due_after(start: dt.datetime, working_days: int) -> dt.datetime:
    """The close of the ``working_days``-th working day after ``start``'s day."""
    zone = ZoneInfo(settings.TIME_ZONE)
    day = rules.add_working_days(start.astimezone(zone).date(), working_days)
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=zone)


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _validate(data: RequestInput) -> dict[str, str]:
    errors = {}
    if not data.purpose.strip():
        errors["purpose"] = _("State the purpose the data is used for.")
    if not data.legal_basis.strip():
        errors["legal_basis"] = _("Name the legal basis for using the data.")
    if data.resource is None and not data.demand.strip():
        errors["resource"] = _("Choose a catalog resource or describe the data you need.")
    today = clock.today()
    if data.needed_until is None:
        errors["needed_until"] = _("Say until when the data is needed.")
    elif data.needed_until <= today:
        errors["needed_until"] = _("The period must end in the future.")
    elif (data.needed_until - today).days > MAX_PERIOD_DAYS:
        errors["needed_until"] = _("The period may be at most five years.")
    if data.resource is not None:
        columns = grant_services.resource_columns(data.resource)
        unknown = [column for column in data.columns if column not in columns]
        if unknown:
            errors["columns"] = _("The resource has no such fields: %(columns)s") % {
                "columns": "、".join(unknown)
            }
        elif not data.columns:
            errors["columns"] = _("Choose the fields you need.")
        _filters, problem = grant_services.check_row_filters(data.row_filters, data.resource)
        if problem:
            errors["row_filters"] = problem
    elif data.row_filters:
        errors["row_filters"] = _("Row filters need a catalog resource.")
    return errors


def _state(request: DataRequest) -> dict:
    return {
        "state": request.state,
        "resource": request.resource_id,
        "provider": request.provider_id,
        "columns": request.columns,
        "row_filters": request.row_filters,
        "step_due_at": request.step_due_at.isoformat() if request.step_due_at else None,
        "grant": request.grant_id,
    }


def _step(request, actor, action, from_state, reason="", unit=None) -> RequestDecision:
    return RequestDecision.objects.create(
        request=request,
        action=action,
        from_state=from_state,
        to_state=request.state,
        reason=reason,
        unit=unit,
        actor=_user(actor),
        at=clock.now(),
    )


@transaction.atomic
def create_request(*, actor, data: RequestInput) -> DataRequest:
    """A draft request of the consumer unit (issue 16, point 1: purpose, legal basis, fields,
    scope and period)."""
    if actor is not None:
        ensure_perm(actor, "act_for_unit", data.consumer)
    errors = _validate(data)
    if errors:
        raise RequestError(errors)
    request = DataRequest.objects.create(
        consumer=data.consumer,
        resource=data.resource,
        demand=data.demand.strip(),
        provider=data.resource.provider if data.resource else None,
        purpose=data.purpose.strip(),
        legal_basis=data.legal_basis.strip(),
        columns=list(dict.fromkeys(data.columns)),
        row_filters=grant_services.check_row_filters(data.row_filters, data.resource)[0],
        scope_note=data.scope_note.strip(),
        needed_until=data.needed_until,
        created_at=clock.now(),
        created_by=_user(actor),
        is_sample=data.is_sample,
    )
    _step(request, actor, RequestAction.CREATE, RequestState.DRAFT, unit=data.consumer)
    record_change(actor=actor, action="exchange.create_request", obj=request, after=_state(request))
    return request


def _locked(request: DataRequest) -> DataRequest:
    return (
        DataRequest.objects.select_for_update(of=("self",))
        .select_related("resource", "resource__provider", "consumer", "provider")
        .get(pk=request.pk)
    )


def _check_step(request: DataRequest, action: rules.Action) -> None:
    if not rules.may(action, request.state):
        raise RequestError(
            {
                "state": _("This step is not possible for a request that is %(state)s.")
                % {"state": RequestState(request.state).label}
            }
        )


def _grant_expiry(request: DataRequest) -> dt.datetime:
    zone = ZoneInfo(settings.TIME_ZONE)
    return dt.datetime.combine(request.needed_until, dt.time(23, 59, 59), tzinfo=zone)


@transaction.atomic
def submit_request(*, actor, request: DataRequest) -> DataRequest:
    """Send a draft (or a returned request) on: the catalog's share type and grade decide
    where it goes (``request_rules.outcome``)."""
    request = _locked(request)
    if actor is not None:
        ensure_perm(actor, "act_for_unit", request.consumer)
    _check_step(request, rules.Action.SUBMIT)
    before = _state(request)
    from_state = request.state
    now = clock.now()
    request.submitted_at = now
    reason = _forward(request, actor, now)
    _step(request, actor, RequestAction.SUBMIT, from_state, reason, unit=request.consumer)
    record_change(
        actor=actor,
        action="exchange.submit_request",
        obj=request,
        before=before,
        after=_state(request),
    )
    return request


def _forward(request: DataRequest, actor, now: dt.datetime) -> str:
    """Apply the rule to a request being submitted or routed; the reason of a refusal by rule."""
    resource = request.resource
    found = rules.outcome(
        share_type=resource.share_type if resource else None,
        grade=resource.grade if resource else None,
        published=resource is not None and resource.state == "published",
    )
    reason = ""
    if found == rules.Outcome.TO_OFFICE and request.provider_id is None:
        _wait(request, RequestState.ROUTING, now, deadlines().routing_days)
    elif found in (rules.Outcome.TO_OFFICE, rules.Outcome.TO_PROVIDER):
        # A routed demand without a catalog resource, or 有条件共享: the provider decides.
        _wait(request, RequestState.SUBMITTED, now, deadlines().review_days)
    elif found == rules.Outcome.GRANT_AT_ONCE:
        try:
            request.grant = grant_services.issue_grant(
                actor=actor,
                consumer=request.consumer,
                resource=resource,
                columns=request.columns,
                row_filters=request.row_filters,
                purpose=request.purpose,
                legal_basis=request.legal_basis,
                expires_at=_grant_expiry(request),
                by_rule=True,
                is_sample=request.is_sample,
            )
        except grant_services.GrantError as error:
            raise RequestError(error.errors) from error
        reason = _("Shared unconditionally: granted on submission.")
        _close(request, RequestState.APPROVED, now)
    else:
        reason = grant_services.refusal_message(found, resource)
        request.refusal_cause = found.value
        _close(request, RequestState.REFUSED, now)
    request.save()
    return reason


def _wait(request: DataRequest, state: str, now: dt.datetime, days: int) -> None:
    request.state = state
    request.step_started_at = now
    request.step_due_at = due_after(now, days)
    request.decided_at = None
    request.refusal_cause = ""
    transaction.on_commit(lambda: notify_waiting(request.pk))


def _close(request: DataRequest, state: str, now: dt.datetime) -> None:
    request.state = state
    request.step_due_at = None
    request.decided_at = now
    transaction.on_commit(lambda: notify_decided(request.pk))


@transaction.atomic
def route_request(
    *, actor, request: DataRequest, provider: Unit, resource: DataResource | None = None, reason=""
) -> DataRequest:
    """The catalog office routes a demand to a likely provider (需求分派, issue 16 point 1),
    naming the catalog resource when it finds one — then the resource's rule applies."""
    request = _locked(request)
    if actor is not None:
        ensure_perm(actor, "review_catalog")
    _check_step(request, rules.Action.ROUTE)
    if resource is not None and resource.provider_id != provider.pk:
        raise RequestError({"resource": _("The resource is not the chosen provider's.")})
    before = _state(request)
    request.provider = provider
    if resource is not None:
        request.resource = resource
        columns = grant_services.resource_columns(resource)
        chosen = [c for c in request.columns if c in columns]
        request.columns = chosen or grant_services.shareable_columns(resource)
    now = clock.now()
    rule_reason = _forward(request, actor, now)
    reason = "\n".join(part for part in ((reason or "").strip(), rule_reason) if part)
    _step(request, actor, RequestAction.ROUTE, RequestState.ROUTING, reason, unit=provider)
    record_change(
        actor=actor,
        action="exchange.route_request",
        obj=request,
        before=before,
        after=_state(request),
    )
    return request


def _decider_perm(request: DataRequest, actor) -> None:
    if actor is None:
        return
    if request.state == RequestState.ROUTING:
        ensure_perm(actor, "review_catalog")
    else:
        ensure_perm(actor, "approve_for_unit", request.provider)


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise RequestError({"reason": _("Give the reason for this decision.")})
    return reason


@transaction.atomic
def approve_request(
    *,
    actor,
    request: DataRequest,
    reason: str,
    columns=None,
    row_filters=None,
    expires_at: dt.datetime | None = None,
    resource: DataResource | None = None,
) -> DataRequest:
    """The provider approves with its reasons (国发〔2016〕51号 第十四条) and so issues the
    grant: the columns and row filters asked for unless it narrows them, until the end of the
    period asked for unless it shortens it. A routed demand names the resource here."""
    request = _locked(request)
    _check_step(request, rules.Action.APPROVE)
    _decider_perm(request, actor)
    reason = _reason(reason)
    if resource is not None:
        if resource.provider_id != request.provider_id:
            raise RequestError({"resource": _("The resource is not the chosen provider's.")})
        request.resource = resource
    if request.resource is None:
        raise RequestError({"resource": _("Choose the catalog resource the grant is for.")})
    before = _state(request)
    try:
        grant = grant_services.issue_grant(
            actor=actor,
            consumer=request.consumer,
            resource=request.resource,
            columns=request.columns if columns is None else columns,
            row_filters=request.row_filters if row_filters is None else row_filters,
            purpose=request.purpose,
            legal_basis=request.legal_basis,
            expires_at=expires_at or _grant_expiry(request),
            is_sample=request.is_sample,
        )
    except grant_services.GrantError as error:
        raise RequestError(error.errors) from error
    request.grant = grant
    _close(request, RequestState.APPROVED, clock.now())
    request.save()
    _step(request, actor, RequestAction.APPROVE, RequestState.SUBMITTED, reason, request.provider)
    record_change(
        actor=actor,
        action="exchange.approve_request",
        obj=request,
        before=before,
        after=_state(request),
    )
    return request


@transaction.atomic
def refuse_request(*, actor, request: DataRequest, reason: str) -> DataRequest:
    """The provider (or, for a demand not yet routed, the catalog office) refuses, saying why."""
    request = _locked(request)
    _check_step(request, rules.Action.REFUSE)
    _decider_perm(request, actor)
    reason = _reason(reason)
    before = _state(request)
    from_state = request.state
    request.refusal_cause = (
        RefusalCause.OFFICE if from_state == RequestState.ROUTING else RefusalCause.PROVIDER
    )
    _close(request, RequestState.REFUSED, clock.now())
    request.save()
    unit = request.provider if from_state == RequestState.SUBMITTED else None
    _step(request, actor, RequestAction.REFUSE, from_state, reason, unit)
    record_change(
        actor=actor,
        action="exchange.refuse_request",
        obj=request,
        before=before,
        after=_state(request),
    )
    return request


@transaction.atomic
def return_request(*, actor, request: DataRequest, reason: str) -> DataRequest:
    """Send the request back to the consumer to amend (e.g. a legal basis that is missing)."""
    request = _locked(request)
    _check_step(request, rules.Action.RETURN)
    _decider_perm(request, actor)
    reason = _reason(reason)
    before = _state(request)
    from_state = request.state
    request.state = RequestState.RETURNED
    request.step_due_at = None
    request.decided_at = clock.now()
    request.save()
    unit = request.provider if from_state == RequestState.SUBMITTED else None
    _step(request, actor, RequestAction.RETURN, from_state, reason, unit)
    record_change(
        actor=actor,
        action="exchange.return_request",
        obj=request,
        before=before,
        after=_state(request),
    )
    transaction.on_commit(lambda: notify_decided(request.pk))
    return request


@transaction.atomic
def update_request(*, actor, request: DataRequest, data: RequestInput) -> DataRequest:
    """The consumer amends a draft or a returned request before submitting it (again)."""
    request = _locked(request)
    if actor is not None:
        ensure_perm(actor, "act_for_unit", request.consumer)
    if request.state not in rules.EDITABLE_STATES:
        raise RequestError({"state": _("Only a draft or a returned request can be changed.")})
    errors = _validate(data)
    if errors:
        raise RequestError(errors)
    before = _state(request)
    request.resource = data.resource
    request.demand = data.demand.strip()
    request.provider = data.resource.provider if data.resource else None
    request.purpose = data.purpose.strip()
    request.legal_basis = data.legal_basis.strip()
    request.columns = list(dict.fromkeys(data.columns))
    request.row_filters = data.row_filters
    request.scope_note = data.scope_note.strip()
    request.needed_until = data.needed_until
    request.save()
    record_change(
        actor=actor,
        action="exchange.update_request",
        obj=request,
        before=before,
        after=_state(request),
    )
    return request


# -- notifications and reminders (催办) ------------------------------------------------------


def _roles_with(perm: str, *, unit_bound: bool) -> list[str]:
    return [
        role
        for role, perms in ROLE_PERMISSIONS.items()
        if perm in perms and (role in UNIT_BOUND_ROLES) == unit_bound
    ]


def approvers_of(unit_id) -> list[User]:
    """The people who decide for a provider unit: its heads (``approve_for_unit``)."""
    roles = _roles_with("approve_for_unit", unit_bound=True)
    return list(User.objects.filter(unit_id=unit_id, role__in=roles, is_active=True))


def catalog_office() -> list[User]:
    """The catalog office: those who hold ``review_catalog`` for every unit, not administrators
    (who hold everything but run no office)."""
    roles = [r for r in _roles_with("review_catalog", unit_bound=False) if r != "administrator"]
    return list(User.objects.filter(role__in=roles, is_active=True))


def answerers_of(request: DataRequest) -> list[User]:
    if request.state == RequestState.ROUTING:
        return catalog_office()
    if request.state == RequestState.SUBMITTED and request.provider_id:
        return approvers_of(request.provider_id)
    return []


def _params(request: DataRequest) -> dict:
    return {
        "request": request.pk,
        "consumer": request.consumer.name,
        "subject": str(request.resource.title) if request.resource else request.demand[:60],
        "state": request.state,
        "due": request.step_due_at.date().isoformat() if request.step_due_at else "",
    }


def _link(request: DataRequest) -> str:
    return f"/exchange/requests/{request.pk}/"


def notify_waiting(request_id: int) -> int:
    """Tell those who owe the answer that a request waits for them."""
    request = DataRequest.objects.select_related("consumer", "resource").get(pk=request_id)
    sent = 0
    for person in answerers_of(request):
        sent += bool(
            notify(
                person,
                kind=WAITING_KIND,
                params=_params(request),
                link=_link(request),
                dedupe_key=f"exchange-request-{request.pk}-{request.state}-{request.step_started_at:%Y%m%d%H%M%S%f}",
            )
        )
    return sent


def notify_decided(request_id: int) -> int:
    """Tell the consumer's drafter the request was decided (approved, refused, returned)."""
    request = DataRequest.objects.select_related("consumer", "resource", "created_by").get(
        pk=request_id
    )
    if request.created_by is None or request.decided_at is None:
        return 0
    stamp = f"{request.decided_at:%Y%m%d%H%M%S%f}"
    return bool(
        notify(
            request.created_by,
            kind=DECIDED_KIND,
            params=_params(request),
            link=_link(request),
            dedupe_key=f"exchange-request-{request.pk}-{request.state}-{stamp}",
        )
    )


def send_request_reminders(now: dt.datetime | None = None) -> int:
    """Remind whoever owes an answer the day before it is due and once it is overdue
    (催办, issue 16 point 1); each reminder once per step (the notification's dedupe key)."""
    now = now or clock.now()
    sent = 0
    waiting = DataRequest.objects.filter(
        state__in=[s.value for s in rules.WAITING_STATES],
        step_due_at__lte=now + dt.timedelta(days=1),
    ).select_related("consumer", "resource")
    for request in waiting:
        urgency = rules.urgency(now, request.step_due_at)
        if urgency == rules.Urgency.ON_TIME:
            continue
        params = {**_params(request), "urgency": urgency.value}
        for person in answerers_of(request):
            sent += bool(
                notify(
                    person,
                    kind=REMINDER_KIND,
                    params=params,
                    link=_link(request),
                    dedupe_key=f"exchange-request-{request.pk}-{request.state}-{request.step_due_at:%Y%m%d}-{urgency.value}",
                )
            )
    return sent
