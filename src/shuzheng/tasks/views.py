"""HTML pages of the key-task ledger (issue 5, item 4): ledger, task page, my unit's tasks.

Thin views: they read through ``tasks.selectors``, act through ``tasks.services.supervision``, and turn a
refused step (:class:`supervision.TaskActionError`) into a message on the task page. Every action
is a POST form that works without JavaScript; htmx only swaps the ledger's results.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
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
from shuzheng.tasks import exports, rendering, selectors
from shuzheng.tasks.choices import AssignmentState, Closure
from shuzheng.tasks.filtersets import LedgerFilterSet
from shuzheng.tasks.forms import (
    AssignForm,
    BulkAssignForm,
    ClaimForm,
    CloseForm,
    CommentForm,
    DecisionForm,
    DecomposeForm,
    ExtensionForm,
    PeriodForm,
    RejectForm,
    ReportForm,
    SavedFilterForm,
    SettingsForm,
    TaskForm,
    UnitActionForm,
    WatchForm,
)
from shuzheng.tasks.models import Evidence, ExtensionRequest, KeyTask, SavedFilter
from shuzheng.tasks.services import collaboration, supervision
from shuzheng.tasks.tables import LedgerTable, SupervisorLedgerTable, UnitTasksTable
from shuzheng.trust.documents import sealed_download

PAGE_SIZE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
        if has_perm(request.user, "supervise_tasks"):
            self.table_class = SupervisorLedgerTable
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
        if context["can_supervise"]:
            context["bulk_form"] = BulkAssignForm()
        if not self.request.headers.get("HX-Request"):
            context["choices"] = selectors.ledger_filter_choices(self.request.user)
            context["can_save_filters"] = has_perm(self.request.user, "manage_own_subscriptions")
            if context["can_save_filters"]:
                context["saved_filters"] = list(self.request.user.saved_task_filters.all())
        context["export_query"] = self.filter_query()
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
            (event, rendering.step_label(event.action))
            for event in selectors.task_timeline(task, request.user)
        ],
        "can_supervise": can_supervise,
        **_collaboration_context(request.user, task, row),
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


# --- the ledger as supervisors work it (issue 14, point 6) ----------------------------------


def _filtered_rows(request, params=None):
    """The ledger's rows as the page filters them (the same FilterSet), or the filter's error;
    ``params`` instead of the query string (the sealed circular's form posts them)."""
    params = request.GET if params is None else params
    filterset = LedgerFilterSet(params, queryset=selectors.listed_tasks(request.user))
    return filterset, selectors.listing(filterset.qs, clock.today())


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_perm("view_published")
def export(request, fmt: str):
    """The ledger as filtered, as Excel or CSV (UTF-8 with a BOM, for Excel)."""
    filterset, listing = _filtered_rows(request)
    if filterset.error_text():
        messages.error(request, filterset.error_text())
        return redirect("tasks:ledger")
    lines = exports.ledger_rows(listing)
    stamp = clock.today().isoformat()
    if fmt == "csv":
        return _attachment(
            exports.ledger_csv(lines), "text/csv; charset=utf-8", f"ledger-{stamp}.csv"
        )
    title = _("Key-task ledger (as of %(day)s)") % {"day": stamp}
    return _attachment(exports.ledger_workbook(lines, title), XLSX, f"ledger-{stamp}.xlsx")


def slip(request, pk: int):
    """督办单 of one task (PDF): for supervisors and the task's units."""
    task = get_object_or_404(
        KeyTask.objects.select_related("document", "parent__document", "unit"), pk=pk
    )
    if not selectors.can_discuss(request.user, task):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied("the supervision slip is for supervisors and the task's units")
    today = clock.today()
    row = selectors.task_row(task, today)
    content = exports.supervision_slip(task, row, office=_office(), today=today)
    return _attachment(content, "application/pdf", f"slip-{task.pk}.pdf")


@require_POST
@require_perm("supervise_tasks")
def slip_sealed(request, pk: int):
    """督办单 sealed by the unit posted (盖章下载, ``trust.documents``): the supervision side
    issues it, so sealing needs ``supervise_tasks`` besides the unit's sealing right."""
    task = get_object_or_404(
        KeyTask.objects.select_related("document", "parent__document", "unit"), pk=pk
    )
    today = clock.today()
    row = selectors.task_row(task, today)
    return sealed_download(
        request,
        units=None,
        render=lambda unit, seal_png: exports.supervision_slip(
            task, row, office=unit.name, today=today, seal_png=seal_png
        ),
        subject_kind="tasks.slip",
        subject_ref=f"{task.number} ({task.pk}) {today.isoformat()}",
        filename=f"slip-{task.pk}-sealed.pdf",
        back=task.get_absolute_url(),
    )


@require_perm("supervise_tasks")
def circular(request):
    """情况通报 of a period (PDF) over the ledger as filtered."""
    return _circular(request, request.GET, sealed=False)


@require_POST
@require_perm("supervise_tasks")
def circular_sealed(request):
    """情况通报 sealed by the unit posted (盖章下载); the form posts the period and filters."""
    return _circular(request, request.POST, sealed=True)


def _circular(request, params, *, sealed: bool):
    period = PeriodForm(params)
    filterset, listing = _filtered_rows(request, params)
    if not period.is_valid() or filterset.error_text():
        for errors in period.errors.values():
            for error in errors:
                messages.error(request, error)
        if filterset.error_text():
            messages.error(request, filterset.error_text())
        return redirect("tasks:ledger")
    rows = [row for start in range(0, listing.count(), 500) for row in listing[start : start + 500]]
    start, end = period.cleaned_data["start"], period.cleaned_data["end"]
    today = clock.today()
    if sealed:
        return sealed_download(
            request,
            units=None,
            render=lambda unit, seal_png: exports.circular(
                rows, start=start, end=end, office=unit.name, today=today, seal_png=seal_png
            ),
            subject_kind="tasks.circular",
            subject_ref=f"{start.isoformat()}/{end.isoformat()} {today.isoformat()}",
            filename=f"circular-{start}-{end}-sealed.pdf",
            back=reverse("tasks:ledger"),
        )
    content = exports.circular(rows, start=start, end=end, office=_office(), today=today)
    return _attachment(content, "application/pdf", f"circular-{start}-{end}.pdf")


def _office() -> str:
    """The signer of an unsealed slip or circular: the configured office, else a generic name
    (a sealed one is signed by the unit whose seal it carries)."""
    return settings.SUPERVISION_OFFICE or _("Supervision office")


@require_POST
@require_perm("view_unit_work")
def comment(request, pk: int):
    task = get_object_or_404(KeyTask, pk=pk)
    _ensure_discusses(request, task)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _invalid(request, task, form)
    return _act(
        request,
        task,
        lambda: collaboration.add_comment(task, text=form.cleaned_data["text"], actor=request.user),
        _("Your comment was added."),
    )


@require_POST
@require_perm("view_unit_work")
def watch(request, pk: int):
    task = get_object_or_404(KeyTask, pk=pk)
    _ensure_discusses(request, task)
    form = WatchForm(request.POST)
    form.is_valid()
    if form.cleaned_data.get("watch"):
        return _act(
            request,
            task,
            lambda: collaboration.watch(task, actor=request.user),
            _("You follow this task now."),
        )
    return _act(
        request,
        task,
        lambda: collaboration.unwatch(task, actor=request.user),
        _("You no longer follow this task."),
    )


@require_POST
@require_perm("act_for_unit")
def request_extension(request, pk: int):
    task = get_object_or_404(KeyTask, pk=pk)
    form = ExtensionForm(request.POST)
    if not form.is_valid():
        return _invalid(request, task, form)
    milestone = task.milestones.filter(pk=form.cleaned_data["milestone"]).first()
    if milestone is None:
        messages.error(request, _("This milestone is not one of the task's."))
        return redirect(task)
    unit = _acting_unit(request, task, form.cleaned_data["unit"])
    return _act(
        request,
        task,
        lambda: collaboration.request_extension(
            milestone,
            unit,
            proposed_due_on=form.cleaned_data["proposed_due_on"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        ),
        _("The extension was requested; the supervisor will decide."),
    )


@require_POST
@require_perm("supervise_tasks")
def decide_extension(request, pk: int):
    item = get_object_or_404(ExtensionRequest.objects.select_related("milestone__task"), pk=pk)
    task = item.milestone.task
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _invalid(request, task, form)
    approve = form.cleaned_data["approve"]
    return _act(
        request,
        task,
        lambda: collaboration.decide_extension(
            item, approve=approve, note=form.cleaned_data["note"], actor=request.user
        ),
        _("The extension was approved; the milestone's due date moved.")
        if approve
        else _("The extension was refused."),
    )


@require_POST
@require_perm("supervise_tasks")
def bulk_assign(request):
    form = BulkAssignForm(request.POST)
    back = redirect(f"{reverse('tasks:ledger')}?{request.POST.get('back', '')}")
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}：{error}" if label else error)
        return back
    unit = form.cleaned_data["unit"]
    tasks = list(KeyTask.objects.filter(pk__in=form.cleaned_data["tasks"]).order_by("pk"))
    try:
        done = collaboration.bulk_assign(
            tasks,
            unit,
            due_on=form.cleaned_data["due_on"],
            note=form.cleaned_data["note"],
            actor=request.user,
        )
    except supervision.TaskActionError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(count)d tasks were assigned to %(unit)s.") % {"count": len(done), "unit": unit},
        )
    return back


