"""The government data-resource catalog (政务数据资源目录, issue 11).

A ``DataResource`` is one catalog entry with the fields of 《政务信息资源目录编制指南（试行）》,
owned by its provider unit (提供方); its information items (信息项) are ``DataField`` rows.
Edits are versioned (``ResourceVersion`` keeps each submitted or published state), the
workflow's steps and grade changes are kept with their reasons. ``Distribution`` is what the
portal offers (a file, a link or a database table); ``QualityCheck`` declares the checks run
on a distribution's data, ``QualityRun`` and ``QualityResult`` keep their results over time.

The fields a CKAN package / DCAT dataset needs map as: ``name`` → package name (slug),
``title``, ``summary`` → notes / dct:description, ``keywords`` → tags / dcat:keyword,
``domain`` → theme, ``license_id``, ``provider`` → organization / dct:publisher, the
category's class → group, ``created_at`` / ``modified_at`` → metadata times, and
``is_public`` (``catalog.grading.is_open_to_public``) → not private.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shuzheng.catalog import grading
from shuzheng.catalog.choices import (
    CategoryLevel,
    CheckKind,
    DataType,
    DistributionKind,
    Grade,
    ImportPhase,
    JobState,
    OpenType,
    ShareType,
    State,
    UpdateFrequency,
)
from shuzheng.orgs.models import UnicodeJSONEncoder


class ResourceCategory(models.Model):
    """信息资源分类: a node of the guide's 类 / 项 / 目 / 细目 tree; ``code`` is its prefix
    of the resource code (1 digit, then 2, then 3, then the sub-category's digits)."""

    code = models.CharField(_("classification code"), max_length=24, unique=True)
    name = models.CharField(_("name"), max_length=128)
    level = models.CharField(_("level"), max_length=12, choices=CategoryLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        related_name="children",
        on_delete=models.PROTECT,
    )
    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("resource category")
        verbose_name_plural = _("resource categories")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def top(self) -> "ResourceCategory":
        """The class (类) this node belongs to: the CKAN group of its resources."""
        node = self
        while node.parent_id is not None:
            node = node.parent
        return node


class DataResourceQuerySet(models.QuerySet):
    def open_to_public(self):
        """The entries ``grading.is_open_to_public`` admits, as a SQL filter."""
        return self.filter(
            state__in=[s.value for s in grading.PUBLIC_STATES],
            grade__in=[g.value for g in grading.PUBLIC_GRADES],
            open_type__in=[o.value for o in grading.PUBLIC_OPEN_TYPES],
        )


class DataResource(models.Model):
    """A catalog entry (政务数据资源目录 · 信息资源)."""

    code = models.CharField(_("resource code"), max_length=40, unique=True)
    name = models.SlugField(
        _("name"),
        max_length=100,
        unique=True,
        help_text=_("Lower-case letters, digits, - and _: the dataset's address."),
    )
    title = models.CharField(_("resource name"), max_length=200)
    category = models.ForeignKey(
        ResourceCategory,
        verbose_name=_("resource category"),
        related_name="resources",
        on_delete=models.PROTECT,
    )
    provider = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("provider"),
        related_name="data_resources",
        on_delete=models.PROTECT,
    )
    summary = models.TextField(_("summary"))
    resource_format = models.CharField(
        _("resource format"),
        max_length=64,
        blank=True,
        help_text=_("As the guide names it: database, spreadsheet, electronic file, ..."),
    )
    keywords = models.JSONField(_("keywords"), default=list, blank=True, encoder=UnicodeJSONEncoder)
    domain = models.CharField(_("domain"), max_length=64, blank=True, db_index=True)
    license_id = models.CharField(_("license"), max_length=64, blank=True)
    share_type = models.CharField(
        _("share type"), max_length=16, choices=ShareType.choices, db_index=True
    )
    share_condition = models.TextField(_("share condition"), blank=True)
    share_method = models.CharField(_("share method"), max_length=200, blank=True)
    open_type = models.CharField(
        _("open type"), max_length=16, choices=OpenType.choices, db_index=True
    )
    open_condition = models.TextField(_("open condition"), blank=True)
    update_frequency = models.CharField(
        _("update frequency"), max_length=16, choices=UpdateFrequency.choices
    )
    published_on = models.DateField(_("release date"), null=True, blank=True)
    related_codes = models.JSONField(_("related resource codes"), default=list, blank=True)
    grade = models.CharField(
        _("grade"), max_length=12, choices=Grade.choices, default=Grade.GENERAL, db_index=True
    )
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.DRAFT, db_index=True
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    return_reason = models.TextField(_("return reason"), blank=True)
    is_sample = models.BooleanField(
        _("sample data"), default=False, help_text=_("Loaded by loadsample, not real data.")
    )
    created_at = models.DateTimeField(_("created at"))
    modified_at = models.DateTimeField(_("modified at"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    first_published_at = models.DateTimeField(_("first published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )

    objects = DataResourceQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("data resource")
        verbose_name_plural = _("data resources")
        indexes = [
            models.Index(fields=["provider", "state"]),
            models.Index(fields=["state", "grade", "open_type"], name="catalog_public"),
            models.Index(fields=["modified_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("catalog:detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return grading.is_open_to_public(
            state=self.state, grade=self.grade, open_type=self.open_type
        )

    @property
    def is_openly_downloadable(self) -> bool:
        return grading.is_openly_downloadable(
            state=self.state, grade=self.grade, open_type=self.open_type
        )


class DataField(models.Model):
    """信息项: one item of a resource; ``is_authoritative`` says this resource is the item's
    authoritative source (一数一源); ``column`` names it in the distributions' data."""

    resource = models.ForeignKey(
        DataResource, verbose_name=_("resource"), related_name="fields", on_delete=models.CASCADE
    )
    position = models.PositiveIntegerField(_("position"))
    name = models.CharField(_("item name"), max_length=128)
    column = models.CharField(_("column name"), max_length=128, blank=True)
    data_type = models.CharField(_("data type"), max_length=12, choices=DataType.choices)
    length = models.PositiveIntegerField(_("length"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    grade = models.CharField(
        _("grade"), max_length=12, choices=Grade.choices, default=Grade.GENERAL
    )
    share_type = models.CharField(
        _("share type"), max_length=16, choices=ShareType.choices, blank=True
    )
    is_authoritative = models.BooleanField(_("authoritative source"), default=False)

    class Meta:
        ordering = ["resource_id", "position", "id"]
        verbose_name = _("information item")
        verbose_name_plural = _("information items")
        constraints = [
            models.UniqueConstraint(fields=["resource", "name"], name="catalog_field_name_unique")
        ]
        indexes = [models.Index(fields=["name", "is_authoritative"])]

    def __str__(self) -> str:
        return self.name


class ResourceVersion(models.Model):
    """A resource as it stood at one version (its fields and items as JSON)."""

    resource = models.ForeignKey(
        DataResource,
        verbose_name=_("resource"),
        related_name="versions",
        on_delete=models.CASCADE,
    )
    number = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField(_("snapshot"), encoder=UnicodeJSONEncoder)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )

    class Meta:
        ordering = ["resource_id", "-number"]
        verbose_name = _("resource version")
        verbose_name_plural = _("resource versions")
        constraints = [
            models.UniqueConstraint(fields=["resource", "number"], name="catalog_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} v{self.number}"


class WorkflowStep(models.Model):
    """One step of the review-and-publish workflow, with its reason (退回, 撤回)."""

    resource = models.ForeignKey(
        DataResource,
        verbose_name=_("resource"),
        related_name="workflow_steps",
        on_delete=models.CASCADE,
    )
    from_state = models.CharField(_("from"), max_length=12, choices=State.choices)
    to_state = models.CharField(_("to"), max_length=12, choices=State.choices)
    reason = models.TextField(_("reason"), blank=True)
    version = models.PositiveIntegerField(_("version"))
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )

    class Meta:
        ordering = ["resource_id", "at", "id"]
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow steps")

    def __str__(self) -> str:
        return f"{self.resource_id}: {self.from_state} → {self.to_state}"


class GradeChange(models.Model):
    """A change of a resource's or an item's grade, with its required reason."""

    resource = models.ForeignKey(
        DataResource,
        verbose_name=_("resource"),
        related_name="grade_changes",
        on_delete=models.CASCADE,
    )
    field = models.ForeignKey(
        DataField,
        verbose_name=_("information item"),
        null=True,
        blank=True,
        related_name="grade_changes",
        on_delete=models.SET_NULL,
    )
    field_name = models.CharField(_("item name"), max_length=128, blank=True)
    from_grade = models.CharField(_("from"), max_length=12, choices=Grade.choices)
    to_grade = models.CharField(_("to"), max_length=12, choices=Grade.choices)
    reason = models.TextField(_("reason"))
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )

    class Meta:
        ordering = ["resource_id", "-at", "-id"]
        verbose_name = _("grade change")
        verbose_name_plural = _("grade changes")

    def __str__(self) -> str:
        return f"{self.resource_id} {self.field_name}: {self.from_grade} → {self.to_grade}"


class Distribution(models.Model):
    """What the portal offers of a resource (CKAN resource, dcat:Distribution): an uploaded
    file, a link, or a database table the quality checks read."""

    resource = models.ForeignKey(
        DataResource,
        verbose_name=_("resource"),
        related_name="distributions",
        on_delete=models.CASCADE,
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=8, choices=DistributionKind.choices)
    file = models.FileField(
        _("file"), upload_to="catalog/distributions/%Y/%m/", max_length=255, blank=True
    )
    url = models.URLField(_("address"), max_length=1000, blank=True)
    table_name = models.CharField(_("database table"), max_length=128, blank=True)
    format = models.CharField(_("format"), max_length=32, blank=True, db_index=True)
    media_type = models.CharField(_("media type"), max_length=128, blank=True)
    byte_size = models.BigIntegerField(_("size in bytes"), null=True, blank=True)
    checksum = models.CharField(_("SM3 checksum"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"))
    modified_at = models.DateTimeField(_("modified at"))

    class Meta:
        ordering = ["resource_id", "position", "id"]
        verbose_name = _("distribution")
        verbose_name_plural = _("distributions")

    def __str__(self) -> str:
        return self.title


class DownloadCount(models.Model):
    """How often a distribution's file was downloaded through the portal on one day
    (``catalog.downloads``; what counts is ``catalog.tracking.is_new_download``). Kept by
    day so that CKAN's ``tracking_summary`` can say ``recent`` (the last 14 days) as well as
    ``total``."""

    distribution = models.ForeignKey(
        Distribution,
        verbose_name=_("distribution"),
        related_name="download_counts",
        on_delete=models.CASCADE,
    )
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("downloads"), default=0)

    class Meta:
        ordering = ["distribution_id", "day"]
        verbose_name = _("download count")
        verbose_name_plural = _("download counts")
        constraints = [
            models.UniqueConstraint(
                fields=["distribution", "day"], name="catalog_download_count_day_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.distribution_id} {self.day}: {self.count}"


class StoredPackage(models.Model):
    """An entry's CKAN package dict, ready as JSON text (``catalog.packages``: CKAN keeps its
    ``validated_data_dict`` for the same reason, issue 11's package_search benchmark).
    Written only by ``catalog.packages.refresh``, in the transaction of the service that
    changed the entry; derived data, rebuilt by ``shuzheng catalog packages``."""

    resource = models.OneToOneField(
        DataResource,
        verbose_name=_("resource"),
        primary_key=True,
        related_name="stored_package",
        on_delete=models.CASCADE,
    )
    body = models.TextField(_("package JSON"))

    class Meta:
        verbose_name = _("stored package")
        verbose_name_plural = _("stored packages")

    def __str__(self) -> str:
        return str(self.resource_id)


class QualityCheck(models.Model):
    """A declarative quality check of a resource's data (``catalog.quality`` runs it).

    ``parameters`` by kind: format ``{"pattern": ...}`` or the item's data type; range
    ``{"min": ..., "max": ...}``; reference ``{"resource": code, "column": ...}``; freshness
    ``{"column": date column}`` against the update frequency; cross_source compares the
    column with the authoritative source's distribution (``{"source": code, "key": column}``).
    """

    resource = models.ForeignKey(
        DataResource,
        verbose_name=_("resource"),
        related_name="quality_checks",
        on_delete=models.CASCADE,
    )
    kind = models.CharField(_("kind"), max_length=16, choices=CheckKind.choices)
    field = models.ForeignKey(
        DataField,
        verbose_name=_("information item"),
        null=True,
        blank=True,
        related_name="quality_checks",
        on_delete=models.CASCADE,
    )
    column = models.CharField(_("column name"), max_length=128, blank=True)
    parameters = models.JSONField(
        _("parameters"), default=dict, blank=True, encoder=UnicodeJSONEncoder
    )
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        ordering = ["resource_id", "id"]
        verbose_name = _("quality check")
        verbose_name_plural = _("quality checks")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.column}".strip()


class QualityRun(models.Model):
    """One run of a resource's checks over one distribution, by the worker."""

    resource = models.ForeignKey(
        DataResource,
        verbose_name=_("resource"),
        related_name="quality_runs",
        on_delete=models.CASCADE,
    )
    distribution = models.ForeignKey(
        Distribution,
        verbose_name=_("distribution"),
        null=True,
        blank=True,
        related_name="quality_runs",
        on_delete=models.SET_NULL,
    )
    state = models.CharField(
        _("state"), max_length=8, choices=JobState.choices, default=JobState.QUEUED
    )
    requested_at = models.DateTimeField(_("requested at"))
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    rows = models.PositiveBigIntegerField(_("rows checked"), default=0)
    failing_row_count = models.PositiveBigIntegerField(_("failing rows"), default=0)
    score = models.DecimalField(
        _("quality score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    failing_rows = models.FileField(
        _("failing rows"), upload_to="catalog/quality/%Y/%m/", max_length=255, blank=True
    )
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )

    class Meta:
        ordering = ["resource_id", "-requested_at", "-id"]
        verbose_name = _("quality run")
        verbose_name_plural = _("quality runs")
        indexes = [models.Index(fields=["resource", "state", "finished_at"])]

    def __str__(self) -> str:
        return f"{self.resource_id} {self.requested_at:%Y-%m-%d %H:%M}"


class QualityResult(models.Model):
    """One check's outcome in a run: rows passed and failed, and the first failures."""

    run = models.ForeignKey(
        QualityRun, verbose_name=_("run"), related_name="results", on_delete=models.CASCADE
    )
    quality_check = models.ForeignKey(
        QualityCheck,
        verbose_name=_("check"),
        null=True,
        blank=True,
        related_name="results",
        on_delete=models.SET_NULL,
    )
    kind = models.CharField(_("kind"), max_length=16, choices=CheckKind.choices)
    column = models.CharField(_("column name"), max_length=128, blank=True)
    checked = models.PositiveBigIntegerField(_("checked"), default=0)
    failed = models.PositiveBigIntegerField(_("failed"), default=0)
    examples = models.JSONField(
        _("first failures"), default=list, blank=True, encoder=UnicodeJSONEncoder
    )

    class Meta:
        ordering = ["run_id", "id"]
        verbose_name = _("quality result")
        verbose_name_plural = _("quality results")

    def __str__(self) -> str:
        return f"{self.kind} {self.column}: {self.failed}/{self.checked}"


class ImportJob(models.Model):
    """A catalog workbook import run by the worker, with progress for the page's poll."""

    upload = models.FileField(_("uploaded file"), upload_to="catalog/imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    provider = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("provider"),
        null=True,
        blank=True,
        related_name="catalog_imports",
        on_delete=models.PROTECT,
    )
    all_or_nothing = models.BooleanField(_("all or nothing"), default=False)
    state = models.CharField(
        _("state"), max_length=8, choices=JobState.choices, default=JobState.QUEUED
    )
    phase = models.CharField(
        _("phase"), max_length=8, choices=ImportPhase.choices, default=ImportPhase.UPLOADED
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    done_rows = models.PositiveIntegerField(_("rows read"), default=0)
    total_resources = models.PositiveIntegerField(_("resources to write"), default=0)
    done_resources = models.PositiveIntegerField(_("resources written"), default=0)
    created_resources = models.PositiveIntegerField(_("resources created"), default=0)
    updated_resources = models.PositiveIntegerField(_("resources updated"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True, encoder=UnicodeJSONEncoder)
    created_at = models.DateTimeField(_("created at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("catalog import")
        verbose_name_plural = _("catalog imports")

    def __str__(self) -> str:
        return self.original_name
