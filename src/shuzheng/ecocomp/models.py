"""The tables of ecological-protection compensation (issue 12).

* Vertical (纵向): :class:`AllocationRuleSet` (a year's rules for one fund, versioned and
  reviewed, its components as data validated by ``ecocomp.allocation``, the source document
  of every parameter), :class:`CountyFactor` (a county's factor value for a year with its
  provenance: the import job or the evaluation it came from), :class:`AllocationRun` with one
  :class:`CountyAllocation` per county (amount and explanation lines), draft → approved →
  final; a final run is immutable. :class:`CountyEvaluation` is the assessment (考评挂钩)
  whose score feeds the rule set's rewards and deductions.
* Horizontal (横向): :class:`MonitoringSection` (监测断面), :class:`WaterQualityReading` per
  section, indicator and month, :class:`BasinAgreement` between an upstream and a downstream
  side, and :class:`Settlement` (结算单) per agreement and period.
* :class:`ImportJob`: one uploaded workbook or CSV, the provenance of what it brought.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from shuzheng.ecocomp.choices import (
    Frequency,
    ImportKind,
    Method,
    RuleSetState,
    RunKind,
    RunState,
    SectionKind,
)
from shuzheng.orgs.models import Region, UnicodeJSONEncoder, Unit

MONEY = {"max_digits": 18, "decimal_places": 2}
VALUE = {"max_digits": 24, "decimal_places": 6}


class ImportJob(models.Model):
    """One imported file: what it was, who brought it, what it wrote."""

    kind = models.CharField(_("kind"), max_length=16, choices=ImportKind.choices)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    encoding = models.CharField(_("encoding"), max_length=32, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    source = models.CharField(_("source"), max_length=300, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self) -> str:
        return self.file_name


class AllocationRuleSet(models.Model):
    """A year's allocation rules for one fund (分配方案). ``components`` is the list the pure
    module reads (``ecocomp.rules.components_from_data``); ``sources`` maps every parameter
    (``fund``, ``cap``, ``floor``, ``<component>``) to the document it comes from."""

    year = models.PositiveSmallIntegerField(_("year"))
    fund_name = models.CharField(_("fund"), max_length=100)
    name = models.CharField(_("name"), max_length=200)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    state = models.CharField(
        _("state"), max_length=16, choices=RuleSetState.choices, default=RuleSetState.DRAFT
    )
    fund = models.DecimalField(_("fund (yuan)"), max_digits=18, decimal_places=0)
    cap = models.DecimalField(
        _("cap per county (yuan)"), max_digits=18, decimal_places=0, null=True, blank=True
    )
    floor = models.DecimalField(
        _("floor per county (yuan)"), max_digits=18, decimal_places=0, null=True, blank=True
    )
    components = models.JSONField(_("components"), default=list, encoder=UnicodeJSONEncoder)
    sources = models.JSONField(_("sources"), default=dict, encoder=UnicodeJSONEncoder)
    owner = models.ForeignKey(
        Unit, verbose_name=_("finance unit"), on_delete=models.PROTECT, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        ordering = ["-year", "fund_name", "-version"]
        verbose_name = _("allocation rule set")
        verbose_name_plural = _("allocation rule sets")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "fund_name", "version"], name="ecocomp_ruleset_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.name} v{self.version}"


class CountyFactor(models.Model):
    """A county's value of one factor in one year, with where it came from: an import job
    (the workbook's row), or an evaluation (考评挂钩), and the source text."""

    year = models.PositiveSmallIntegerField(_("year"))
    region = models.ForeignKey(
        Region, verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    factor = models.CharField(_("factor"), max_length=32)
    value = models.DecimalField(_("value"), **VALUE)
    source = models.CharField(_("source"), max_length=300, blank=True)
    import_job = models.ForeignKey(
        ImportJob,
        verbose_name=_("import job"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="factors",
    )
    row = models.PositiveIntegerField(_("row"), null=True, blank=True)
    evaluation = models.ForeignKey(
        "CountyEvaluation",
        verbose_name=_("evaluation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["year", "region__code", "factor"]
        verbose_name = _("county factor")
        verbose_name_plural = _("county factors")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "region", "factor"], name="ecocomp_factor_once_a_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.region_id} {self.factor}"


class CountyEvaluation(models.Model):
    """The assessment of a county's compensation duties in a year (考评挂钩, measure （十九）):
    its ledger tasks' status and its environmental-quality result, giving ``score``."""

    year = models.PositiveSmallIntegerField(_("year"))
    region = models.ForeignKey(
        Region, verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2)
    #: The parts of the score with their inputs (task counts, quality result), for the
    #: explanation: {"tasks": {...}, "quality": {...}, "lines": [[code, points], ...]}.
    details = models.JSONField(_("details"), default=dict, encoder=UnicodeJSONEncoder)
    evaluated_at = models.DateTimeField(_("evaluated at"), auto_now=True)

    class Meta:
        ordering = ["year", "region__code"]
        verbose_name = _("county evaluation")
        verbose_name_plural = _("county evaluations")
        constraints = [
            models.UniqueConstraint(fields=["year", "region"], name="ecocomp_evaluation_once")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.region_id}"


class FinalRunIsImmutable(ValidationError):
    pass


class AllocationRun(models.Model):
    """One run of a rule set on the factors as they were (``factors`` keeps the snapshot:
    county code → factor → value, and ``provenance``: county code → factor → source).
    ``gaps`` lists the missing values (counted as zero); a run with gaps becomes final only
    with ``override_reason``. A what-if run changes ``changes`` (weights, factor values) and
    compares with ``base``."""

    rule_set = models.ForeignKey(
        AllocationRuleSet,
        verbose_name=_("rule set"),
        on_delete=models.PROTECT,
        related_name="runs",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=RunKind.choices, default=RunKind.RUN)
    base = models.ForeignKey(
        "self",
        verbose_name=_("compared with"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="what_ifs",
    )
    state = models.CharField(
        _("state"), max_length=16, choices=RunState.choices, default=RunState.DRAFT
    )
    factors = models.JSONField(_("factor snapshot"), default=dict, encoder=UnicodeJSONEncoder)
    provenance = models.JSONField(_("provenance"), default=dict, encoder=UnicodeJSONEncoder)
    gaps = models.JSONField(_("missing values"), default=list, encoder=UnicodeJSONEncoder)
    changes = models.JSONField(_("what-if changes"), default=dict, encoder=UnicodeJSONEncoder)
    note = models.CharField(_("note"), max_length=300, blank=True)
    override_reason = models.TextField(_("reason for finalising with gaps"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("run by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("run at"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made final by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    finalised_at = models.DateTimeField(_("made final at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("allocation run")
        verbose_name_plural = _("allocation runs")

    def __str__(self) -> str:
        return f"{self.rule_set} #{self.pk}"

    def save(self, *args, **kwargs):
        """Refuse to change a run that is final in the database: the published allocation
        is what was approved, whatever path tries to write (issue 12: immutable)."""
        if self.pk and AllocationRun.objects.filter(pk=self.pk, state=RunState.FINAL).exists():
            raise FinalRunIsImmutable(_("A final allocation run cannot be changed."))
        super().save(*args, **kwargs)

    @property
    def is_final(self) -> bool:
        return self.state == RunState.FINAL


class CountyAllocation(models.Model):
    """A county's amount in a run and its explanation: ``lines`` are
    [component, factor, value, share, weight, amount] as decimal strings."""

    run = models.ForeignKey(
        AllocationRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="counties"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(_("amount (yuan)"), max_digits=18, decimal_places=0)
    lines = models.JSONField(_("explanation"), default=list, encoder=UnicodeJSONEncoder)

    class Meta:
        ordering = ["run", "region__code"]
        verbose_name = _("county allocation")
        verbose_name_plural = _("county allocations")
        constraints = [
            models.UniqueConstraint(fields=["run", "region"], name="ecocomp_county_once_a_run")
        ]

    def __str__(self) -> str:
        return f"{self.run_id} {self.region_id}"


class MonitoringSection(models.Model):
    """A water-quality monitoring section (监测断面); a ditch's ``inbound`` is the section
    its water is compared with."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=100)
    river = models.CharField(_("river or ditch"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=SectionKind.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    inbound = models.ForeignKey(
        "self",
        verbose_name=_("inbound section"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner = models.ForeignKey(
        Unit, verbose_name=_("monitoring unit"), on_delete=models.PROTECT, related_name="+"
    )
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        ordering = ["river", "code"]
        verbose_name = _("monitoring section")
        verbose_name_plural = _("monitoring sections")

    def __str__(self) -> str:
        return self.name


class WaterQualityReading(models.Model):
    """One indicator's monthly value at a section (mg/L); ``value`` None is a gap the import
    found, ``suspect`` the station's or the importer's mark."""

    section = models.ForeignKey(
        MonitoringSection,
        verbose_name=_("section"),
        on_delete=models.CASCADE,
        related_name="readings",
    )
    month = models.CharField(_("month"), max_length=7)  # YYYY-MM
    indicator = models.CharField(_("indicator"), max_length=16)
    value = models.DecimalField(_("value (mg/L)"), max_digits=12, decimal_places=4, null=True)
    suspect = models.BooleanField(_("suspect"), default=False)
    import_job = models.ForeignKey(
        ImportJob,
        verbose_name=_("import job"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="readings",
    )

    class Meta:
        ordering = ["section", "month", "indicator"]
        verbose_name = _("water-quality reading")
        verbose_name_plural = _("water-quality readings")
        constraints = [
            models.UniqueConstraint(
                fields=["section", "month", "indicator"], name="ecocomp_reading_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.section_id} {self.month} {self.indicator}"


class BasinAgreement(models.Model):
    """A horizontal compensation agreement (横向补偿协议). The sides are named as the
    agreement names them (another province is no region of the registry); ``parameters``
    are the method's arguments (``ecocomp.horizontal``), amounts in yuan."""

    name = models.CharField(_("name"), max_length=200)
    upstream = models.CharField(_("upstream side"), max_length=100)
    downstream = models.CharField(_("downstream side"), max_length=100)
    section = models.ForeignKey(
        MonitoringSection,
        verbose_name=_("assessed section"),
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    method = models.CharField(_("method"), max_length=32, choices=Method.choices)
    frequency = models.CharField(
        _("settled"), max_length=16, choices=Frequency.choices, default=Frequency.ANNUAL
    )
    indicators = models.JSONField(_("indicators"), default=list)
    parameters = models.JSONField(_("parameters"), default=dict, encoder=UnicodeJSONEncoder)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    cap = models.DecimalField(_("cap (yuan)"), null=True, blank=True, **MONEY)
    start_year = models.PositiveSmallIntegerField(_("from year"))
    end_year = models.PositiveSmallIntegerField(_("to year"))
    source = models.CharField(_("source"), max_length=300)
    owner = models.ForeignKey(
        Unit, verbose_name=_("environment unit"), on_delete=models.PROTECT, related_name="+"
    )
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("basin agreement")
        verbose_name_plural = _("basin agreements")

    def __str__(self) -> str:
        return self.name


class Settlement(models.Model):
    """A settlement statement (结算单) of an agreement for one period (``2024`` or
    ``2024-03``): who pays whom how much, the lines that say why, the flags of what was left
    out; an incomplete settlement pays nothing."""

    agreement = models.ForeignKey(
        BasinAgreement,
        verbose_name=_("agreement"),
        on_delete=models.PROTECT,
        related_name="settlements",
    )
    period = models.CharField(_("period"), max_length=7)
    payer = models.CharField(_("payer"), max_length=100, blank=True)
    payee = models.CharField(_("payee"), max_length=100, blank=True)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    lines = models.JSONField(_("lines"), default=list, encoder=UnicodeJSONEncoder)
    flags = models.JSONField(_("flags"), default=list, encoder=UnicodeJSONEncoder)
    complete = models.BooleanField(_("complete"), default=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("settled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    settled_at = models.DateTimeField(_("settled at"), auto_now=True)

    class Meta:
        ordering = ["agreement", "-period"]
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "period"], name="ecocomp_settled_once")
        ]

    def __str__(self) -> str:
        return f"{self.agreement} {self.period}"
