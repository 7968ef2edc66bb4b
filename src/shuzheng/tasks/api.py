"""JSON API of the key-task ledger: /api/v1/tasks/... (issue 5, item 5).

Reading follows the pages: supervisors read every task, unit staff and heads their unit's
(and public ones), everyone else public tasks only. Supervisors assign, close, reject and
decompose (``supervise_tasks``); the assigned unit accepts, reports and claims completion
(``act_for_unit`` for that unit). A refused step answers 409 with the reason; nothing changes.
"""

import datetime

from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.files import UploadedFile
from ninja.pagination import paginate

from shuzheng import clock
from shuzheng.accounts.api_auth import PUBLIC, SIGNED_IN
from shuzheng.accounts.authorization import api_principal, api_requires, check_api_perm
from shuzheng.api_contract import ErrorOut, Id, InputSchema, Pagination, Text
from shuzheng.documents.api import UnitRefOut, readable_document
from shuzheng.filtersets import filter_or_422, query_schema
from shuzheng.orgs.models import Unit
from shuzheng.tasks import selectors
from shuzheng.tasks.filtersets import DocumentTaskFilterSet, LedgerFilterSet
from shuzheng.tasks.models import KeyTask
from shuzheng.tasks.services import supervision
from shuzheng.tasks.services.reminders import send_due_reminders

router = Router(tags=["tasks"])


class StatusOut(Schema):
    light: str
    reason: str
    text: str


class MilestoneOut(Schema):
    id: int
    kind: str
    year: int | None
    due_on: datetime.date | None
    achieved_on: datetime.date | None
    text: str
    status: StatusOut


class AssignmentOut(Schema):
    unit: UnitRefOut
    state: str
    assigned_on: datetime.date
    due_on: datetime.date | None
    undertaken_on: datetime.date | None
    #: Field group ``task.assignment_notes``: null for readers outside the assigned unit.
    note: str | None


class TaskRowOut(Schema):
    id: int
    number: int
    form: str
    category: str
    content: str
    raw_responsibility: str
    deadline_text: str
    document_id: int | None
    parent_id: int | None
    unit: UnitRefOut | None
    year: int | None
    report_cycle: str
    is_public: bool
    closure: str
    status: StatusOut
    last_report_on: datetime.date | None
    last_percent: int | None
    assignments: list[AssignmentOut]
    subtask_ids: list[int]


class EvidenceOut(Schema):
    id: int
    name: str
    size: int
    content_type: str
    sha256: str
    url: str


class ReportOut(Schema):
    id: int
    unit: UnitRefOut
    reported_on: datetime.date
    text: str
    percent: int | None
    claims_completion: bool
    evidence: list[EvidenceOut]


class TaskOut(TaskRowOut):
    milestones: list[MilestoneOut]
    reports: list[ReportOut]


LedgerFilterIn = query_schema(LedgerFilterSet, "LedgerFilterIn")


class TaskIn(InputSchema):
    category: str = Field("", max_length=200)
    content: str
    responsibility: str = ""
    deadline: str
    report_cycle: str = "monthly"
    is_public: bool = False


class SettingsIn(InputSchema):
    report_cycle: str | None = None
    is_public: bool | None = None


class AssignIn(InputSchema):
    unit: str
    due_on: datetime.date | None = None
    note: str = ""


class UnitIn(InputSchema):
    unit: str = ""


class ClaimIn(InputSchema):
    text: str
    unit: str = ""


class CloseIn(InputSchema):
    rating: int | None = None


class RejectIn(InputSchema):
    reason: str


class DecomposeIn(InputSchema):
    units: list[str] = []
    groups: list[str] = []
    per_year: bool = False


class ReminderRunOut(Schema):
    date: datetime.date
    tasks: int
    reminders: int
    red_lights: int


@router.get("", response=list[TaskRowOut], operation_id="tasks_list", auth=PUBLIC)
@api_requires("view_published")
@paginate(Pagination, page_size=50)
def list_tasks(request, filters: Query[LedgerFilterIn]):
    """The ledger: tasks the caller may read with light, reason and latest report; filter by
    light, category, unit code, milestone year, document id, text; sort by ``number``,
    ``deadline``, ``light`` or ``category``. Filtered, sorted and counted in SQL on the
    stored lights (docs/ledger.md, "Stored lights")."""
    today = clock.today()
    user = api_principal(request)
    tasks = filter_or_422(LedgerFilterSet, request, selectors.listed_tasks(user))
    return selectors.listing(tasks, today, transform=lambda row: _row_out(row, user))


