"""JSON API of the 12345 hotline: /api/v1/hotline/... (issue 15).

The public reads the catalog and a request's public view by its tracking number (no personal
information); anyone signed in submits (``submit_own_requests``). The unit a request is
assigned to accepts, returns (退单, with a reason) and replies (``act_for_unit`` for that
unit); operators and supervisors (``supervise_tasks``) dispatch by hand, record callbacks and
decide disputes. A refused step answers 409 with the reason, a bad submission 422 naming the
field; nothing changes.
"""

import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from shuzheng import clock
from shuzheng.accounts.api_auth import PUBLIC, SIGNED_IN
from shuzheng.accounts.authorization import (
    api_principal,
    api_requires,
    check_api_perm,
    has_perm,
)
from shuzheng.api_contract import ErrorOut, Id, InputSchema, Key, Text
from shuzheng.documents.api import UnitRefOut
from shuzheng.hotline import deadlines, selectors, services
from shuzheng.hotline.choices import CLOSED_STATES, CallbackBy, Channel
from shuzheng.hotline.models import MAX_DESCRIPTION, Assignment, Dispute
from shuzheng.hotline.rendering import open311_status, routing_reason
from shuzheng.orgs.models import Unit

router = Router(tags=["hotline"])


class HotlineServiceOut(Schema):
    code: str
    name: str
    group: str
    description: str
    keywords: list[str]
    is_general: bool
    response_days: int
    resolution_days: int


class HotlineAssignmentOut(Schema):
    id: int
    unit: UnitRefOut
    role: str
    state: str
    assigned_at: datetime.datetime
    return_reason: str


class HotlineRequestOut(Schema):
    """A request's public view: no name, phone, email or caller's address."""

    number: str
    service_code: str
    chosen_service_code: str
    channel: str
    state: str
    status: str
    description: str
    address: str
    region: str
    routing_reason: str
    handled_by: UnitRefOut | None
    requested_at: datetime.datetime
    response_due_at: datetime.datetime
    resolution_due_at: datetime.datetime
    resolved_at: datetime.datetime | None
    reopen_count: int
    #: The ledger's colours: red past the resolution limit, grey once closed.
    light: str
    supervised_task_id: int | None
    #: The request this one is merged under (合并), which carries the work; else null.
    merged_under: str | None


class HotlineRequestIn(InputSchema):
    service_code: Key
    description: Text = Field("", max_length=MAX_DESCRIPTION)
    address_string: Text = Field("", max_length=200)
    lat: float | None = None
    long: float | None = None
    attributes: dict[str, str | list[str]] = {}
    name: Text = Field("", max_length=64)
    phone: Text = Field("", max_length=32)
    email: Text = Field("", max_length=254)
    urgent: bool = False


class HotlineReasonIn(InputSchema):
    reason: Text = Field(max_length=500)


class HotlineReplyIn(InputSchema):
    text: Text = Field(max_length=MAX_DESCRIPTION)


class HotlineDispatchIn(InputSchema):
    unit: Key
    note: Text = Field("", max_length=300)


class HotlineMergeIn(InputSchema):
    master: Key


class HotlineCallbackIn(InputSchema):
    satisfaction: Key
    comment: Text = Field("", max_length=500)


def _request_out(request) -> dict:
    unit = selectors.handling_unit(request)
    return {
        "number": request.number,
        "service_code": request.category.code,
        "chosen_service_code": request.chosen_category.code,
        "channel": request.channel,
        "state": request.state,
        "status": open311_status(request.state),
        "description": request.description,
        "address": request.address_string,
        "region": request.region.name,
        "routing_reason": routing_reason(request.routing),
        "handled_by": {"code": unit.code, "name": unit.name} if unit else None,
        "requested_at": request.requested_at,
        "response_due_at": request.response_due_at,
        "resolution_due_at": request.resolution_due_at,
        "resolved_at": request.resolved_at,
        "reopen_count": request.reopen_count,
        "light": deadlines.light(
            clock.now(), request.resolution_due_at, closed=request.state in CLOSED_STATES
        ),
        "supervised_task_id": request.supervised_task_id,
        "merged_under": request.master.number if request.master_id else None,
    }


