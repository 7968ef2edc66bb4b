"""Enumerations of the key-task models, forms and API: labels for the values that the
parser (``documents.parsing.model``) and the pure rule modules (``tasks.deadlines``,
``tasks.status``) define. Each value is written once, there; the choices refer to it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shuzheng.documents.parsing import model as parsed
from shuzheng.tasks import deadlines, status


class TaskForm(models.TextChoices):
    TABLE = "table", _("Task list row")
    INLINE = "inline", _("Inline measure")
    MANUAL = "manual", _("Entered by hand")


class ResponsibilityRole(models.TextChoices):
    """Glossary: 牵头 → lead, 负责 → owner, 配合 → supporting."""

    LEAD = parsed.UnitRole.LEAD.value, _("Lead")
    OWNER = parsed.UnitRole.OWNER.value, _("Responsible")
    SUPPORTING = parsed.UnitRole.SUPPORTING.value, _("Supporting")


class MilestoneKind(models.TextChoices):
    """Glossary: 完成时限 → milestones (start / complete / effective / ongoing)."""

    START = parsed.MilestoneKind.START.value, _("Start")
    COMPLETE = parsed.MilestoneKind.COMPLETE.value, _("Completion")
    EFFECTIVE = parsed.MilestoneKind.EFFECTIVE.value, _("Visible results")
    ONGOING = parsed.MilestoneKind.ONGOING.value, _("Ongoing")


class ReportCycle(models.TextChoices):
    """反馈周期."""

    MONTHLY = deadlines.ReportCycle.MONTHLY.value, _("Monthly")
    QUARTERLY = deadlines.ReportCycle.QUARTERLY.value, _("Quarterly")


class Closure(models.TextChoices):
    """办结."""

    OPEN = status.Closure.OPEN.value, _("Open")
    CLAIMED = status.Closure.CLAIMED.value, _("Completion claimed")
    CONFIRMED = status.Closure.CONFIRMED.value, _("Closed")


class AssignmentState(models.TextChoices):
    """交办 → 承办: a unit has been given the task, then accepts it."""

    ASSIGNED = "assigned", _("Assigned")
    UNDERTAKEN = "undertaken", _("Accepted")


class StatusLight(models.TextChoices):
    """红黄绿灯 (status_light)."""

    RED = status.Light.RED.value, _("Red")
    YELLOW = status.Light.YELLOW.value, _("Yellow")
    GREEN = status.Light.GREEN.value, _("Green")
    GREY = status.Light.GREY.value, _("Grey")


class ExtensionState(models.TextChoices):
    """延期申请: a unit asks to move a milestone; the supervisor approves or refuses."""

    PENDING = "pending", _("Awaiting decision")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