@require_POST
@require_perm("manage_own_subscriptions")
def save_filter(request):
    form = SavedFilterForm(request.POST)
    query = request.POST.get("query", "")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(f"{reverse('tasks:ledger')}?{query}")
    try:
        saved = collaboration.save_filter(
            name=form.cleaned_data["name"], query=form.cleaned_data["query"], actor=request.user
        )
    except supervision.TaskActionError as error:
        messages.error(request, str(error))
        return redirect(f"{reverse('tasks:ledger')}?{query}")
    messages.success(request, _("The filter “%(name)s” was saved.") % {"name": saved.name})
    return redirect(f"{reverse('tasks:ledger')}?{saved.query}")


@require_POST
@require_perm("manage_own_subscriptions")
def delete_filter(request, pk: int):
    saved = get_object_or_404(SavedFilter, pk=pk)
    if saved.user_id != request.user.pk:
        raise PermissionDenied("this filter is not yours")
    collaboration.delete_filter(saved, actor=request.user)
    messages.success(request, _("The filter “%(name)s” was deleted.") % {"name": saved.name})
    return redirect("tasks:ledger")


@require_perm("view_published")
def timeline(request):
    """Milestones by unit on a time axis (Gantt-style), over the ledger as filtered."""
    filterset, listing = _filtered_rows(request)
    rows = listing[:TIMELINE_TASKS] if not filterset.error_text() else []
    chart = selectors.timeline_chart(rows, clock.today())
    context = {
        "chart": chart,
        "form": filterset.form,
        "filter_errors": filterset.error_text(),
        "query": request.GET.urlencode(),
        "shown": len(rows),
        "total": listing.count() if not filterset.error_text() else 0,
        "limit": TIMELINE_TASKS,
        "choices": selectors.ledger_filter_choices(request.user),
    }
    return render(request, "tasks/timeline.html", context)


TIMELINE_TASKS = 60


def _collaboration_context(user, task: KeyTask, row) -> dict:
    """Comments, following and 延期申请 on the task page: for who may discuss the task."""
    if not selectors.can_discuss(user, task):
        return {"can_discuss": False}
    return {
        "can_discuss": True,
        "comments": selectors.task_comments(task),
        "watching": task.watchers.filter(user=user).exists(),
        "watcher_count": task.watchers.count(),
        "extensions": selectors.task_extensions(task),
        "extendable": [
            item.milestone
            for item in row.milestones
            if item.milestone.achieved_on is None and (item.milestone.due_on or item.milestone.year)
        ],
    }


def _ensure_discusses(request, task: KeyTask) -> None:
    if not selectors.can_discuss(request.user, task):
        raise PermissionDenied("comments are for supervisors and the task's units")
