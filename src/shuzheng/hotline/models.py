"""The 12345 hotline's tables (issue 15).

* the service catalog (:class:`ServiceCategory` with its Open311 code, keywords and
  :class:`ServiceAttribute`\\ s) and the duty map (权责清单, :class:`DutyEntry`: category ×
  region → unit, 牵头 or 配合), both data edited by supervisors;
* requests (:class:`ServiceRequest`) from every channel, the caller's personal information
  kept apart in :class:`Caller` so that one table holds what 个人信息保护法 protects and every
  read of it goes through the privacy rules;
* the routing trail: :class:`Assignment` (派单, 签收, 退单 with its reason), :class:`Dispute`
  when two units refuse, :class:`Reply` (答复), :class:`Callback` (回访) and
  :class:`Attachment`;
* the knowledge base (即问即答): :class:`KnowledgeEntry`, a reviewed question and answer of
  an owner unit, resting on the policy paragraphs its :class:`KnowledgeSource`\\ s cite.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shuzheng.hotline.choices import (
    AssignmentState,
    AttributeDatatype,
    CallbackBy,
    Channel,
    DisputeState,
    DutyRole,
    KnowledgeState,
    RequestState,
    Satisfaction,
    ServiceType,
)
from shuzheng.orgs.models import UnicodeJSONEncoder

MAX_DESCRIPTION = 4000  # GeoReport v2: description up to 4,000 characters


class ServiceCategory(models.Model):
    """A kind of request the hotline takes (服务目录), published as an Open311 service.

    ``code`` is the Open311 ``service_code``; ``keywords`` feed the classification;
    ``is_general`` marks the general service (其他 / 综合) whose requests are classified from
    their description. Deadlines: ``response_days`` and ``resolution_days`` are working days
    on the statutory calendar; an urgent request has ``urgent_hours`` instead.
    """

    code = models.SlugField(_("service code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=64)
    description = models.CharField(_("description"), max_length=400, blank=True)
    group = models.CharField(_("group"), max_length=64, blank=True)
    keywords = models.JSONField(_("keywords"), default=list, blank=True, encoder=UnicodeJSONEncoder)
    service_type = models.CharField(
        _("service type"), max_length=16, choices=ServiceType.choices, default=ServiceType.REALTIME
    )
    is_general = models.BooleanField(_("general service"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    response_days = models.PositiveSmallIntegerField(_("response limit (working days)"), default=1)
    resolution_days = models.PositiveSmallIntegerField(
        _("resolution limit (working days)"), default=15
    )
    urgent_hours = models.PositiveSmallIntegerField(_("urgent limit (hours)"), default=24)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")

    def __str__(self) -> str:
        return self.name


class ServiceAttribute(models.Model):
    """An Open311 attribute of a service definition (``attributes[]``)."""

    category = models.ForeignKey(
        ServiceCategory,
        verbose_name=_("service category"),
        related_name="attributes",
        on_delete=models.CASCADE,
    )
    code = models.SlugField(_("code"), max_length=64)
    variable = models.BooleanField(_("variable"), default=True)
    datatype = models.CharField(_("datatype"), max_length=16, choices=AttributeDatatype.choices)
    required = models.BooleanField(_("required"), default=False)
    datatype_description = models.CharField(_("datatype description"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    description = models.CharField(_("description"), max_length=400)
    values = models.JSONField(_("values"), default=list, blank=True, encoder=UnicodeJSONEncoder)

    class Meta:
        ordering = ["category_id", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="hotline_attribute_code")
        ]
        verbose_name = _("service attribute")
        verbose_name_plural = _("service attributes")

    def __str__(self) -> str:
        return f"{self.category.code}/{self.code}"


class DutyEntry(models.Model):
    """One line of the duty map (权责清单): in ``region``, ``unit`` answers for ``category``,
    as the lead unit (牵头) or as an assisting one (配合). ``basis`` names the rule."""

    category = models.ForeignKey(
        ServiceCategory,
        verbose_name=_("service category"),
        related_name="duties",
        on_delete=models.CASCADE,
    )
    region = models.ForeignKey(
        "orgs.Region", verbose_name=_("region"), related_name="+", on_delete=models.PROTECT
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), related_name="+", on_delete=models.PROTECT
    )
    role = models.CharField(
        _("role"), max_length=8, choices=DutyRole.choices, default=DutyRole.LEAD
    )
    basis = models.CharField(_("basis"), max_length=200, blank=True)

    class Meta:
        ordering = ["category_id", "region__code", "role", "unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "region", "unit"], name="hotline_duty_once_per_unit"
            )
        ]
        verbose_name = _("duty map entry")
        verbose_name_plural = _("duty map entries")

    def __str__(self) -> str:
        return f"{self.category} · {self.region} → {self.unit}"


class Caller(models.Model):
    """The personal information of a request's caller (个人信息保护法), apart from the request.

    ``phone_key`` is an HMAC-SM3 of the normalised number (``hotline.privacy``): the console
    finds a caller's history by number without a query over the numbers themselves.
    """

    name = models.CharField(_("name"), max_length=64, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    phone_key = models.CharField(_("phone lookup key"), max_length=64, blank=True, db_index=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )

    class Meta:
        verbose_name = _("caller")
        verbose_name_plural = _("callers")

    def __str__(self) -> str:
        return f"caller {self.pk}"


class ServiceRequest(models.Model):
    """A citizen's request (诉求), from any channel. ``number`` is the public tracking number;
    ``token`` answers Open311's tokens/{token}. The region is where the matter is (from the
    address or the point), which the duty map routes by."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    token = models.CharField(_("token"), max_length=32, unique=True)
    category = models.ForeignKey(
        ServiceCategory,
        verbose_name=_("service category"),
        related_name="requests",
        on_delete=models.PROTECT,
    )
    chosen_category = models.ForeignKey(
        ServiceCategory,
        verbose_name=_("category chosen by the caller"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    state = models.CharField(
        _("state"), max_length=16, choices=RequestState.choices, default=RequestState.ACCEPTED
    )
    description = models.TextField(_("description"), max_length=MAX_DESCRIPTION)
    address_string = models.CharField(_("address"), max_length=200, blank=True)
    lat = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    long = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    region = models.ForeignKey(
        "orgs.Region", verbose_name=_("region"), related_name="+", on_delete=models.PROTECT
    )
    attributes = models.JSONField(
        _("attributes"), default=dict, blank=True, encoder=UnicodeJSONEncoder
    )
    media_url = models.URLField(_("media URL"), blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    caller = models.OneToOneField(
        Caller,
        verbose_name=_("caller"),
        null=True,
        blank=True,
        related_name="request",
        on_delete=models.SET_NULL,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    #: Why the request went where it went, as codes and parameters (``hotline.rendering``).
    routing = models.JSONField(_("routing"), default=dict, blank=True, encoder=UnicodeJSONEncoder)
    requested_at = models.DateTimeField(_("requested at"))
    updated_at = models.DateTimeField(_("updated at"))
    response_due_at = models.DateTimeField(_("response due at"))
    resolution_due_at = models.DateTimeField(_("resolution due at"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    supervised_task = models.ForeignKey(
        "tasks.KeyTask",
        verbose_name=_("supervised ledger task"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    #: Merged under this request (合并, issue 15 point 6): the master carries the work, this
    #: request follows its state and its caller is told of the master's reply.
    master = models.ForeignKey(
        "self",
        verbose_name=_("merged under"),
        null=True,
        blank=True,
        related_name="merged",
        on_delete=models.PROTECT,
    )
    merged_at = models.DateTimeField(_("merged at"), null=True, blank=True)
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["state", "resolution_due_at"], name="hotline_req_due"),
            models.Index(fields=["category", "requested_at"], name="hotline_req_category"),
        ]
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")

    def __str__(self) -> str:
        return self.number


class Assignment(models.Model):
    """A request dispatched (派单) to a unit; the unit accepts it (签收), returns it (退单)
    with a reason, or replies. A re-routed request gets a new assignment."""

    request = models.ForeignKey(
        ServiceRequest,
        verbose_name=_("request"),
        related_name="assignments",
        on_delete=models.CASCADE,
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), related_name="+", on_delete=models.PROTECT
    )
    role = models.CharField(
        _("role"), max_length=8, choices=DutyRole.choices, default=DutyRole.LEAD
    )
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=AssignmentState.choices,
        default=AssignmentState.DISPATCHED,
    )
    assigned_at = models.DateTimeField(_("assigned at"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    return_reason = models.CharField(_("reason for returning"), max_length=500, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["request_id", "assigned_at", "id"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def __str__(self) -> str:
        return f"{self.request} → {self.unit}"


class Dispute(models.Model):
    """Two units have returned a request (争议): a supervisor decides who handles it."""

    request = models.ForeignKey(
        ServiceRequest, verbose_name=_("request"), related_name="disputes", on_delete=models.CASCADE
    )
    state = models.CharField(
        _("state"), max_length=8, choices=DisputeState.choices, default=DisputeState.OPEN
    )
    opened_at = models.DateTimeField(_("opened at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("unit decided on"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    decision_note = models.CharField(_("decision note"), max_length=500, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")

    def __str__(self) -> str:
        return f"{self.request} ({self.get_state_display()})"


class Reply(models.Model):
    """A unit's answer to the caller (答复); ``resolved`` closes the request (办结)."""

    request = models.ForeignKey(
        ServiceRequest, verbose_name=_("request"), related_name="replies", on_delete=models.CASCADE
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), related_name="+", on_delete=models.PROTECT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    text = models.TextField(_("text"), max_length=MAX_DESCRIPTION)
    resolved = models.BooleanField(_("resolves the request"), default=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["request_id", "created_at", "id"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")

    def __str__(self) -> str:
        return f"{self.request} · {self.unit}"


class Callback(models.Model):
    """The callback survey (回访) after a reply: by the operator or through the caller's link."""

    request = models.ForeignKey(
        ServiceRequest,
        verbose_name=_("request"),
        related_name="callbacks",
        on_delete=models.CASCADE,
    )
    reply = models.ForeignKey(
        Reply, verbose_name=_("reply"), related_name="callbacks", on_delete=models.CASCADE
    )
    satisfaction = models.CharField(_("satisfaction"), max_length=24, choices=Satisfaction.choices)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    by = models.CharField(_("by"), max_length=8, choices=CallbackBy.choices)
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("operator"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["request_id", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["reply"], name="hotline_one_callback_per_reply")
        ]
        verbose_name = _("callback")
        verbose_name_plural = _("callbacks")

    def __str__(self) -> str:
        return f"{self.request} · {self.get_satisfaction_display()}"


class Attachment(models.Model):
    """An image or PDF the caller attached; stored under MEDIA_ROOT with a random name."""

    request = models.ForeignKey(
        ServiceRequest,
        verbose_name=_("request"),
        related_name="attachments",
        on_delete=models.CASCADE,
    )
    file = models.FileField(_("file"), upload_to="hotline/%Y/%m/", max_length=255)
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size in bytes"))
    content_type = models.CharField(_("content type"), max_length=100)
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        ordering = ["request_id", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


#: A knowledge entry's question and answer, at most (characters).
MAX_QUESTION = 300
MAX_ANSWER = 2000


class KnowledgeEntry(models.Model):
    """A question and its reviewed answer (即问即答, issue 15 point 5), owned by a unit.

    It answers the operators and the public only while reviewed, cited (one
    :class:`KnowledgeSource` at least), before its review date and while no cited document is
    repealed (the documents' 失效): ``hotline.selectors.knowledge_status`` reads that off.
    """

    question = models.CharField(_("question"), max_length=MAX_QUESTION)
    answer = models.TextField(_("answer"), max_length=MAX_ANSWER)
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)
    category = models.ForeignKey(
        ServiceCategory,
        verbose_name=_("service"),
        null=True,
        blank=True,
        related_name="knowledge",
        on_delete=models.SET_NULL,
    )
    owner = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("owner unit"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    state = models.CharField(
        _("state"), max_length=16, choices=KnowledgeState.choices, default=KnowledgeState.DRAFT
    )
    review_on = models.DateField(_("review date"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    #: Loaded by ``loadsample`` (示例), shown as such.
    is_sample = models.BooleanField(_("sample"), default=False)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("knowledge entry")
        verbose_name_plural = _("knowledge entries")

    def __str__(self) -> str:
        return self.question


class KnowledgeSource(models.Model):
    """A policy paragraph (a documents ``Section``) a knowledge entry rests on."""

    entry = models.ForeignKey(
        KnowledgeEntry,
        verbose_name=_("knowledge entry"),
        related_name="sources",
        on_delete=models.CASCADE,
    )
    section = models.ForeignKey(
        "documents.Section",
        verbose_name=_("section"),
        related_name="+",
        on_delete=models.CASCADE,
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["entry_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "section"], name="hotline_knowledge_source_once"
            )
        ]
        verbose_name = _("knowledge source")
        verbose_name_plural = _("knowledge sources")

    def __str__(self) -> str:
        return f"{self.entry} · {self.section}"
