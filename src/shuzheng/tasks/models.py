"""Key tasks (重点任务) read from documents' task lists and inline measures.

Only what ingestion needs so far (issue 3, item 9); assignments and progress reports come
with supervision. Offsets are character offsets into the task's document ``text``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shuzheng.tasks.choices import MilestoneKind, ResponsibilityRole, TaskForm


class KeyTask(models.Model):
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("document"),
        related_name="tasks",
        on_delete=models.CASCADE,
    )
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
    start = models.PositiveIntegerField(_("start offset"))
    end = models.PositiveIntegerField(_("end offset"))
    is_public = models.BooleanField(_("public"), default=False)

    class Meta:
        ordering = ["document_id", "form", "number", "id"]
        verbose_name = _("key task")
        verbose_name_plural = _("key tasks")
        indexes = [models.Index(fields=["document", "number"])]

    def __str__(self) -> str:
        return f"{self.number}. {self.content[:60]}"


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

    class Meta:
        ordering = ["task_id", "year", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.text or f"{self.get_kind_display()} {self.year or ''}".strip()
