"""The enums of ecological compensation, shared by the models, the forms, the API and the
exports; the pure modules' own values (``allocation.Kind``) are labelled here, not restated."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shuzheng.ecocomp.allocation import Kind


class RuleSetState(models.TextChoices):
    DRAFT = "draft", _("draft")
    REVIEWED = "reviewed", _("reviewed")


class RunState(models.TextChoices):
    DRAFT = "draft", _("draft")
    APPROVED = "approved", _("approved")
    FINAL = "final", _("final")


class RunKind(models.TextChoices):
    RUN = "run", _("allocation run")
    WHAT_IF = "what_if", _("what-if run")


class ComponentKind(models.TextChoices):
    EQUAL = Kind.EQUAL.value, _("equal parts")
    FACTORS = Kind.FACTORS.value, _("weighted factors")
    GAP = Kind.GAP.value, _("fiscal gap × banded coefficient")
    ADJUSTMENT = Kind.ADJUSTMENT.value, _("rewards and deductions")


class ImportKind(models.TextChoices):
    FACTORS = "factors", _("county factors")
    MONITORING = "monitoring", _("monitoring data")


class SectionKind(models.TextChoices):
    MAIN_STREAM = "main_stream", _("Yellow River main stream")
    TRIBUTARY = "tributary", _("tributary")
    DITCH = "ditch", _("drainage ditch")
    BOUNDARY = "boundary", _("provincial boundary")


class Method(models.TextChoices):
    """The rule kinds of ``ecocomp.horizontal``."""

    P_INDEX = "p_index", _("P index (Xin'an River)")
    CLASS_WITH_CHANGE = "class_with_change", _("class with change component (Henan–Shandong)")
    CLASS_THRESHOLD = "class_threshold", _("class threshold either way (Gansu–Ningxia)")
    INBOUND_COMPARISON = "inbound_comparison", _("section against its inbound section")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("monthly")
    ANNUAL = "annual", _("annual")


class Indicator(models.TextChoices):
    """The GB 3838-2002 indicators the agreements use (keys of ``data/gb3838.json``)."""

    CODMN = "codmn", _("permanganate index")
    COD = "cod", _("chemical oxygen demand")
    NH3N = "nh3n", _("ammonia nitrogen")
    TP = "tp", _("total phosphorus")
    TN = "tn", _("total nitrogen")