@router.post(
    "",
    response={201: TaskOut, 409: ErrorOut},
    operation_id="tasks_create",
    auth=SIGNED_IN,
)
@api_requires("supervise_tasks")
def create_task(request, payload: TaskIn):
    """A task entered by hand; responsibility and deadline are read as a document's are."""
    try:
        task = supervision.create_task(**payload.dict(), actor=api_principal(request))
    except supervision.TaskActionError as error:
        return Status(409, {"detail": str(error)})
    return Status(201, _detail_out(task, api_principal(request)))


@router.post("/reminders", response=ReminderRunOut, operation_id="tasks_reminders")
@api_requires("supervise_tasks")
def reminders(request):
    """催办 now: what ``shuzheng remind`` does daily; idempotent for the day."""
    today = clock.today()
    summary = send_due_reminders(today, actor=api_principal(request))
    return {
        "date": today,
        "tasks": summary.tasks,
        "reminders": summary.reminders,
        "red_lights": summary.red_lights,
    }


@router.get("/{task_id}", response=TaskOut, operation_id="tasks_detail", auth=PUBLIC)
def task_detail(request, task_id: Id):
    """One task with milestones and their lights, assignments, and the progress reports the
    caller reads: each unit's for that unit and supervisors (field groups, docs/security.md)."""
    return _detail_out(_readable(request, task_id), api_principal(request))


@router.patch("/{task_id}", response={200: TaskOut, 409: ErrorOut}, operation_id="tasks_update")
@api_requires("supervise_tasks")
def update_task(request, task_id: Id, payload: SettingsIn):
    """Per-task settings: ``report_cycle`` (monthly / quarterly) and ``is_public``."""
    task = get_object_or_404(KeyTask, pk=task_id)
    return _run(
        request,
        task,
        lambda actor: supervision.update_settings(task, **payload.dict(), actor=actor),
    )


@router.post(
    "/{task_id}/assign", response={200: TaskOut, 409: ErrorOut}, operation_id="tasks_assign"
)
@api_requires("supervise_tasks")
def assign(request, task_id: Id, payload: AssignIn):
    """交办: assign the task to a unit (by code); ``due_on`` defaults to the next milestone."""
    task = get_object_or_404(KeyTask, pk=task_id)
    unit = _unit(payload.unit)
    return _run(
        request,
        task,
        lambda actor: supervision.assign(
            task, unit, due_on=payload.due_on, note=payload.note, actor=actor
        ),
    )


@router.post(
    "/{task_id}/undertake",
    response={200: TaskOut, 409: ErrorOut},
    operation_id="tasks_undertake",
)
@api_requires("act_for_unit")
def undertake(request, task_id: Id, payload: UnitIn):
    """承办: the caller's unit accepts the task assigned to it."""
    task = get_object_or_404(KeyTask, pk=task_id)
    unit = _acting_unit(request, task, payload.unit)
    return _run(request, task, lambda actor: supervision.undertake(task, unit, actor=actor))


@router.post(
    "/{task_id}/reports",
    response={201: TaskOut, 409: ErrorOut},
    operation_id="tasks_report",
)
@api_requires("act_for_unit")
def report(
    request,
    task_id: Id,
    text: Form[Text],
    percent: Form[int | None] = None,
    unit: Text = Form(""),  # noqa: B008 - Form[Text] would drop the default (django-ninja)
    evidence: File[list[UploadedFile]] = None,
):
    """反馈: a progress report (multipart: ``text``, ``percent``, files in ``evidence``)."""
    task = get_object_or_404(KeyTask, pk=task_id)
    acting = _acting_unit(request, task, unit)
    return _run(
        request,
        task,
        lambda actor: supervision.report(
            task, acting, text=text, percent=percent, files=evidence or [], actor=actor
        ),
        created=True,
    )


