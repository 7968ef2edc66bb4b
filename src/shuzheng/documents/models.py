"""Official documents (公文) and where they came from: the library the parser fills.

Names follow docs GLOSSARY "Official documents". Offsets of sections, citations and tasks are
character offsets into their document's ``text``; the document's own ``start``/``end`` point
into its source file's decoded ``text``, so every stored fact can be traced back to the
characters it was read from (issue 3, item 7: provenance).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shuzheng.documents.choices import SEVERITY_CHOICES, Disclosure, IngestJobStatus
from shuzheng.documents.parsing.model import finding_sentence
from shuzheng.search.choices import Validity


class SourceFile(models.Model):
    """One ingested file, byte-identical input being recognised by ``sha256``."""

    name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    source_format = models.CharField(_("format"), max_length=16)
    encoding = models.CharField(_("text encoding"), max_length=32, blank=True)
    text = models.TextField(_("decoded text"))
    ingested_at = models.DateTimeField(_("ingested at"), auto_now_add=True)
    ingested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ingested by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )

    class Meta:
        ordering = ["-ingested_at", "-id"]
        verbose_name = _("source file")
        verbose_name_plural = _("source files")

    def __str__(self) -> str:
        return self.name


class SourceOriginal(models.Model):
    """The ingested file's bytes as uploaded, for the document page's download of the
    original (issue 14). A row of its own, so that reading a source file never loads them;
    written in ingestion's transaction, so a source and its original exist together.
    Sources ingested before this table existed have none."""

    source = models.OneToOneField(
        SourceFile,
        verbose_name=_("source file"),
        primary_key=True,
        related_name="original",
        on_delete=models.CASCADE,
    )
    content_type = models.CharField(_("content type"), max_length=128)
    data = models.BinaryField(_("bytes"))

    class Meta:
        verbose_name = _("original file")
        verbose_name_plural = _("original files")

    def __str__(self) -> str:
        return self.source.name


class Gazette(models.Model):
    """One issue of a government gazette (政府公报), e.g. 2023年第10期 (总第715期)."""

    title = models.CharField(_("title"), max_length=128)
    issue_no = models.CharField(_("issue"), max_length=32)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    number = models.PositiveSmallIntegerField(_("number in year"), null=True, blank=True)
    serial_no = models.PositiveIntegerField(_("serial number"), null=True, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "-number"]
        verbose_name = _("gazette issue")
        verbose_name_plural = _("gazette issues")
        constraints = [
            models.UniqueConstraint(fields=["title", "issue_no"], name="gazette_unique_issue"),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.issue_no}"


class Document(models.Model):
    """One official document, in one version.

    ``identity`` says which documents are versions of each other: the normalised
    ``doc_number`` when there is one, else title and issuers (issue 3, item 7). Exactly one
    version per identity is current.
    """

    gazette = models.ForeignKey(
        Gazette,
        verbose_name=_("gazette issue"),
        null=True,
        blank=True,
        related_name="documents",
        on_delete=models.PROTECT,
    )
    source = models.ForeignKey(
        SourceFile,
        verbose_name=_("source file"),
        related_name="documents",
        on_delete=models.PROTECT,
    )
    title = models.CharField(_("title"), max_length=500)
    doc_number = models.CharField(_("document number"), max_length=64, blank=True, db_index=True)
    identity = models.CharField(_("identity"), max_length=700, db_index=True, editable=False)
    issuers = models.ManyToManyField(
        "orgs.Unit", verbose_name=_("issuers"), related_name="issued_documents", blank=True
    )
    issuer_names = models.JSONField(_("issuers as written"), default=list, blank=True)
    addressees = models.JSONField(_("addressees"), default=list, blank=True)
    written_on = models.DateField(_("written on"), null=True, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    doc_type = models.CharField(_("document type"), max_length=16, blank=True, db_index=True)
    disclosure = models.CharField(
        _("disclosure"), max_length=16, choices=Disclosure.choices, blank=True
    )
    validity = models.CharField(
        _("validity"), max_length=16, choices=Validity.choices, default=Validity.CURRENT
    )
    #: 主题分类 codes (``shuzheng.text.topics``), best first: proposed at ingest from the
    #: title and text, or set by an editor (``topics_edited``), which a re-ingest keeps.
    topics = models.JSONField(_("topics"), default=list, blank=True)
    topics_edited = models.BooleanField(_("topics set by an editor"), default=False)
    transmitted_by = models.ForeignKey(
        "self",
        verbose_name=_("transmitted by"),
        null=True,
        blank=True,
        related_name="transmits",
        on_delete=models.SET_NULL,
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("current version"), default=True)
    previous_version = models.OneToOneField(
        "self",
        verbose_name=_("previous version"),
        null=True,
        blank=True,
        related_name="next_version",
        on_delete=models.PROTECT,
    )
    content_sha256 = models.CharField(_("content SHA-256"), max_length=64)
    text = models.TextField(_("text"))
    start = models.PositiveIntegerField(_("start offset in source"))
    end = models.PositiveIntegerField(_("end offset in source"))

    class Meta:
        ordering = ["-published_on", "-written_on", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(
                fields=["identity", "version"], name="document_unique_identity_version"
            ),
            models.UniqueConstraint(
                fields=["identity"],
                condition=models.Q(is_current=True),
                name="document_one_current_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.doc_number})" if self.doc_number else self.title

    def get_absolute_url(self) -> str:
        return reverse("documents:detail", args=[self.pk])

    @property
    def year(self) -> int | None:
        day = self.written_on or self.published_on
        return day.year if day else None


class Attachment(models.Model):
    """An attachment (附件) named by the document; ``omitted`` when printed as "（略）"."""

    document = models.ForeignKey(
        Document, verbose_name=_("document"), related_name="attachments", on_delete=models.CASCADE
    )
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=500)
    omitted = models.BooleanField(_("omitted from publication"), default=False)
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        ordering = ["document_id", "position"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.title


CHINESE_NUMERALS = frozenset("一二三四五六七八九十百")


class Section(models.Model):
    """A heading and the text it governs; ``path`` like "三/(三)/2", ``anchor`` for URLs."""

    document = models.ForeignKey(
        Document, verbose_name=_("document"), related_name="sections", on_delete=models.CASCADE
    )
    path = models.CharField(_("path"), max_length=128)
    heading = models.CharField(_("heading"), max_length=500)
    level = models.PositiveSmallIntegerField(_("level"))
    start = models.PositiveIntegerField(_("start offset"))
    end = models.PositiveIntegerField(_("end offset"))
    anchor = models.CharField(_("anchor"), max_length=160)
    position = models.PositiveIntegerField(_("position"))

    class Meta:
        ordering = ["document_id", "position"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            models.UniqueConstraint(fields=["document", "anchor"], name="section_unique_anchor"),
        ]

    def __str__(self) -> str:
        return f"{self.path} {self.heading}"

    @property
    def text(self) -> str:
        return self.document.text[self.start : self.end]

    @property
    def number_label(self) -> str:
        """The heading's number as official documents print it: 三、 （三） 2. （1）."""
        component = self.path.rsplit("/", 1)[-1]
        if component.startswith("(") and component.endswith(")"):
            return f"（{component[1:-1]}）"
        if component.isdigit():
            return f"{component}."
        if component and all(char in CHINESE_NUMERALS for char in component):
            return f"{component}、"
        return ""


