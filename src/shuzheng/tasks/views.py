"""HTML pages of the key-task ledger (issue 5, item 4): ledger, task page, my unit's tasks.

Thin views: they read through ``tasks.selectors``, act through ``tasks.services.supervision``, and turn a
refused step (:class:`supervision.TaskActionError`) into a message on the task page. Every action
is a POST form that works without JavaScript; htmx only swaps the ledger's results.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shuzheng import clock
from shuzheng.accounts.authorization import (
    ensure_perm,
    has_perm,
    reads_field_group,
    require_perm,
)
from shuzheng.lists import ObjectListView
from shuzheng.orgs.models import Unit
from shuzheng.tasks import selectors
from shuzheng.tasks.choices import AssignmentState, Closure
from shuzheng.tasks.filtersets import LedgerFilterSet
from shuzheng.tasks.forms import (
    AssignForm,
    ClaimForm,
    CloseForm,
    DecomposeForm,
    RejectForm,
    ReportForm,
    SettingsForm,
    TaskForm,
    UnitActionForm,
)
from shuzheng.tasks.models import Evidence, KeyTask
from shuzheng.tasks.services import supervision
from shuzheng.tasks.tables import LedgerTable, UnitTasksTable

PAGE_SIZE = 25
#: The timeline's words for the audit actions of tasks.services.
STEP_LABELS = {
    "tasks.create": gettext_lazy("Entered by hand"),
    "tasks.update_settings": gettext_lazy("Settings changed"),
    "tasks.assign": gettext_lazy("Assigned (交办)"),
    "tasks.undertake": gettext_lazy("Accepted (承办)"),
    "tasks.report": gettext_lazy("Progress reported (反馈)"),
    "tasks.claim": gettext_lazy("Completion claimed (申请办结)"),
    "tasks.close": gettext_lazy("Closed (办结)"),
    "tasks.reject": gettext_lazy("Completion claim rejected"),
    "tasks.decompose": gettext_lazy("Split into sub-tasks"),
    "admin.add": gettext_lazy("Added in the administration"),
    "admin.change": gettext_lazy("Corrected in the administration"),
}


class LedgerView(ObjectListView):
    """The ledger (一本账): every task the visitor may read, with its light and reason.

    Filtered, sorted and paginated in SQL on the stored lights (docs/ledger.md, "Stored
    lights"); the page says how old they are when the daily refresh has not caught up."""

    filterset_class = LedgerFilterSet
    table_class = LedgerTable
    template_name = "tasks/ledger.html"
    partial_template_name = "tasks/_ledger_rows.html"
    paginate_by = PAGE_SIZE

    def get(self, request, *args, **kwargs):
        self.today = clock.today()
        return super().get(request, *args, **kwargs)

    def get_rows(self):
        return selectors.listed_tasks(self.request.user)

    def filter_rows(self, filterset):
        return selectors.listing(filterset.qs, self.today)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["today"] = self.today
        context["lights_age"] = selectors.lights_age(self.today)
        context["can_supervise"] = has_perm(self.request.user, "supervise_tasks")
        if not self.request.headers.get("HX-Request"):
            context["choices"] = selectors.ledger_filter_choices(self.request.user)
        return context


ledger = require_perm("view_published")(LedgerView.as_view())


@require_perm("act_for_unit")
def mine(request):
    """My unit's open tasks needing action, the most urgent first (issue 5, item 4)."""
    unit_id = request.user.unit_id
    rows = selectors.tasks_needing_action(unit_id, clock.today()) if unit_id else []
    items = [(row, selectors.next_action(row, unit_id)) for row in rows]
    context = {"items": items, "table": UnitTasksTable(items), "unit": request.user.unit}
    return render(request, "tasks/mine.html", context)


@require_perm("supervise_tasks")
def create(request):
    """A key task entered by hand (issue 5, item 1)."""
    form = TaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            task = supervision.create_task(**form.cleaned_data, actor=request.user)
        except supervision.TaskActionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The task was added to the ledger."))
            return redirect(task)
    status = 400 if request.method == "POST" else 200
    return render(request, "tasks/create.html", {"form": form}, status=status)


def detail(request, pk: int):
    """The task page: source, units, milestones with lights, assignments, reports, timeline,
    and the actions the visitor's role allows."""
    task = get_object_or_404(
        KeyTask.objects.select_related("document", "section", "parent__document", "unit"), pk=pk
    )
    if not selectors.can_read(request.user, task):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied("this task is not public")
    row = selectors.task_row(task, clock.today())
    acting_unit = _own_unit(request.user)
    mine = [a for a in row.assignments if acting_unit and a.unit_id == acting_unit.pk]
    can_supervise = has_perm(request.user, "supervise_tasks")
    responsible = selectors.responsible_units(task) if can_supervise else []
    reports = selectors.task_reports(task, request.user)
    context = {
        "task": task,
        "row": row,
        # Field groups of permissions.FIELD_GROUPS (issue 9, point 3): every part of another
        # unit's work is left out, not only the sections.
        "reports": [(item, selectors.readable_evidence(request.user, item)) for item in reports],
        "shows_reports": bool(reports)
        or selectors.reads_work_on_task(request.user, task, "task.reports"),
        "assignments": [
            (assignment, selectors.readable_note(request.user, assignment))
            for assignment in row.assignments
        ],
        "timeline": [
            (event, STEP_LABELS.get(event.action, event.action))
            for event in selectors.task_timeline(task, request.user)
        ],
        "can_supervise": can_supervise,
        "my_assignment": mine[0] if mine else None,
        "acting_unit": acting_unit,
        "Closure": Closure,
        "AssignmentState": AssignmentState,
        "assign_form": AssignForm(),
        "report_form": ReportForm(),
        "claim_form": ClaimForm(),
        "close_form": CloseForm(),
        "reject_form": RejectForm(),
        "settings_form": SettingsForm(
            initial={"report_cycle": task.report_cycle, "is_public": task.is_public}
        ),
        "responsible": responsible,
        "groups": _groups(responsible),
        "assignable_units": _assignable_units(task, responsible) if can_supervise else [],
    }
    return render(request, "tasks/detail.html", context)


@require_POST
@require_perm("supervise_tasks")
def assign(request, pk: int):
    task = get_object_or_404(KeyTask, pk=pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        return _invalid(request, task, form)
    unit = Unit.objects.filter(code=form.cleaned_data["unit"]).first()
    if unit is None:
        messages.error(request, _("There is no unit with this code."))
        return redirect(task)
    return _act(
        request,
        task,
        lambda: supervision.assign(
            task,
            unit,
            due_on=form.cleaned_data["due_on"],
            note=form.cleaned_data["note"],
            actor=request.user,
        ),
        _("The task was assigned to %(unit)s.") % {"unit": unit},
    )


@require_POST
@require_perm("act_for_unit")
def undertake(request, pk: int):
    task = get_object_or_404(KeyTask, pk=pk)
    form = UnitActionForm(request.POST)
    form.is_valid()
    unit = _acting_unit(request, task, form.cleaned_data.get("unit", ""))
    return _act(
        request,
        task,
        lambda: supervision.undertake(task, unit, actor=request.user),
        _("Your unit accepted the task."),
    )


@require_POST
@require_perm("act_for_unit")
def report(request, pk: int):
    task = get_object_or_404(KeyTask, pk=pk)
    form = ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _invalid(request, task, form)
    unit = _acting_unit(request, task, form.cleaned_data["unit"])
    return _act(
        request,
        task,
        lambda: supervision.report(
            task,
            unit,
            text=form.cleaned_data["text"],
            percent=form.cleaned_data["percent"],
            files=form.cleaned_data["evidence"],
            actor=request.user,
        ),
        _("Your progress report was recorded."),
    )


@require_POST
@require_perm("act_for_unit")
def claim(request, pk: int):
    task = get_object_or_404(KeyTask, pk=pk)
    form = ClaimForm(request.POST, request.FILES)
    if not form.is_valid():
        return _invalid(request, task, form)
    unit = _acting_unit(request, task, form.cleaned_data["unit"])
    return _act(
        request,
        task,
        lambda: supervision.claim_completion(
            task,
            unit,
            text=form.cleaned_data["text"],
            files=form.cleaned_data["evidence"],
            actor=request.user,
        ),
        _("Completion was reported; the supervisor will confirm it."),
    )


@require_POST
@require_perm("supervise_tasks")
def close(request, pk: int):
    task = get_object_or_404(KeyTask, pk=pk)
    form = CloseForm(request.POST)
    if not form.is_valid():
        return _invalid(request, task, form)
    return _act(
        request,
        task,
        lambda: supervision.close(task, rating=form.cleaned_data["rating"], actor=request.user),
        _("The task is closed (办结)."),
    )


@require_POST
@require_perm("supervise_tasks")
def reject(request, pk: int):
    task = get_object_or_404(KeyTask, pk=pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _invalid(request, task, form)
    return _act(
        request,
        task,
        lambda: supervision.reject(task, reason=form.cleaned_data["reason"], actor=request.user),
        _("The completion claim was rejected; the task is in progress again."),
    )


@require_POST
@require_perm("supervise_tasks")
def decompose(request, pk: int):
    task = get_object_or_404(KeyTask, pk=pk)
    responsible = selectors.responsible_units(task)
    form = DecomposeForm(
        request.POST,
        unit_choices=[(row.unit.code, row.unit.name) for row in responsible],
        group_choices=_groups(responsible),
    )
    if not form.is_valid():
        return _invalid(request, task, form)
    units = selectors.units_to_split_among(
        task, form.cleaned_data["units"], form.cleaned_data["groups"]
    )
    return _act(
        request,
        task,
        lambda: supervision.decompose(
            task, units=units, per_year=form.cleaned_data["per_year"], actor=request.user
        ),
        _("The task was split into sub-tasks."),
    )


@require_POST
@require_perm("supervise_tasks")
def settings_view(request, pk: int):
    task = get_object_or_404(KeyTask, pk=pk)
    form = SettingsForm(request.POST)
    if not form.is_valid():
        return _invalid(request, task, form)
    return _act(
        request,
        task,
        lambda: supervision.update_settings(task, **form.cleaned_data, actor=request.user),
        _("The task's settings were saved."),
    )


def evidence(request, pk: int):
    """Download one evidence file: for the reporting unit's members and supervisors only
    (field group ``task.evidence``)."""
    item = get_object_or_404(Evidence.objects.select_related("report"), pk=pk)
    if not reads_field_group(request.user, "task.evidence", item.report.unit_id):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied("evidence is for the reporting unit and supervisors")
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file is missing from storage.")) from None
    return FileResponse(
        handle, as_attachment=True, filename=item.name, content_type=item.content_type
    )


# --- helpers --------------------------------------------------------------------------------


def _own_unit(user):
    return user.unit if getattr(user, "unit_id", None) else None


def _acting_unit(request, task: KeyTask, code: str):
    """The unit a person acts for: their own; an administrator names one or, when the task
    has a single assignment, acts for that unit. PermissionDenied when not theirs."""
    unit = _own_unit(request.user)
    if unit is None and code:
        unit = Unit.objects.filter(code=code).first()
    if unit is None:
        assigned = list(task.assignments.select_related("unit")[:2])
        unit = assigned[0].unit if len(assigned) == 1 else None
    if unit is None:
        raise PermissionDenied("name the unit you act for")
    ensure_perm(request.user, "act_for_unit", unit)
    return unit


def _act(request, task: KeyTask, step, success: str):
    try:
        step()
    except supervision.TaskActionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect(task)


def _invalid(request, task: KeyTask, form):
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)
    return redirect(task)


def _groups(responsible) -> list[tuple[str, str]]:
    return list(dict.fromkeys((row.group, row.name) for row in responsible if row.group))


def _assignable_units(task: KeyTask, responsible) -> list:
    if task.unit_id:
        return [task.unit]
    return list(dict.fromkeys(row.unit for row in responsible))