def _request(number: str):
    return get_object_or_404(
        selectors.requests_with_lead().select_related("chosen_category", "master"),
        number=number,
    )


@router.get(
    "/services", response=list[HotlineServiceOut], operation_id="hotline_services", auth=PUBLIC
)
@api_requires("view_published")
def list_services(request):
    """The service catalog (the same services Open311 publishes)."""
    return [
        {
            "code": c.code,
            "name": c.name,
            "group": c.group,
            "description": c.description,
            "keywords": c.keywords,
            "is_general": c.is_general,
            "response_days": c.response_days,
            "resolution_days": c.resolution_days,
        }
        for c in selectors.active_services()
    ]


@router.post(
    "/requests",
    response={201: HotlineRequestOut, 422: ErrorOut},
    operation_id="hotline_submit",
    auth=SIGNED_IN,
)
@api_requires("submit_own_requests")
def submit(request, payload: HotlineRequestIn):
    """Submit a request; it is routed at once (answer: its public view and tracking number)."""
    data = payload.dict()
    try:
        created = services.submit_request(
            services.Intake(**data, channel=Channel.API), actor=api_principal(request)
        )
    except services.IntakeError as error:
        return Status(422, {"detail": f"{error.field}: {error}"})
    return Status(201, _request_out(_request(created.number)))


@router.get(
    "/requests/{number}", response=HotlineRequestOut, operation_id="hotline_request", auth=PUBLIC
)
@api_requires("view_published")
def request_detail(request, number: Key):
    """A request's public view by its tracking number."""
    return _request_out(_request(number))


@router.get(
    "/requests/{number}/assignments",
    response=list[HotlineAssignmentOut],
    operation_id="hotline_assignments",
)
@api_requires("view_unit_work")
def assignments(request, number: Key):
    """Every unit the request was dispatched to, with the reasons of returns: for the units
    it was dispatched to and for those who read every unit's work."""
    found = _request(number)
    rows = list(found.assignments.select_related("unit").order_by("assigned_at", "id"))
    user = api_principal(request)
    if not any(has_perm(user, "view_unit_work", row.unit) for row in rows):
        check_api_perm(request, "view_unit_work", rows[0].unit if rows else None)
    return rows


def _assignment(request, assignment_id: int) -> Assignment:
    assignment = get_object_or_404(
        Assignment.objects.select_related("unit", "request"), pk=assignment_id
    )
    check_api_perm(request, "act_for_unit", assignment.unit)
    return assignment


@router.post(
    "/assignments/{assignment_id}/accept",
    response={200: HotlineAssignmentOut, 409: ErrorOut},
    operation_id="hotline_accept",
)
@api_requires("act_for_unit")
def accept(request, assignment_id: Id):
    """签收: the unit takes the request on."""
    assignment = _assignment(request, assignment_id)
    try:
        return services.accept(assignment, actor=api_principal(request))
    except services.HotlineError as error:
        return Status(409, {"detail": str(error)})


@router.post(
    "/assignments/{assignment_id}/return",
    response={200: HotlineRequestOut, 409: ErrorOut},
    operation_id="hotline_return",
)
@api_requires("act_for_unit")
def return_assignment(request, assignment_id: Id, payload: HotlineReasonIn):
    """退单: the unit is not responsible; the request is routed on (or disputed)."""
    assignment = _assignment(request, assignment_id)
    try:
        services.return_assignment(assignment, reason=payload.reason, actor=api_principal(request))
    except services.HotlineError as error:
        return Status(409, {"detail": str(error)})
    return _request_out(_request(assignment.request.number))


