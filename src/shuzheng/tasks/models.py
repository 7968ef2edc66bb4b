"""Key tasks (重点任务) and their supervision (督查督办): the ledger (一本账) of issue 5.

Tasks come from documents' task lists and inline measures (issue 3, item 9) or are entered
by hand; a supervisor may split one into sub-tasks per unit and year. Assignments (交办 →
承办), progress reports (反馈) with evidence, and the closure state (办结) make the cycle.
Offsets are character offsets into the task's document ``text``.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shuzheng.tasks.choices import (
    AssignmentState,
    Closure,
    ExtensionState,
    MilestoneKind,
    ReportCycle,
    ResponsibilityRole,
    StatusLight,
    TaskForm,
)
from shuzheng.text.titles import first_words, short_title


class KeyTask(models.Model):
    """A key task. ``document`` is empty for tasks entered by hand and for sub-tasks, which
    reach their source through ``parent`` (so a document's task list never shows them twice)."""

    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        related_name="tasks",
        on_delete=models.CASCADE,
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent task"),
        null=True,
        blank=True,
        related_name="subtasks",
        on_delete=models.CASCADE,
    )
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("sub-task unit"),
        null=True,
        blank=True,
        related_name="subtasks",
        on_delete=models.PROTECT,
    )
    year = models.PositiveSmallIntegerField(_("sub-task year"), null=True, blank=True)
    section = models.ForeignKey(
        "documents.Section",
        verbose_name=_("section"),
        null=True,
        blank=True,
        related_name="tasks",
        on_delete=models.SET_NULL,
    )
    number = models.PositiveIntegerField(_("number"))
    category = models.CharField(_("category"), max_length=200, blank=True, db_index=True)
    content = models.TextField(_("content"))
    raw_responsibility = models.TextField(_("responsible units as written"), blank=True)
    deadline_text = models.CharField(_("deadline as written"), max_length=200, blank=True)
    form = models.CharField(_("form"), max_length=8, choices=TaskForm.choices)
    start = models.PositiveIntegerField(_("start offset"), null=True, blank=True)
    end = models.PositiveIntegerField(_("end offset"), null=True, blank=True)
    is_public = models.BooleanField(_("public"), default=False)
    report_cycle = models.CharField(
        _("report cycle"), max_length=12, choices=ReportCycle.choices, default=ReportCycle.MONTHLY
    )
    registered_on = models.DateField(
        _("registered on"),
        null=True,
        blank=True,
        help_text=_("Reporting duties start here until the task is assigned."),
    )
    closure = models.CharField(
        _("closure"), max_length=12, choices=Closure.choices, default=Closure.OPEN, db_index=True
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # The stored status light (docs/ledger.md, "Stored lights"): the ledger's row light as
    # tasks.status judged it on ``light_computed_on`` (a decomposed task's rolled up from its
    # sub-tasks), true until ``light_changes_on`` (None: time alone never changes it). Written
    # only by tasks.services.lights.refresh_lights, so the ledger and the dashboard filter,
    # count and sort in SQL; the one store of a task's light.
    light = models.CharField(
        _("status light"), max_length=8, choices=StatusLight.choices, blank=True, default=""
    )
    light_reason = models.CharField(_("light reason"), max_length=32, blank=True, default="")
    # The reason's parameters (a code and its numbers, never its rendered sentence): the date
    # it speaks of and its day count on ``light_computed_on`` (tasks.status.Verdict).
    light_on = models.DateField(_("light reason date"), null=True, blank=True)
    light_days = models.IntegerField(_("light reason days"), null=True, blank=True)
    light_computed_on = models.DateField(_("light computed for"), null=True, blank=True)
    light_changes_on = models.DateField(_("light changes on"), null=True, blank=True)
    next_due_on = models.DateField(
        _("next due on"),
        null=True,
        blank=True,
        help_text=_("The earliest dated milestone not yet achieved (the ledger's deadline order)."),
    )

    class Meta:
        ordering = ["document_id", "form", "number", "id"]
        verbose_name = _("key task")
        verbose_name_plural = _("key tasks")
        indexes = [
            models.Index(fields=["document", "number"]),
            # the ledger's order among top-level tasks, with and without a light filter
            models.Index(
                fields=["parent", "document", "form", "number", "id"], name="task_ledger_order"
            ),
            models.Index(
                fields=["light", "parent", "document", "form", "number", "id"],
                name="task_light_order",
            ),
            models.Index(fields=["light_computed_on"], name="task_light_computed"),
            models.Index(fields=["light_changes_on"], name="task_light_changes"),
            # the dashboard's lists: a light's tasks, the earliest reason date (most overdue) first
            models.Index(fields=["light", "light_on"], name="task_light_on"),
        ]

    def __str__(self) -> str:
        label = f"{self.number}. {self.content[:60]}"
        if self.parent_id:
            return f"{label} — {self.unit or ''} {self.year or ''}".rstrip()
        return label

    def get_absolute_url(self) -> str:
        return reverse("tasks:detail", args=[self.pk])

    @property
    def source_document(self):
        """The document the task was read from; sub-tasks inherit their parent's."""
        if self.document_id:
            return self.document
        return self.parent.source_document if self.parent_id else None

    @property
    def source_task(self):
        """The task whose row in the document is the source (itself or its parent)."""
        return self.parent if self.parent_id else self

    @property
    def short_document_title(self) -> str:
        """The source document's short title ("" for a task entered by hand): with the
        number and the first words, what the task page is called (issue 14: "重点任务 2"
        repeated across documents)."""
        document = self.source_document
        return short_title(document.title) if document is not None else ""

    @property
    def first_words(self) -> str:
        return first_words(self.source_task.content)


class TaskResponsibility(models.Model):
    """One unit's role in a task; ``unit`` is empty when the name could not be resolved."""

    task = models.ForeignKey(
        KeyTask, verbose_name=_("task"), related_name="responsibilities", on_delete=models.CASCADE
    )
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        related_name="task_responsibilities",
        on_delete=models.PROTECT,
    )
    role = models.CharField(_("role"), max_length=16, choices=ResponsibilityRole.choices)
    name = models.CharField(_("name as written"), max_length=200)
    group = models.CharField(_("unit group"), max_length=64, blank=True)

    class Meta:
        ordering = ["task_id", "id"]
        verbose_name = _("task responsibility")
        verbose_name_plural = _("task responsibilities")

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.unit or self.name}"


