"""Enumerations shared by the documents models, forms, API and the ingestion service."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Disclosure(models.TextChoices):
    """公开属性 (glossary): how a document may be shown."""

    PUBLIC = "public", _("Public")
    ON_REQUEST = "on_request", _("Disclosed on request")
    NOT_PUBLIC = "not_public", _("Not public")


class Validity(models.TextChoices):
    """现行有效 / 失效 / 修订 (glossary)."""

    CURRENT = "current", _("In force")
    EXPIRED = "expired", _("Expired")
    AMENDED = "amended", _("Amended")


class Severity(models.TextChoices):
    """Mirrors documents.parsing.model.Severity, so stored findings keep the parser's words."""

    ERROR = "error", _("Error")
    WARNING = "warning", _("Warning")
    INFO = "info", _("Information")


class Outcome(models.TextChoices):
    """What ingesting one document did to the library (issue 3, item 7: idempotency)."""

    CREATED = "created", _("Created")
    NEW_VERSION = "new_version", _("New version")
    UNCHANGED = "unchanged", _("Unchanged")
