"""Enumerations shared by the hotline's models, forms, API and Open311 output."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """Where a request came in (issue 15: one intake for every interaction channel)."""

    WEB = "web", _("Government website")
    PHONE = "phone", _("Hotline call")
    APP = "app", _("My Ningxia app")
    OPEN311 = "open311", _("Open311 API")
    API = "api", _("Platform API")
    PETITION = "petition", _("Petition")
    INSPECTION = "inspection", _("Internet + inspection")


class RequestState(models.TextChoices):
    """The 接诉即办 states (受理 → 派单 → 办理 → 办结 → 回访; 重新办理 after 不满意)."""

    ACCEPTED = "accepted", _("Accepted")
    DISPATCHED = "dispatched", _("Dispatched")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    VISITED = "visited", _("Called back")
    REOPENED = "reopened", _("Reopened")


#: Open311 knows only open and closed (GeoReport v2, "status"): these states are closed.
CLOSED_STATES = frozenset({RequestState.RESOLVED, RequestState.VISITED})


class DutyRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    ASSIST = "assist", _("Assisting")


class AssignmentState(models.TextChoices):
    DISPATCHED = "dispatched", _("Dispatched")
    ACCEPTED = "accepted", _("Accepted by the unit")
    RETURNED = "returned", _("Returned by the unit")
    REPLIED = "replied", _("Replied")
    WITHDRAWN = "withdrawn", _("Withdrawn")


#: The assignments a unit still has to act on.
OPEN_ASSIGNMENT_STATES = frozenset({AssignmentState.DISPATCHED, AssignmentState.ACCEPTED})


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


class CallbackBy(models.TextChoices):
    OPERATOR = "operator", _("Operator on the phone")
    CALLER = "caller", _("Caller through the survey link")


class DisputeState(models.TextChoices):
    OPEN = "open", _("Open")
    DECIDED = "decided", _("Decided")


class ServiceType(models.TextChoices):
    """GeoReport v2 service types."""

    REALTIME = "realtime", "realtime"
    BATCH = "batch", "batch"
    BLACKBOX = "blackbox", "blackbox"


class AttributeDatatype(models.TextChoices):
    """GeoReport v2 attribute datatypes."""

    STRING = "string", "string"
    NUMBER = "number", "number"
    DATETIME = "datetime", "datetime"
    TEXT = "text", "text"
    SINGLEVALUELIST = "singlevaluelist", "singlevaluelist"
    MULTIVALUELIST = "multivaluelist", "multivaluelist"


class KnowledgeState(models.TextChoices):
    """A knowledge entry's review (即问即答): only reviewed entries answer anyone."""

    DRAFT = "draft", _("Draft, not reviewed")
    REVIEWED = "reviewed", _("Reviewed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
