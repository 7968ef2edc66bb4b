"""Enumerations of the catalog's models, forms and API; the values are the pure rule
modules' (``catalog.grading``, ``catalog.quality``), labelled here."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shuzheng.catalog import grading


class Grade(models.TextChoices):
    """数据分级 (GB/T 43697-2024)."""

    GENERAL = grading.Grade.GENERAL.value, _("General data")
    IMPORTANT = grading.Grade.IMPORTANT.value, _("Important data")
    CORE = grading.Grade.CORE.value, _("Core data")


class ShareType(models.TextChoices):
    UNCONDITIONAL = grading.ShareType.UNCONDITIONAL.value, _("Shared unconditionally")
    CONDITIONAL = grading.ShareType.CONDITIONAL.value, _("Shared on conditions")
    NONE = grading.ShareType.NONE.value, _("Not shared")


class OpenType(models.TextChoices):
    UNCONDITIONAL = grading.OpenType.UNCONDITIONAL.value, _("Open unconditionally")
    CONDITIONAL = grading.OpenType.CONDITIONAL.value, _("Open on conditions")
    NONE = grading.OpenType.NONE.value, _("Not open")


class State(models.TextChoices):
    DRAFT = grading.State.DRAFT.value, _("Draft")
    SUBMITTED = grading.State.SUBMITTED.value, _("Submitted for review")
    PUBLISHED = grading.State.PUBLISHED.value, _("Published")
    RETURNED = grading.State.RETURNED.value, _("Returned")
    WITHDRAWN = grading.State.WITHDRAWN.value, _("Withdrawn")


class CategoryLevel(models.TextChoices):
    """信息资源分类: 类 / 项 / 目 / 细目."""

    CLASS = "class", _("Class")
    ITEM = "item", _("Item")
    CATEGORY = "category", _("Category")
    SUBCATEGORY = "subcategory", _("Sub-category")


class UpdateFrequency(models.TextChoices):
    """更新周期."""

    REALTIME = "realtime", _("Real time")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half_yearly", _("Every half year")
    YEARLY = "yearly", _("Yearly")
    IRREGULAR = "irregular", _("Irregular")


class DataType(models.TextChoices):
    """信息项数据类型 (the guide's 字符型, 数值型, 日期型 …)."""

    STRING = "string", _("Character")
    INTEGER = "integer", _("Integer")
    DECIMAL = "decimal", _("Numeric")
    MONEY = "money", _("Currency")
    DATE = "date", _("Date")
    DATETIME = "datetime", _("Date and time")
    BOOLEAN = "boolean", _("Logical")
    TEXT = "text", _("Memo")
    BINARY = "binary", _("Binary")


class DistributionKind(models.TextChoices):
    FILE = "file", _("Uploaded file")
    LINK = "link", _("Link")
    TABLE = "table", _("Database table")


class CheckKind(models.TextChoices):
    COMPLETENESS = "completeness", _("Completeness")
    FORMAT = "format", _("Type and format")
    RANGE = "range", _("Value range")
    UNIQUENESS = "uniqueness", _("Uniqueness")
    REFERENCE = "reference", _("Referential integrity")
    FRESHNESS = "freshness", _("Freshness")
    CROSS_SOURCE = "cross_source", _("Cross-source agreement")


class JobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportPhase(models.TextChoices):
    """Where a catalog import job is: its progress bar's label."""

    UPLOADED = "uploaded", _("Waiting for the worker")
    READ = "read", _("Reading the rows")
    CHECK = "check", _("Checking against the catalog")
    WRITE = "write", _("Writing the resources")
    DONE = "done", _("Finished")


#: The names of the licences the catalog knows by id (``catalog.dcat.LICENSES`` are their
#: documents); pages show the name, never the bare id.
LICENSE_NAMES = {
    "cc-by-4.0": _("Creative Commons Attribution 4.0 International (CC BY 4.0)"),
    "cc-by-sa-4.0": _("Creative Commons Attribution-ShareAlike 4.0 International (CC BY-SA 4.0)"),
    "cc0-1.0": _("Creative Commons Zero 1.0 public domain dedication (CC0 1.0)"),
}