class Citation(models.Model):
    """A document cited by title and/or number; ``target`` once the library holds it."""

    document = models.ForeignKey(
        Document, verbose_name=_("document"), related_name="citations", on_delete=models.CASCADE
    )
    raw = models.CharField(_("as written"), max_length=600)
    title = models.CharField(_("title"), max_length=500, blank=True, db_index=True)
    doc_number = models.CharField(_("document number"), max_length=64, blank=True, db_index=True)
    start = models.PositiveIntegerField(_("start offset"))
    end = models.PositiveIntegerField(_("end offset"))
    target = models.ForeignKey(
        Document,
        verbose_name=_("cited document"),
        null=True,
        blank=True,
        related_name="cited_by",
        on_delete=models.SET_NULL,
    )

    class Meta:
        ordering = ["document_id", "start"]
        verbose_name = _("citation")
        verbose_name_plural = _("citations")

    def __str__(self) -> str:
        return self.raw


class IngestionFinding(models.Model):
    """A parser finding, kept with its source so nothing the parser noticed is lost."""

    source = models.ForeignKey(
        SourceFile, verbose_name=_("source file"), related_name="findings", on_delete=models.CASCADE
    )
    document = models.ForeignKey(
        Document,
        verbose_name=_("document"),
        null=True,
        blank=True,
        related_name="findings",
        on_delete=models.CASCADE,
    )
    severity = models.CharField(_("severity"), max_length=8, choices=SEVERITY_CHOICES)
    code = models.CharField(_("code"), max_length=64)
    #: The values the code's sentence names; the sentence itself is worded at display in the
    #: reader's language (``documents.parsing.model.FINDING_TEXT``), never stored.
    params = models.JSONField(_("values"), default=dict, blank=True)
    offset = models.PositiveIntegerField(_("offset in source"), null=True, blank=True)
    context = models.TextField(_("context"), blank=True)

    class Meta:
        ordering = ["source_id", "offset", "id"]
        verbose_name = _("ingestion finding")
        verbose_name_plural = _("ingestion findings")

    def __str__(self) -> str:
        return f"{self.severity} {self.code}: {self.message}"

    @property
    def message(self) -> str:
        """The finding's sentence in the active language."""
        return finding_sentence(self.code, self.params, gettext)

    @property
    def severity_label(self) -> str:
        return self.get_severity_display()


class IngestJob(models.Model):
    """A large upload ingested by the worker (issue 9, item 5): the file waits in ``upload``
    (deleted once ingested), ``status`` says how far it got, ``report`` is the ingestion
    report as the API returns it. ``language`` is the requester's, so the messages of the
    report are in the language they asked in."""

    upload = models.FileField(_("uploaded file"), upload_to="ingest/%Y/%m/", blank=True)
    filename = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    status = models.CharField(
        _("status"), max_length=16, choices=IngestJobStatus.choices, default=IngestJobStatus.QUEUED
    )
    error = models.TextField(_("error"), blank=True)
    report = models.JSONField(_("report"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=16)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("ingestion job")
        verbose_name_plural = _("ingestion jobs")

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        return reverse("documents:ingest_job", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in IngestJobStatus.finished()
