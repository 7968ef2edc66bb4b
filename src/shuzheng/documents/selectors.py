"""Reads of the document library: who may read what, the list's rows, one document with
its parts (issue 3, item 7). Nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, Min, OuterRef, Prefetch, QuerySet

from shuzheng.accounts.authorization import has_perm
from shuzheng.documents.choices import Disclosure
from shuzheng.documents.filtersets import DocumentFilterSet
from shuzheng.documents.models import (
    Citation,
    Document,
    IngestionFinding,
    Section,
    SourceOriginal,
)
from shuzheng.orgs.models import Unit


def can_read_internal_documents(user) -> bool:
    """Documents not marked public are for government roles only: those who hold
    ``view_unit_work`` (unit staff, unit heads, supervisors, administrators; issue 2)."""
    return has_perm(user, "view_unit_work")


def can_read(user, document: Document) -> bool:
    """Whether ``user`` may read ``document``: the rule of :func:`visible_documents`, for
    one document already loaded (pages and the API tell "forbidden" from "not found")."""
    if document.disclosure == Disclosure.PUBLIC and has_perm(user, "view_published"):
        return True
    return can_read_internal_documents(user)


def visible_documents(user) -> QuerySet[Document]:
    """The documents ``user`` may read: public ones for everyone (``view_published``), all
    of them for government roles (issue 3, item 7)."""
    documents = Document.objects.all()
    if can_read_internal_documents(user):
        return documents
    if has_perm(user, "view_published"):
        return documents.filter(disclosure=Disclosure.PUBLIC)
    return documents.none()


def current_documents(user) -> QuerySet[Document]:
    """The current documents ``user`` may read, newest first, with what the list shows
    (gazette, issuers, task count): the rows of the document list before its filters
    (``documents.filtersets.DocumentFilterSet``)."""
    return (
        visible_documents(user)
        .filter(is_current=True)
        .distinct()
        .select_related("gazette")
        .prefetch_related("issuers")
        .annotate(task_count=Count("tasks", distinct=True))
        .order_by(
            F("published_on").desc(nulls_last=True), F("written_on").desc(nulls_last=True), "-id"
        )
    )


def search_documents(user, **filters) -> QuerySet[Document]:
    """:func:`current_documents` filtered as Python callers write it (``q``, ``doc_type``,
    ``year``, ``issuer``): the same FilterSet as the list page and the API."""
    return DocumentFilterSet(filters, queryset=current_documents(user)).qs


def document_types(user) -> list[str]:
    """The document types present among readable current documents, for the filter menu."""
    return list(
        visible_documents(user)
        .filter(is_current=True)
        .exclude(doc_type="")
        .order_by("doc_type")
        .values_list("doc_type", flat=True)
        .distinct()
    )


def issuing_units(user) -> QuerySet[Unit]:
    """Units that issued at least one readable current document, for the filter menu."""
    documents = visible_documents(user).filter(is_current=True)
    return Unit.objects.filter(issued_documents__in=documents).distinct().order_by("code")


def document_with_parts(pk: int) -> Document:
    """One document with what its page and API show, in a fixed number of queries.

    Raises Document.DoesNotExist; whether the caller may read it is :func:`can_read`.
    """
    return (
        Document.objects.select_related("gazette", "transmitted_by", "source")
        .defer("source__text")
        .annotate(has_original=Exists(SourceOriginal.objects.filter(source=OuterRef("source"))))
        .prefetch_related(
            "issuers",
            "attachments",
            "sections",
            Prefetch("citations", queryset=Citation.objects.select_related("target")),
            Prefetch("transmits", queryset=Document.objects.only(*LINK_FIELDS)),
        )
        .get(pk=pk)
    )


#: What a link to another document shows, and what deciding whether it may be shown needs.
LINK_FIELDS = ("id", "title", "doc_number", "disclosure", "written_on", "is_current")
#: A document whose title says this is a 政策解读 of the documents it cites (issue 14).
INTERPRETATION_MARK = "解读"


def is_interpretation(document: Document) -> bool:
    """Whether ``document`` is a 政策解读: its title says 解读 (e.g. 《…实施意见》政策解读)."""
    return INTERPRETATION_MARK in document.title


@dataclass
class RelatedDocuments:
    """The documents of the library a document is linked with, those ``user`` may read."""

    #: The 政策解读 of this document: documents titled 解读 that cite it.
    interpretations: list[Document] = field(default_factory=list)
    #: When this document is a 解读: the documents it interprets (those it cites).
    interprets: list[Document] = field(default_factory=list)
    #: Other documents it cites / that cite it.
    cites: list[Document] = field(default_factory=list)
    cited_by: list[Document] = field(default_factory=list)
    #: The notice that 印发/转发 it, and the documents it 印发/转发.
    transmitted_by: Document | None = None
    transmits: list[Document] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(
            self.interpretations
            or self.interprets
            or self.cites
            or self.cited_by
            or self.transmitted_by
            or self.transmits
        )


def related_documents(user, document: Document) -> RelatedDocuments:
    """Cited, citing and transmitted documents of ``document`` (loaded by
    :func:`document_with_parts`), and its interpretations both ways — one query, for the
    documents that cite it."""
    cited = []
    for citation in document.citations.all():
        target = citation.target
        if (
            target is not None
            and target.pk != document.pk
            and target not in cited
            and can_read(user, target)
        ):
            cited.append(target)
    citing = list(
        visible_documents(user)
        .filter(citations__target=document, is_current=True)
        .exclude(pk=document.pk)
        .distinct()
        .only(*LINK_FIELDS)
        .order_by(F("written_on").desc(nulls_last=True), "id")
    )
    interprets = cited if is_interpretation(document) else []
    transmitted_by = document.transmitted_by
    return RelatedDocuments(
        interpretations=[item for item in citing if is_interpretation(item)],
        interprets=interprets,
        cites=[item for item in cited if item not in interprets],
        cited_by=[item for item in citing if not is_interpretation(item)],
        transmitted_by=transmitted_by
        if transmitted_by is not None and can_read(user, transmitted_by)
        else None,
        transmits=[item for item in document.transmits.all() if can_read(user, item)],
    )


def original_of(document: Document) -> SourceOriginal | None:
    """The original file ``document`` was read from, bytes included, if it was kept."""
    return SourceOriginal.objects.filter(source_id=document.source_id).first()


def task_summary(document: Document) -> dict:
    """How many key tasks a document holds, by form and by category (document page, API)."""
    rows = (
        document.tasks.values("form", "category")
        .annotate(count=Count("id"), first=Min("number"))
        .order_by("form", "first")
    )
    by_form: dict[str, int] = {}
    by_category: dict[str, int] = {}
    for row in rows:
        by_form[row["form"]] = by_form.get(row["form"], 0) + row["count"]
        if row["category"]:
            by_category[row["category"]] = by_category.get(row["category"], 0) + row["count"]
    return {"total": sum(by_form.values()), "by_form": by_form, "by_category": by_category}


def document_versions(document: Document) -> list[Document]:
    """All versions of a document, oldest first (for "other versions" links)."""
    return list(
        Document.objects.filter(identity=document.identity)
        .order_by("version")
        .only("id", "version", "is_current", "source__ingested_at")
        .select_related("source")
    )


def document_findings(document: Document) -> list[IngestionFinding]:
    return list(document.findings.all())


def section_at(user, document_id: int, anchor: str) -> Section | None:
    """The section ``anchor`` of document ``document_id`` (what ``/documents/<id>/#<anchor>``
    opens), with its document, when ``user`` may read that document; else None. For other
    apps citing a paragraph (the hotline's knowledge answers, issue 15 point 5)."""
    return (
        Section.objects.select_related("document")
        .filter(document__in=visible_documents(user), document_id=document_id, anchor=anchor)
        .first()
    )


def current_section(title: str, path: str) -> Section | None:
    """The section at ``path`` ("二/(六)") of the current document titled ``title``: how
    shipped sample data names a paragraph it cites."""
    return (
        Section.objects.select_related("document")
        .filter(document__title=title, document__is_current=True, path=path)
        .first()
    )
