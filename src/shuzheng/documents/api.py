"""JSON API of the document library: /api/v1/documents/... (issue 3, item 7).

Published (public) documents are readable by anyone; the others by government roles only.
Ingesting needs ``ingest_documents``, by bearer token or signed-in session.
"""

import datetime

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import get_language
from ninja import File, Query, Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.files import UploadedFile
from ninja.pagination import paginate

from shuzheng.accounts.api_auth import PUBLIC, SIGNED_IN
from shuzheng.accounts.authorization import api_principal, api_requires
from shuzheng.api_contract import Id, Pagination
from shuzheng.documents import selectors, services
from shuzheng.documents.filtersets import DocumentFilterSet
from shuzheng.documents.models import Document, IngestJob
from shuzheng.filtersets import filter_or_422, query_schema

router = Router(tags=["documents"])


class UnitRefOut(Schema):
    """A unit as a document or a task names it (the registry's full record: orgs' UnitOut)."""

    code: str
    name: str


class DocumentSummaryOut(Schema):
    id: int
    title: str
    doc_number: str
    doc_type: str
    #: 主题分类 codes (``shuzheng.text.topics``; docs/documents.md), best first.
    topics: list[str]
    written_on: datetime.date | None
    published_on: datetime.date | None
    disclosure: str
    validity: str
    version: int
    is_current: bool
    issuers: list[UnitRefOut]
    issuer_names: list[str]
    gazette_issue: str | None
    transmitted_by_id: int | None
    task_count: int

    @staticmethod
    def resolve_issuers(obj: Document) -> list:
        return list(obj.issuers.all())

    @staticmethod
    def resolve_gazette_issue(obj: Document) -> str | None:
        return obj.gazette.issue_no if obj.gazette_id else None


class SectionOut(Schema):
    path: str
    heading: str
    level: int
    anchor: str
    start: int
    end: int


class AttachmentOut(Schema):
    number: int | None
    title: str
    omitted: bool


class CitationOut(Schema):
    raw: str
    title: str
    doc_number: str
    start: int
    end: int
    target_id: int | None


class DocumentRefOut(Schema):
    id: int
    title: str
    doc_number: str


class VersionOut(Schema):
    id: int
    version: int
    is_current: bool


class TaskSummaryOut(Schema):
    total: int
    by_form: dict[str, int]
    by_category: dict[str, int]


class DocumentOut(DocumentSummaryOut):
    addressees: list[str]
    content_sha256: str
    source_name: str
    start: int
    end: int
    text: str
    sections: list[SectionOut]
    attachments: list[AttachmentOut]
    citations: list[CitationOut]
    transmits: list[DocumentRefOut]
    versions: list[VersionOut]
    tasks: TaskSummaryOut

    @staticmethod
    def resolve_task_count(obj: Document) -> int:
        return obj.tasks.count()

    @staticmethod
    def resolve_source_name(obj: Document) -> str:
        return obj.source.name

    @staticmethod
    def resolve_versions(obj: Document) -> list:
        return selectors.document_versions(obj)

    @staticmethod
    def resolve_tasks(obj: Document) -> dict:
        return selectors.task_summary(obj)


DocumentFilterIn = query_schema(DocumentFilterSet, "DocumentFilterIn")


class IngestedDocumentOut(Schema):
    id: int
    title: str
    doc_number: str
    version: int
    outcome: str
    tasks: int


class FindingOut(Schema):
    severity: str
    code: str
    params: dict
    message: str
    offset: int | None
    context: str
    document_id: int | None


class IngestionSummaryOut(Schema):
    created: int
    new_versions: int
    unchanged: int
    tasks: int
    findings: dict[str, int]


class IngestionReportOut(Schema):
    filename: str
    sha256: str
    status: str
    source_id: int | None
    error: str
    documents: list[IngestedDocumentOut]
    findings: list[FindingOut]
    summary: IngestionSummaryOut


class IngestJobOut(Schema):
    id: int
    filename: str
    size: int
    status: str
    error: str
    report: IngestionReportOut | None
    status_url: str
    created_at: datetime.datetime
    finished_at: datetime.datetime | None

    @staticmethod
    def resolve_status_url(obj: IngestJob) -> str:
        return reverse("api:documents_ingest_job", kwargs={"job_id": obj.pk})


@router.post(
    "/ingest",
    response={200: IngestionReportOut, 202: IngestJobOut, 400: IngestionReportOut},
    operation_id="documents_ingest",
    auth=SIGNED_IN,
)
@api_requires("ingest_documents")
def ingest(request, file: File[UploadedFile]):
    """Ingest one file (multipart field ``file``): the report, with every finding.

    The same bytes again report ``unchanged``; unusable input answers 400 with the reason
    and stores nothing. A file over ``SHUZHENG_INGEST_BACKGROUND_MB`` is ingested by the
    worker: the answer is 202 with the job, whose ``status_url`` tells its progress and,
    once done, its report.
    """
    name = file.name or "upload"
    actor = api_principal(request)
    try:
        if services.runs_in_background(file.size):
            job = services.queue_ingest(file, actor=actor, language=get_language())
            return Status(202, job)
        report = services.ingest_file(file.read(), name, actor=actor)
    except services.IngestionError as exc:
        return Status(400, services.failed_report(name, exc).to_dict())
    return Status(200, report.to_dict())


@router.get(
    "/ingest/jobs/{job_id}",
    response=IngestJobOut,
    operation_id="documents_ingest_job",
    url_name="documents_ingest_job",
    auth=SIGNED_IN,
)
@api_requires("ingest_documents")
def ingest_job(request, job_id: Id):
    """A queued ingestion: ``queued``, ``parsing``, ``writing``, then ``done`` with the
    report or ``failed`` with the reason (and the report, which stores nothing)."""
    return get_object_or_404(IngestJob, pk=job_id)


@router.get("", response=list[DocumentSummaryOut], operation_id="documents_list", auth=PUBLIC)
@api_requires("view_published")
@paginate(Pagination, page_size=50)
def list_documents(request, filters: Query[DocumentFilterIn]):
    """Current documents the caller may read; filter by type, year, issuer unit code, and
    ``q`` on title or number (any bracket variant of a number)."""
    rows = selectors.current_documents(api_principal(request))
    return filter_or_422(DocumentFilterSet, request, rows)


@router.get("/{document_id}", response=DocumentOut, operation_id="documents_detail", auth=PUBLIC)
def document_detail(request, document_id: Id):
    """One document: metadata, text, sections, attachments, citations and a task summary."""
    return readable_document(request, document_id)


def readable_document(request, document_id: int) -> Document:
    """The document, or 404; 401 for the public and 403 for others when it is not theirs
    to read (the permission matrix tells "forbidden" from "not found")."""
    try:
        document = selectors.document_with_parts(document_id)
    except Document.DoesNotExist:
        get_object_or_404(Document, pk=document_id)
        raise
    user = api_principal(request)
    if selectors.can_read(user, document):
        return document
    if not getattr(user, "is_authenticated", False):
        raise AuthenticationError()
    raise HttpError(403, "this document is not public")
