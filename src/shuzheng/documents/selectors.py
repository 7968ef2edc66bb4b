"""Reads of the document library: who may read what, the list's rows, one document with
its parts (issue 3, item 7). Nothing here writes."""

from __future__ import annotations

from django.db.models import Count, F, Min, Prefetch, QuerySet

from shuzheng.accounts.authorization import has_perm
from shuzheng.documents.choices import Disclosure
from shuzheng.documents.filtersets import DocumentFilterSet
from shuzheng.documents.models import Citation, Document, IngestionFinding
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
        .prefetch_related(
            "issuers",
            "attachments",
            "sections",
            Prefetch("citations", queryset=Citation.objects.select_related("target")),
            Prefetch("transmits", queryset=Document.objects.only("id", "title", "doc_number")),
        )
        .get(pk=pk)
    )


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