@router.post("/{task_id}/claim", response={200: TaskOut, 409: ErrorOut}, operation_id="tasks_claim")
@api_requires("act_for_unit")
def claim(request, task_id: Id, payload: ClaimIn):
    """申请办结: the unit reports the task complete; the supervisor then closes or rejects."""
    task = get_object_or_404(KeyTask, pk=task_id)
    unit = _acting_unit(request, task, payload.unit)
    return _run(
        request,
        task,
        lambda actor: supervision.claim_completion(task, unit, text=payload.text, actor=actor),
    )


@router.post("/{task_id}/close", response={200: TaskOut, 409: ErrorOut}, operation_id="tasks_close")
@api_requires("supervise_tasks")
def close(request, task_id: Id, payload: CloseIn):
    """办结: confirm a claimed completion, optionally rating the unit's work (1–5)."""
    task = get_object_or_404(KeyTask, pk=task_id)
    return _run(
        request, task, lambda actor: supervision.close(task, rating=payload.rating, actor=actor)
    )


@router.post(
    "/{task_id}/reject", response={200: TaskOut, 409: ErrorOut}, operation_id="tasks_reject"
)
@api_requires("supervise_tasks")
def reject(request, task_id: Id, payload: RejectIn):
    """Reject a completion claim with a reason: the task is in progress again."""
    task = get_object_or_404(KeyTask, pk=task_id)
    return _run(
        request, task, lambda actor: supervision.reject(task, reason=payload.reason, actor=actor)
    )


@router.post(
    "/{task_id}/decompose",
    response={201: list[TaskRowOut], 409: ErrorOut},
    operation_id="tasks_decompose",
)
@api_requires("supervise_tasks")
def decompose(request, task_id: Id, payload: DecomposeIn):
    """Split into sub-tasks: one per unit (``units`` codes, or every unit of ``groups`` such
    as all-cities-and-counties), and per year with ``per_year``."""
    task = get_object_or_404(KeyTask, pk=task_id)
    units = selectors.units_to_split_among(task, payload.units, payload.groups)
    try:
        created = supervision.decompose(
            task, units=units, per_year=payload.per_year, actor=api_principal(request)
        )
    except supervision.TaskActionError as error:
        return Status(409, {"detail": str(error)})
    rows = selectors.ledger_rows(
        selectors.LedgerFilters(include_subtasks=True),
        clock.today(),
        tasks=KeyTask.objects.filter(pk__in=[sub.pk for sub in created]),
    )
    return Status(201, [_row_out(row, api_principal(request)) for row in rows])


# --- helpers --------------------------------------------------------------------------------


def _readable(request, task_id: int) -> KeyTask:
    task = get_object_or_404(KeyTask, pk=task_id)
    user = api_principal(request)
    if selectors.can_read(user, task):
        return task
    if not getattr(user, "is_authenticated", False):
        raise AuthenticationError()
    raise HttpError(403, "this task is not public")


def _unit(code: str) -> Unit:
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise HttpError(422, f"there is no unit with code {code!r}")
    return unit


def _acting_unit(request, task: KeyTask, code: str) -> Unit:
    """The caller's own unit; a caller without one (an administrator) names it, or acts for
    the task's only assigned unit."""
    user = api_principal(request)
    unit = user.unit if getattr(user, "unit_id", None) else None
    if unit is None and code:
        unit = _unit(code)
    if unit is None:
        assigned = list(task.assignments.select_related("unit")[:2])
        if len(assigned) != 1:
            raise HttpError(422, "name the unit you act for (field 'unit')")
        unit = assigned[0].unit
    check_api_perm(request, "act_for_unit", unit)
    return unit


def _run(request, task: KeyTask, step, created: bool = False):
    try:
        step(api_principal(request))
    except supervision.TaskActionError as error:
        return Status(409, {"detail": str(error)})
    return Status(201 if created else 200, _detail_out(task, api_principal(request)))


def _status_out(status) -> dict:
    """A light as JSON, from a ``RowStatus`` or a ``MilestoneRow`` (text in the request's
    language)."""
    return {"light": str(status.light), "reason": str(status.reason), "text": status.text}


def _unit_out(unit) -> dict | None:
    return {"code": unit.code, "name": unit.name} if unit is not None else None