@router.post(
    "/requests/{number}/reply",
    response={201: HotlineRequestOut, 409: ErrorOut},
    operation_id="hotline_reply",
)
@api_requires("act_for_unit")
def reply(request, number: Key, payload: HotlineReplyIn):
    """答复 for the unit handling the request (the caller's unit)."""
    found = _request(number)
    unit = selectors.current_lead_unit(found)
    check_api_perm(request, "act_for_unit", unit)
    acting = api_principal(request).unit or unit
    try:
        services.reply(found, acting, text=payload.text, actor=api_principal(request))
    except services.HotlineError as error:
        return Status(409, {"detail": str(error)})
    return Status(201, _request_out(_request(number)))


@router.post(
    "/requests/{number}/dispatch",
    response={200: HotlineRequestOut, 409: ErrorOut},
    operation_id="hotline_dispatch",
)
@api_requires("supervise_tasks")
def dispatch(request, number: Key, payload: HotlineDispatchIn):
    """Re-route by hand to a unit (by its registry code)."""
    found = _request(number)
    unit = get_object_or_404(Unit, code=payload.unit)
    try:
        services.dispatch_to(found, unit, note=payload.note, actor=api_principal(request))
    except services.HotlineError as error:
        return Status(409, {"detail": str(error)})
    return _request_out(_request(number))


@router.post(
    "/requests/{number}/callback",
    response={201: HotlineRequestOut, 409: ErrorOut},
    operation_id="hotline_callback",
)
@api_requires("supervise_tasks")
def callback(request, number: Key, payload: HotlineCallbackIn):
    """回访 by the operator on the phone: 不满意 reopens the request."""
    found = _request(number)
    try:
        services.call_back(
            found,
            satisfaction=payload.satisfaction,
            by=CallbackBy.OPERATOR,
            comment=payload.comment,
            actor=api_principal(request),
        )
    except services.HotlineError as error:
        return Status(409, {"detail": str(error)})
    return Status(201, _request_out(_request(number)))


@router.post(
    "/disputes/{dispute_id}/decide",
    response={200: HotlineRequestOut, 409: ErrorOut},
    operation_id="hotline_decide_dispute",
)
@api_requires("supervise_tasks")
def decide(request, dispute_id: Id, payload: HotlineDispatchIn):
    """A supervisor decides which unit handles a disputed request."""
    dispute = get_object_or_404(Dispute.objects.select_related("request"), pk=dispute_id)
    unit = get_object_or_404(Unit, code=payload.unit)
    try:
        services.decide_dispute(dispute, unit, note=payload.note, actor=api_principal(request))
    except services.HotlineError as error:
        return Status(409, {"detail": str(error)})
    return _request_out(_request(dispute.request.number))


@router.post(
    "/requests/{number}/merge",
    response={200: HotlineRequestOut, 409: ErrorOut},
    operation_id="hotline_merge",
)
@api_requires("supervise_tasks")
def merge(request, number: Key, payload: HotlineMergeIn):
    """合并: merge the request under ``master``, a near duplicate reporting the same matter;
    the master carries the work and this request follows its state."""
    found = _request(number)
    master = _request(payload.master)
    try:
        services.merge_request(found, master, actor=api_principal(request))
    except services.HotlineError as error:
        return Status(409, {"detail": str(error)})
    return _request_out(_request(number))


@router.post(
    "/requests/{number}/unmerge",
    response={200: HotlineRequestOut, 409: ErrorOut},
    operation_id="hotline_unmerge",
)
@api_requires("supervise_tasks")
def unmerge(request, number: Key, payload: HotlineReasonIn):
    """拆分: the merged request is its own again, routed by the duty map."""
    found = _request(number)
    try:
        services.unmerge_request(found, reason=payload.reason, actor=api_principal(request))
    except services.HotlineError as error:
        return Status(409, {"detail": str(error)})
    return _request_out(_request(number))
