"""Enumerations shared by the documents models, forms, API and the ingestion service.

Defined elsewhere once and imported where needed: ``Validity`` is the search app's
vocabulary (``shuzheng.search.choices``), ``Severity`` the parser's
(``shuzheng.documents.parsing.model``), labelled here for the stored findings.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shuzheng.documents.parsing.model import Severity


class Disclosure(models.TextChoices):
    """公开属性 (glossary): how a document may be shown."""

    PUBLIC = "public", _("Public")
    ON_REQUEST = "on_request", _("Disclosed on request")
    NOT_PUBLIC = "not_public", _("Not public")


#: The parser's finding severities with their labels: stored findings keep its words.
SEVERITY_LABELS = {
    Severity.ERROR: _("Error"),
    Severity.WARNING: _("Warning"),
    Severity.INFO: _("Information"),
}
SEVERITY_CHOICES = [(severity.value, SEVERITY_LABELS[severity]) for severity in Severity]


class Outcome(models.TextChoices):
    """What ingesting one document did to the library (issue 3, item 7: idempotency)."""

    CREATED = "created", _("Created")
    NEW_VERSION = "new_version", _("New version")
    UNCHANGED = "unchanged", _("Unchanged")


class IngestJobStatus(models.TextChoices):
    """Where a large upload is in the worker (issue 9, item 5): the page shows it."""

    QUEUED = "queued", _("Queued")
    PARSING = "parsing", _("Parsing")
    WRITING = "writing", _("Writing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")

    @classmethod
    def finished(cls) -> frozenset[str]:
        return frozenset({cls.DONE, cls.FAILED})