def _row_out(row: selectors.LedgerRow, user) -> dict:
    """A ledger row: field group ``task.public``, except each assignment's note."""
    task = row.task
    return {
        "id": task.pk,
        "number": task.number,
        "form": task.form,
        "category": task.category,
        "content": task.content,
        "raw_responsibility": task.raw_responsibility,
        "deadline_text": task.deadline_text,
        "document_id": task.document_id,
        "parent_id": task.parent_id,
        "unit": _unit_out(task.unit if task.unit_id else None),
        "year": task.year,
        "report_cycle": task.report_cycle,
        "is_public": task.is_public,
        "closure": task.closure,
        "status": _status_out(row.status),
        "last_report_on": row.last_report_on,
        "last_percent": row.last_percent,
        "assignments": [
            {
                "unit": _unit_out(a.unit),
                "state": a.state,
                "assigned_on": a.assigned_on,
                "due_on": a.due_on,
                "undertaken_on": a.undertaken_on,
                "note": selectors.readable_note(user, a),
            }
            for a in row.assignments
        ],
        "subtask_ids": [sub.task.pk for sub in row.subtasks],
    }


def _detail_out(task: KeyTask, user) -> dict:
    """One task: its public fields, and the reports and evidence ``user`` reads (field groups
    ``task.reports`` and ``task.evidence`` of ``permissions.FIELD_GROUPS``)."""
    row = selectors.task_row(task, clock.today())
    out = _row_out(row, user)
    out["milestones"] = [
        {
            "id": item.milestone.pk,
            "kind": item.milestone.kind,
            "year": item.milestone.year,
            "due_on": item.milestone.due_on,
            "achieved_on": item.milestone.achieved_on,
            "text": item.milestone.text,
            "status": _status_out(item),
        }
        for item in row.milestones
    ]
    out["reports"] = [
        {
            "id": item.pk,
            "unit": _unit_out(item.unit),
            "reported_on": item.reported_on,
            "text": item.text,
            "percent": item.percent,
            "claims_completion": item.claims_completion,
            "evidence": [_evidence_out(file) for file in selectors.readable_evidence(user, item)],
        }
        for item in selectors.task_reports(task, user)
    ]
    return out


def _evidence_out(file) -> dict:
    return {
        "id": file.pk,
        "name": file.name,
        "size": file.size,
        "content_type": file.content_type,
        "sha256": file.sha256,
        "url": reverse("tasks:evidence", args=[file.pk]),
    }


# -- a document's key tasks ------------------------------------------------------------------

#: ``/api/v1/documents/{id}/tasks``: mounted under ``/documents/`` by ``shuzheng.api``, so
#: the route lives with the rows it reads and the documents app needs no tasks import.
document_tasks_router = Router(tags=["documents"])


class DocumentTaskResponsibilityOut(Schema):
    role: str
    name: str
    unit_code: str | None
    group: str

    @staticmethod
    def resolve_unit_code(obj) -> str | None:
        return obj.unit.code if obj.unit_id else None


class DocumentTaskMilestoneOut(Schema):
    kind: str
    year: int | None
    due_on: datetime.date | None
    text: str


class DocumentTaskOut(Schema):
    id: int
    number: int
    form: str
    category: str
    content: str
    raw_responsibility: str
    deadline_text: str
    deadline_year: int | None
    start: int
    end: int
    responsibilities: list[DocumentTaskResponsibilityOut]
    milestones: list[DocumentTaskMilestoneOut]

    @staticmethod
    def resolve_responsibilities(obj) -> list:
        return list(obj.responsibilities.all())

    @staticmethod
    def resolve_milestones(obj) -> list:
        return list(obj.milestones.all())


DocumentTaskFilterIn = query_schema(DocumentTaskFilterSet, "DocumentTaskFilterIn")


@document_tasks_router.get(
    "/{document_id}/tasks",
    response=list[DocumentTaskOut],
    operation_id="documents_tasks",
    auth=PUBLIC,
)
def document_tasks(request, document_id: Id, filters: Query[DocumentTaskFilterIn]):
    """A document's key tasks with units and milestones; filter by responsible unit code
    and milestone year, sort by ``number``, ``category`` or ``deadline``."""
    document = readable_document(request, document_id)
    rows = selectors.document_task_rows(document)
    return filter_or_422(DocumentTaskFilterSet, request, rows)
