"""Enumerations of the key-task models; values equal the parser's (documents.parsing.model)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskForm(models.TextChoices):
    TABLE = "table", _("Task list row")
    INLINE = "inline", _("Inline measure")


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