class Milestone(models.Model):
    task = models.ForeignKey(
        KeyTask, verbose_name=_("task"), related_name="milestones", on_delete=models.CASCADE
    )
    kind = models.CharField(_("kind"), max_length=16, choices=MilestoneKind.choices)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True, db_index=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    text = models.CharField(_("as written"), max_length=200, blank=True)
    achieved_on = models.DateField(_("achieved on"), null=True, blank=True)

    class Meta:
        ordering = ["task_id", "year", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.text or f"{self.get_kind_display()} {self.year or ''}".strip()


class Assignment(models.Model):
    """交办 (supervisor → unit) and 承办 (the unit accepts); one per task and unit."""

    task = models.ForeignKey(
        KeyTask, verbose_name=_("task"), related_name="assignments", on_delete=models.CASCADE
    )
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("unit"),
        related_name="task_assignments",
        on_delete=models.PROTECT,
    )
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=AssignmentState.choices,
        default=AssignmentState.ASSIGNED,
    )
    assigned_on = models.DateField(_("assigned on"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    undertaken_on = models.DateField(_("accepted on"), null=True, blank=True)
    undertaken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    rating = models.PositiveSmallIntegerField(_("supervisor rating"), null=True, blank=True)

    class Meta:
        ordering = ["task_id", "assigned_on", "id"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(fields=["task", "unit"], name="assignment_one_per_unit")
        ]
        indexes = [models.Index(fields=["unit", "task"])]

    def __str__(self) -> str:
        return f"{self.task} → {self.unit}"


class ProgressReport(models.Model):
    """反馈: a unit's progress report; ``claims_completion`` asks to close (申请办结)."""

    task = models.ForeignKey(
        KeyTask, verbose_name=_("task"), related_name="reports", on_delete=models.CASCADE
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), related_name="task_reports", on_delete=models.PROTECT
    )
    reported_on = models.DateField(_("reported on"))
    created_at = models.DateTimeField(_("created at"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    text = models.TextField(_("progress"))
    percent = models.PositiveSmallIntegerField(_("percent complete"), null=True, blank=True)
    claims_completion = models.BooleanField(_("claims completion"), default=False)

    class Meta:
        ordering = ["task_id", "-reported_on", "-id"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        indexes = [
            models.Index(fields=["task", "reported_on"]),
            models.Index(fields=["unit", "reported_on"]),
        ]

    def __str__(self) -> str:
        return (
            f"{self.task_id} {self.reported_on} {self.percent if self.percent is not None else ''}"
        )


class Evidence(models.Model):
    """A file attached to a progress report; stored under MEDIA_ROOT with a random name."""

    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("progress report"),
        related_name="evidence",
        on_delete=models.CASCADE,
    )
    file = models.FileField(_("file"), upload_to="tasks/evidence/%Y/%m/", max_length=255)
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size in bytes"))
    content_type = models.CharField(_("content type"), max_length=100)
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        ordering = ["report_id", "id"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.name


class TaskComment(models.Model):
    """A comment on a task (issue 14, point 6); ``mentions`` are the people its @names named,
    each notified once. Readable by whoever reads the task's internal work (field group
    ``task.comments``)."""

    task = models.ForeignKey(
        KeyTask, verbose_name=_("task"), related_name="comments", on_delete=models.CASCADE
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("created at"))
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("mentioned"), related_name="+", blank=True
    )

    class Meta:
        ordering = ["task_id", "created_at", "id"]
        verbose_name = _("task comment")
        verbose_name_plural = _("task comments")

    def __str__(self) -> str:
        return f"{self.task_id}: {self.text[:40]}"


class TaskWatcher(models.Model):
    """Someone who follows a task: told of its comments and of each supervision step."""

    task = models.ForeignKey(
        KeyTask, verbose_name=_("task"), related_name="watchers", on_delete=models.CASCADE
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        related_name="watched_tasks",
        on_delete=models.CASCADE,
    )
    since = models.DateTimeField(_("since"))

    class Meta:
        ordering = ["task_id", "since", "id"]
        verbose_name = _("task watcher")
        verbose_name_plural = _("task watchers")
        constraints = [models.UniqueConstraint(fields=["task", "user"], name="watch_once")]

    def __str__(self) -> str:
        return f"{self.user} → {self.task_id}"


class ExtensionRequest(models.Model):
    """延期申请: an assigned unit asks to move a milestone's due date, with a reason; the
    supervisor approves (the due date moves) or refuses. Every request stays, decided or not,
    with the due date it asked to move (``current_due_on``)."""

    milestone = models.ForeignKey(
        Milestone,
        verbose_name=_("milestone"),
        related_name="extension_requests",
        on_delete=models.CASCADE,
    )
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("unit"),
        related_name="extension_requests",
        on_delete=models.PROTECT,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    requested_at = models.DateTimeField(_("requested at"))
    current_due_on = models.DateField(_("due on before"))
    proposed_due_on = models.DateField(_("proposed due date"))
    reason = models.TextField(_("reason"))
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=ExtensionState.choices,
        default=ExtensionState.PENDING,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        ordering = ["milestone_id", "requested_at", "id"]
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        constraints = [
            models.UniqueConstraint(
                fields=["milestone"],
                condition=models.Q(state="pending"),
                name="one_pending_extension_per_milestone",
            )
        ]

    def __str__(self) -> str:
        return f"{self.milestone} → {self.proposed_due_on}"


class SavedFilter(models.Model):
    """A person's named ledger filter: the ledger's query string, checked by its FilterSet."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        related_name="saved_task_filters",
        on_delete=models.CASCADE,
    )
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(_("query"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["user_id", "name", "id"]
        verbose_name = _("saved ledger filter")
        verbose_name_plural = _("saved ledger filters")
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="saved_filter_name_once")
        ]

    def __str__(self) -> str:
        return self.name
