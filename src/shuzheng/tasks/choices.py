"""Enumerations of the key-task models; values equal the parser's (documents.parsing.model)
and the pure rule modules' (tasks.deadlines, tasks.status)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskForm(models.TextChoices):
    TABLE = "table", _("Task list row")
    INLINE = "inline", _("Inline measure")
    MANUAL = "manual", _("Entered by hand")


class ResponsibilityRole(models.TextChoices):
    """Glossary: 牵头 → lead, 负责 → owner, 配合 → supporting."""

    LEAD = "lead", _("Lead")
    OWNER = "owner", _("Responsible")
    SUPPORTING = "supporting", _("Supporting")


class MilestoneKind(models.TextChoices):
    """Glossary: 完成时限 → milestones (start / complete / effective / ongoing)."""

    START = "start", _("Start")
    COMPLETE = "complete", _("Completion")
    EFFECTIVE = "effective", _("Visible results")
    ONGOING = "ongoing", _("Ongoing")


class ReportCycle(models.TextChoices):
    """反馈周期; values equal tasks.deadlines.ReportCycle."""

    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


class Closure(models.TextChoices):
    """办结: values equal tasks.status.Closure."""

    OPEN = "open", _("Open")
    CLAIMED = "claimed", _("Completion claimed")
    CONFIRMED = "confirmed", _("Closed")


class AssignmentState(models.TextChoices):
    """交办 → 承办: a unit has been given the task, then accepts it."""

    ASSIGNED = "assigned", _("Assigned")
    UNDERTAKEN = "undertaken", _("Accepted")


class StatusLight(models.TextChoices):
    """红黄绿灯 (status_light); values equal tasks.status.Light."""

    RED = "red", _("Red")
    YELLOW = "yellow", _("Yellow")
    GREEN = "green", _("Green")
    GREY = "grey", _("Grey")
