"""The policy library's own index tables (issue 4, "一库通查").

Search never reads the documents app's tables: the documents service hands it
``IndexItem`` objects and these tables keep what search needs. The full-text part lives
beside them and is created per database vendor in migration 0002: an FTS5 table
``search_entry_fts`` on SQLite, a ``document`` tsvector column with a GIN index on
PostgreSQL — both over the pre-segmented ``*_tokens`` columns.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    """One document, section, key task or dataset as the index holds it."""

    kind = models.CharField(_("kind"), max_length=16)
    object_id = models.BigIntegerField(_("object id"))
    document_id = models.BigIntegerField(_("document id"), db_index=True)
    title = models.CharField(_("title"), max_length=500)
    doc_number = models.CharField(_("doc number"), max_length=64, blank=True, db_index=True)
    heading = models.CharField(_("heading"), max_length=500, blank=True)
    path = models.CharField(_("path"), max_length=200, blank=True)
    anchor = models.CharField(_("anchor"), max_length=200, blank=True)
    task_number = models.CharField(_("task number"), max_length=32, blank=True)
    body = models.TextField(_("text"), blank=True)
    year = models.IntegerField(_("year"), null=True, blank=True)
    doc_type = models.CharField(_("document type"), max_length=32, blank=True)
    validity = models.CharField(_("validity"), max_length=32, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    is_public = models.BooleanField(_("public"), default=True)
    sort_name = models.CharField(_("sort name"), max_length=100, blank=True, default="")
    title_tokens = models.TextField(_("segmented title"), blank=True)
    body_tokens = models.TextField(_("segmented text"), blank=True)
    terms_tokens = models.TextField(_("domain terms"), blank=True)

    class Meta:
        db_table = "search_entry"
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique_object")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.heading or self.title}"


class SearchFacet(models.Model):
    """One facet value of one entry (issuer, unit, year …): facet counts are a GROUP BY over
    this table restricted to the matched entries, identical on both databases."""

    entry = models.ForeignKey(SearchEntry, related_name="facets", on_delete=models.CASCADE)
    facet = models.CharField(_("facet"), max_length=24)
    value = models.CharField(_("value"), max_length=200)

    class Meta:
        db_table = "search_facet"
        verbose_name = _("search facet value")
        verbose_name_plural = _("search facet values")
        indexes = [models.Index(fields=["facet", "value"], name="search_facet_value")]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "facet", "value"], name="search_facet_unique_value"
            )
        ]

    def __str__(self) -> str:
        return f"{self.facet}={self.value}"


class SearchTerm(models.Model):
    """A domain dictionary term learnt from the library (quoted terms, unit names), shared
    by every process so that the index and the queries are segmented alike."""

    term = models.CharField(_("term"), max_length=64, unique=True)
    source = models.CharField(_("source"), max_length=16)

    class Meta:
        db_table = "search_term"
        verbose_name = _("dictionary term")
        verbose_name_plural = _("dictionary terms")

    def __str__(self) -> str:
        return self.term


class SearchOutbox(models.Model):
    """A change of the index entries not yet applied to the search engine (issue 13, item 1):
    written in the transaction that changed the entries, applied after commit by the writing
    process or the worker, and deleted once the engine has it. ``document_id`` None means the
    whole index (a rebuild)."""

    document_id = models.BigIntegerField(_("document id"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        db_table = "search_outbox"
        verbose_name = _("search index change")
        verbose_name_plural = _("search index changes")

    def __str__(self) -> str:
        return f"document {self.document_id}" if self.document_id else "whole index"
