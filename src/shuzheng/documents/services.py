"""Ingestion, the only writer of documents (issue 3, item 7).

One file is one transaction: either everything the parser found is stored — source,
gazette, documents, sections, attachments, citations, findings, the audit events and what
the registered ingest steps write (key tasks, index entries, notifications;
``documents.pipeline``) — or, on any failure, nothing is. Reads are in
``documents.selectors``.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from shuzheng.audit.services import record_change, snapshot
from shuzheng.documents.choices import Disclosure, IngestJobStatus, Outcome
from shuzheng.documents.models import (
    Attachment,
    Citation,
    Document,
    Gazette,
    IngestionFinding,
    IngestJob,
    Section,
    SourceFile,
    SourceOriginal,
)
from shuzheng.documents.parsing import model as parsed
from shuzheng.documents.parsing.formats_common import ExtractionError
from shuzheng.documents.parsing.parser import parse as parse_file
from shuzheng.documents.pipeline import (
    IngestContext,
    PreparedDocument,
    prepare_ingest_steps,
    run_ingest_steps,
)
from shuzheng.documents.reports import BatchReport, DocumentOutcome, FindingOut, IngestionReport
from shuzheng.orgs.models import Unit
from shuzheng.orgs.services import get_resolver
from shuzheng.search import services as search_services
from shuzheng.search.sources import source_items
from shuzheng.text import topics as topic_rules

logger = logging.getLogger(__name__)

#: Suffixes ``ingest_paths`` picks up when it walks a directory (the parser's formats).
INGESTIBLE_SUFFIXES = frozenset({".txt", ".md", ".docx", ".pdf", ".html", ".htm"})
#: Fields left out of audit snapshots: the full text is in the row itself, not worth copying.
SNAPSHOT_EXCLUDE = ("text",)
#: Rows per INSERT of a bulk write: SQLite and PostgreSQL both take this many comfortably.
BATCH_SIZE = 1000

Parse = Callable[[bytes, str], parsed.ParseResult]


class IngestionError(Exception):
    """The file cannot be used; nothing was stored. ``findings`` says why, when the parser
    could tell."""

    def __init__(self, message: str, findings: Iterable[parsed.Finding] = ()):
        super().__init__(message)
        self.message = message
        self.findings = list(findings)


# --------------------------------------------------------------------------- ingestion


def ingest_file(
    data: bytes,
    filename: str,
    *,
    actor,
    parse: Parse | None = None,
    progress: Callable[[str], None] | None = None,
) -> IngestionReport:
    """Parse one file and store what it holds, in one transaction (issue 3, item 7).

    Idempotent: the same bytes again change nothing and report "unchanged"; a document
    whose identity (doc_number, else title and issuers) is stored already with other text
    becomes a new version and the old one stays, no longer current. Raises IngestionError,
    with nothing stored, for unusable input (too large, empty, unsupported, scanned, parser
    errors).

    Issue 9, item 5: parsing and every step's preparation (rows, tasks, index tokens) run
    before the transaction, which only writes, so other writers wait for the write alone.
    ``progress`` hears each phase as it starts: "parsing", then "writing".
    """
    refuse_oversized(filename, len(data))
    if not data:
        raise IngestionError(_("The file is empty."))
    digest = hashlib.sha256(data).hexdigest()
    known = SourceFile.objects.filter(sha256=digest).first()
    if known is not None:
        return _unchanged_report(known, filename)
    tell = progress or (lambda phase: None)
    tell("parsing")
    result = _run_parser(parse or _default_parse, data, filename)
    errors = [item for item in result.findings if item.severity == parsed.Severity.ERROR]
    if errors:
        raise IngestionError(errors[0].describe(_), result.findings)
    if not result.documents:
        raise IngestionError(_("No official document was found in the file."), result.findings)
    context = IngestContext(stored=[], actor=actor, prepared=_prepare_documents(result))
    prepare_ingest_steps(context)
    source = _source_row(result, len(data), filename, digest, actor)
    tell("writing")
    try:
        with transaction.atomic():
            return _store(result, source, context, data)
    except IntegrityError:
        # The same bytes, uploaded concurrently, were committed first: nothing to add.
        known = SourceFile.objects.filter(sha256=digest).first()
        if known is None:
            raise
        return _unchanged_report(known, filename)


#: The content type of an original file by the format the parser read it as.
CONTENT_TYPES = {
    "txt": "text/plain",
    "md": "text/markdown",
    "html": "text/html",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def original_content_type(source_format: str, encoding: str) -> str:
    """The content type an original is downloaded with: its format's, with the charset the
    parser detected for text formats (a GB18030 file is served as GB18030)."""
    content_type = CONTENT_TYPES.get(source_format, "application/octet-stream")
    if content_type.startswith("text/") and encoding:
        return f"{content_type}; charset={encoding.lower()}"
    return content_type


def size_limit(filename: str) -> int:
    """The largest file of this name's format that ingestion takes, in bytes
    (``INGEST_MAX_MB``; a name without a known suffix gets the text formats' limit)."""
    suffix = Path(filename).suffix.lower().lstrip(".")
    limits = settings.INGEST_MAX_MB
    return limits.get(suffix, limits["txt"]) * 1024 * 1024


def refuse_oversized(filename: str, size: int) -> None:
    """Refuse a file larger than its format's limit, before any work is done on it: parsing
    it would hold more memory than the platform allows one upload (issue 9, item 5)."""
    limit = size_limit(filename)
    if size > limit:
        raise IngestionError(
            _(
                "The file is %(size)s MB; files of this format may be at most %(limit)s MB. "
                "Split it into smaller files."
            )
            % {"size": f"{size / 1024 / 1024:.1f}", "limit": limit // (1024 * 1024)}
        )


def ingest_paths(
    paths: Iterable[str | Path],
    actor,
    progress: Callable[[Path, IngestionReport], None] | None = None,
    *,
    parse: Parse | None = None,
) -> BatchReport:
    """Ingest files and directories (walked recursively), each file in its own transaction.

    A file that fails is reported and the others proceed (issue 3, item 7: the CLI).
    """
    batch = BatchReport()
    for path in expand_paths(paths):
        report = _ingest_one_path(path, actor, parse)
        batch.reports.append(report)
        if progress is not None:
            progress(path, report)
    return batch


# --------------------------------------------------------------------------- large uploads

#: The worker's job (``documents.tasks``), named by path: that module imports this one.
INGEST_TASK = "shuzheng.documents.tasks.ingest_upload"


def runs_in_background(size: int) -> bool:
    """Whether an upload of ``size`` bytes is ingested by the worker (issue 9, item 5)."""
    return size > settings.INGEST_BACKGROUND_MB * 1024 * 1024


def queue_ingest(upload: File, *, actor, language: str) -> IngestJob:
    """Keep a large upload and queue its ingestion for the worker: the job row, its queue
    row and the audit event commit together (no job without its queue row). The file is
    copied to storage in chunks, never held in memory whole. Refuses a file over its
    format's limit, as :func:`ingest_file` does, before anything is kept."""
    name = upload.name or "upload"
    refuse_oversized(name, upload.size)
    with transaction.atomic():
        job = IngestJob(
            filename=name[:255],
            size=upload.size,
            language=language,
            requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        job.upload.save(Path(name).name, upload, save=False)
        job.save()
        record_change(
            actor=actor,
            action="documents.queue_ingest",
            obj=job,
            after={"filename": job.filename, "size": job.size},
        )
        import_string(INGEST_TASK).enqueue(job.pk)
    return job


def run_ingest_job(job_id: int) -> str:
    """The worker's side of :func:`queue_ingest`: ingest the kept file, telling the job's
    row each phase, and keep the report. A job that finished already is left alone (a retry
    after a crash); an unexpected failure marks the job failed with a plain message (the
    details go to the log: they are for the operators), so no job stays "running"."""
    job = IngestJob.objects.get(pk=job_id)
    if job.is_finished:
        return job.status
    with translation.override(job.language):
        try:
            data = job.upload.read()
            job.upload.close()
            report = ingest_file(
                data,
                job.filename,
                actor=job.requested_by,
                progress=lambda phase: _set_job_status(job, phase),
            )
        except IngestionError as exc:
            report = failed_report(job.filename, exc)
        except Exception:
            logger.exception("ingestion job %s failed", job_id)
            report = IngestionReport(
                filename=job.filename,
                status="failed",
                error=_("The file could not be ingested because of an internal error."),
            )
        return _finish_job(job, report)


def _set_job_status(job: IngestJob, status: str) -> None:
    IngestJob.objects.filter(pk=job.pk).update(status=status)


def _finish_job(job: IngestJob, report: IngestionReport) -> str:
    """Keep the report, drop the kept upload (its text is in the SourceFile now)."""
    with transaction.atomic():
        job.status = IngestJobStatus.FAILED if report.failed else IngestJobStatus.DONE
        job.error = report.error
        job.report = report.to_dict()
        job.finished_at = timezone.now()
        job.upload.delete(save=False)
        job.save()
        record_change(
            actor=job.requested_by,
            action="documents.finish_ingest",
            obj=job,
            after={"status": job.status, "source_id": report.source_id, "error": job.error},
        )
    return job.status


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and the ingestible files under each directory, in name order."""
    found: list[Path] = []
    for item in map(Path, paths):
        if item.is_dir():
            found.extend(
                sorted(
                    child
                    for child in item.rglob("*")
                    if child.is_file() and child.suffix.lower() in INGESTIBLE_SUFFIXES
                )
            )
        else:
            found.append(item)
    return found


def _ingest_one_path(path: Path, actor, parse: Parse | None) -> IngestionReport:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return IngestionReport(filename=str(path), status="failed", error=exc.strerror or str(exc))
    try:
        return ingest_file(data, path.name, actor=actor, parse=parse)
    except IngestionError as exc:
        return failed_report(path.name, exc)
    except Exception as exc:  # one bad file must not stop the batch; its transaction rolled back
        logger.exception("ingesting %s failed", path)
        return IngestionReport(filename=path.name, status="failed", error=str(exc))


def failed_report(filename: str, exc: IngestionError) -> IngestionReport:
    return IngestionReport(
        filename=filename,
        status="failed",
        error=exc.message,
        findings=[_finding_out(item) for item in exc.findings],
    )


def _default_parse(data: bytes, filename: str) -> parsed.ParseResult:
    # One registry for the whole file: get_resolver() checks the registry's freshness with a
    # query, which per task would cost more than the parse itself.
    return parse_file(data, filename, resolve_responsibility=get_resolver().parse_responsibility)


def _run_parser(parse: Parse, data: bytes, filename: str) -> parsed.ParseResult:
    """Run the parser, turning its declared error (undecodable, unsupported, damaged,
    scanned) into IngestionError with its sentence in the reader's language."""
    try:
        return parse(data, filename)
    except ExtractionError as exc:
        raise IngestionError(exc.describe(_)) from exc


def _unchanged_report(source: SourceFile, filename: str) -> IngestionReport:
    documents = source.documents.annotate(task_count=Count("tasks")).order_by("start")
    return IngestionReport(
        filename=filename,
        sha256=source.sha256,
        status="unchanged",
        source_id=source.pk,
        documents=[
            DocumentOutcome(
                doc.pk, doc.title, doc.doc_number, doc.version, Outcome.UNCHANGED, doc.task_count
            )
            for doc in documents
        ],
        findings=[
            FindingOut(f.severity, f.code, f.params, f.offset, f.context, f.document_id)
            for f in source.findings.all()
        ],
    )


def _prepare_documents(result: parsed.ParseResult) -> list[PreparedDocument]:
    """Every parsed document as unsaved rows, before the transaction (issue 9, item 5);
    one whose text the library holds already, or an earlier document of the file holds, is
    marked not new, so no step prepares what will not be written (a file that repeats its
    documents costs what its distinct documents cost)."""
    disclosures = _disclosures(result)
    published_on = result.gazette.published_on if _has_gazette(result.gazette) else None
    prepared = [
        _prepare_document(item, result.text, disclosures[index], published_on)
        for index, item in enumerate(result.documents)
    ]
    identities = {item.document.identity for item in prepared}
    latest = dict(
        Document.objects.filter(identity__in=identities, is_current=True).values_list(
            "identity", "content_sha256"
        )
    )
    for item in prepared:
        item.is_new = latest.get(item.document.identity) != item.document.content_sha256
        latest[item.document.identity] = item.document.content_sha256
    return prepared


def _prepare_document(
    item: parsed.ParsedDocument, source_text: str, disclosure: str, published_on
) -> PreparedDocument:
    text = source_text[item.start : item.end]
    identity = document_identity(item.doc_number, item.title, item.issuers)
    document = Document(
        title=item.title[:500],
        doc_number=item.doc_number or "",
        identity=identity[:700],
        issuer_names=list(item.issuers),
        addressees=list(item.addressees),
        written_on=item.written_on,
        published_on=published_on,
        doc_type=item.doc_type or "",
        topics=list(topic_rules.declared(text) or topic_rules.propose(item.title, text).topics),
        disclosure=disclosure,
        content_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        text=text,
        start=item.start,
        end=item.end,
    )
    return PreparedDocument(
        parsed=item,
        document=document,
        issuers=_issuer_units(item.issuers),
        sections=_sections(document, item),
        attachments=[
            Attachment(
                document=document,
                number=attachment.number,
                title=attachment.title[:500],
                omitted=attachment.omitted,
                position=position,
            )
            for position, attachment in enumerate(item.attachments)
        ],
        citations=[
            Citation(
                document=document,
                raw=citation.raw[:600],
                title=(citation.title or "")[:500],
                doc_number=citation.doc_number or "",
                start=citation.start - item.start,
                end=citation.end - item.start,
            )
            for citation in item.citations
        ],
    )


def _sections(document: Document, item: parsed.ParsedDocument) -> list[Section]:
    """The document's sections in text order, offsets made relative to the document."""
    anchors: set[str] = set()
    sections = [
        Section(
            document=document,
            path=section.path[:128],
            heading=section.heading[:500],
            level=section.level,
            start=section.start - item.start,
            end=section.end - item.start,
            anchor=section_anchor(section.path, anchors),
            position=position,
        )
        for position, section in enumerate(item.sections)
    ]
    return sorted(sections, key=lambda section: (section.start, section.position))


def _source_row(result: parsed.ParseResult, size: int, filename: str, digest: str, actor):
    return SourceFile(
        name=filename[:255],
        sha256=digest,
        size=size,
        source_format=result.source_format,
        encoding=result.encoding or "",
        text=result.text,
        ingested_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


def _store(
    result: parsed.ParseResult, source: SourceFile, context: IngestContext, data: bytes
) -> IngestionReport:
    """The write: what was prepared, in bulk, in the caller's transaction."""
    source.save()
    SourceOriginal.objects.create(
        source=source,
        content_type=original_content_type(result.source_format, result.encoding or ""),
        data=data,
    )
    gazette = _gazette(result.gazette)
    report = IngestionReport(filename=source.name, sha256=source.sha256, source_id=source.pk)
    current = {
        document.identity: document
        for document in Document.objects.filter(
            identity__in={item.document.identity for item in context.prepared}, is_current=True
        )
    }
    outcomes: list[tuple[Document, str, int | None]] = []
    for prepared in context.prepared:
        document, outcome = _store_document(
            prepared, current.get(prepared.document.identity), source, gazette, context.actor
        )
        current[document.identity] = document
        if outcome == Outcome.UNCHANGED:
            outcomes.append((document, outcome, None))
        else:
            context.stored.append((document, prepared.parsed))
            outcomes.append((document, outcome, len(prepared.parsed.tasks)))
    report.documents = _outcomes(outcomes)
    stored = [document for document, _outcome, _tasks in outcomes]
    _link_transmissions(result.documents, stored)
    _store_parts([context.prepared_of(document) for document in context.documents])
    _resolve_citations(context.documents)
    report.findings = _store_findings(result, source, stored)
    # The registered steps run in this transaction (issue 4, items 1 and 4; issue 8, item 1):
    # the documents, their key tasks, index entries and the subscribers' inbox rows commit
    # together, so every new item is matched exactly once — none lost to a crash after
    # commit, none sent for a rollback.
    run_ingest_steps(context)
    if not context.stored:
        report.status = "unchanged"
    return report


def _has_gazette(info: parsed.GazetteInfo | None) -> bool:
    return info is not None and bool(info.issue_no)


def _gazette(info: parsed.GazetteInfo | None) -> Gazette | None:
    if not _has_gazette(info):
        return None
    gazette, _created = Gazette.objects.get_or_create(
        title=info.title or "",
        issue_no=info.issue_no,
        defaults={
            "year": info.year,
            "number": info.number,
            "serial_no": info.serial_no,
            "published_on": info.published_on,
        },
    )
    return gazette


def _disclosures(result: parsed.ParseResult) -> list[str]:
    """公开属性 of each document. A document 印发 by a notice shares the notice's marking (the
    notice's 此件公开发布 covers what it transmits); otherwise anything printed in a gazette is
    public, being published; an unmarked loose file stays unmarked (treated as not public)."""
    values = [item.disclosure or "" for item in result.documents]
    for index, item in enumerate(result.documents):
        for target in _transmitted(item):
            if 0 <= target < len(values) and not values[target]:
                values[target] = values[index]
    if result.gazette is not None and result.gazette.issue_no:
        values = [value or Disclosure.PUBLIC for value in values]
    return values


def document_identity(doc_number: str | None, title: str, issuers: Iterable[str]) -> str:
    """Which stored documents are versions of each other (issue 3, item 7): the normalised
    document number when there is one, else the title with the issuers as written."""
    if doc_number:
        return f"number:{doc_number}"
    return f"title:{title}|{'、'.join(sorted(issuers))}"


def _outcomes(outcomes: list[tuple[Document, str, int | None]]) -> list[DocumentOutcome]:
    """The report's lines; the task counts of unchanged documents in one query."""
    unchanged = [document.pk for document, _outcome, tasks in outcomes if tasks is None]
    counts = dict(
        Document.objects.filter(pk__in=unchanged)
        .annotate(task_count=Count("tasks"))
        .values_list("pk", "task_count")
    )
    return [
        DocumentOutcome(
            document.pk,
            document.title,
            document.doc_number,
            document.version,
            outcome,
            counts[document.pk] if tasks is None else tasks,
        )
        for document, outcome, tasks in outcomes
    ]


def _store_document(
    prepared: PreparedDocument,
    current: Document | None,
    source: SourceFile,
    gazette: Gazette | None,
    actor,
) -> tuple[Document, str]:
    """Write one prepared document as new, or a new version of ``current`` (the current
    version of its identity), or nothing when its text is ``current``'s."""
    document = prepared.document
    if current is not None and current.content_sha256 == document.content_sha256:
        return current, Outcome.UNCHANGED
    if not prepared.is_new:
        # Another ingestion changed this document between our preparation and our write.
        raise IngestionError(
            _("The library changed while this file was being prepared. Ingest it again.")
        )
    before = None
    if current is not None:
        before = snapshot(current, exclude=SNAPSHOT_EXCLUDE)
        Document.objects.filter(pk=current.pk).update(is_current=False)
    document.gazette = gazette
    document.source = source
    document.published_on = gazette.published_on if gazette else None
    document.version = current.version + 1 if current else 1
    document.previous_version = current
    if current is not None and current.topics_edited:
        # An editor's 主题分类 outlives a new version of the text; a proposal does not.
        document.topics, document.topics_edited = current.topics, True
    document.save(force_insert=True)
    document.issuers.set(prepared.issuers)
    outcome = Outcome.NEW_VERSION if current else Outcome.CREATED
    record_change(
        actor=actor,
        action="documents.new_version" if current else "documents.ingest",
        obj=document,
        before=before,
        after=snapshot(document, exclude=SNAPSHOT_EXCLUDE),
    )
    if current is not None:
        Citation.objects.filter(target=current).update(target=document)
    return document, outcome


def _issuer_units(names: list[str]) -> list[Unit]:
    """The registry units behind the issuers as written, through the one orgs resolver
    (architecture: one resolver for unit names); a name it cannot place stays text only."""
    if not names:
        return []
    resolver = get_resolver()
    codes = set()
    for name in names:
        resolution = resolver.resolve(name)
        if resolution.resolved and resolution.group is None:
            codes.update(resolution.unit_codes)
    return list(Unit.objects.filter(code__in=codes)) if codes else []


def _link_transmissions(items: list[parsed.ParsedDocument], stored: list[Document]) -> None:
    """A notice that 印发 another document becomes that document's ``transmitted_by``."""
    for index, item in enumerate(items):
        for target in _transmitted(item):
            if not 0 <= target < len(stored) or target == index:
                continue
            transmitted, notice = stored[target], stored[index]
            if transmitted.transmitted_by_id != notice.pk:
                transmitted.transmitted_by = notice
                Document.objects.filter(pk=transmitted.pk).update(transmitted_by=notice)


def _transmitted(item: parsed.ParsedDocument) -> list[int]:
    """Every document a notice 印发 (``transmitted``; results built before it: ``transmits``)."""
    if item.transmitted:
        return list(item.transmitted)
    return [item.transmits] if item.transmits is not None else []


def _store_parts(prepared: list[PreparedDocument]) -> None:
    """Sections, attachments and citations of the new documents, in bulk batches."""
    for rows in (
        [section for item in prepared for section in item.sections],
        [attachment for item in prepared for attachment in item.attachments],
        [citation for item in prepared for citation in item.citations],
    ):
        if rows:
            type(rows[0]).objects.bulk_create(rows, batch_size=BATCH_SIZE)


def section_anchor(path: str, taken: set[str]) -> str:
    """A URL fragment for a section, stable across re-ingestion: "s-" and the path's numbers
    ("三/(三)/2" → "s-三-三-2"), made unique within the document by a counter."""
    base = "s-" + (slugify(path.replace("/", "-"), allow_unicode=True) or "section")
    anchor, counter = base[:150], 2
    while anchor in taken:
        anchor = f"{base[:150]}-{counter}"
        counter += 1
    taken.add(anchor)
    return anchor


def _resolve_citations(new_documents: list[Document]) -> None:
    """Link citations to the documents they cite (issue 3, item 7).

    Both ways: the new documents' own citations look for their targets in the library, and
    citations already stored that were still dangling look for the new documents. Number
    first (it is unambiguous); a citation by title alone matches a current document's title.
    """
    if not new_documents:
        return
    new_ids = [document.pk for document in new_documents]
    numbers = {document.doc_number for document in new_documents if document.doc_number}
    titles = {document.title for document in new_documents}
    dangling = Citation.objects.filter(target__isnull=True).filter(
        Q(document_id__in=new_ids) | Q(doc_number__in=numbers) | Q(doc_number="", title__in=titles)
    )
    citations = list(dangling.only("id", "doc_number", "title"))
    if not citations:
        return
    wanted_numbers = {c.doc_number for c in citations if c.doc_number}
    wanted_titles = {c.title for c in citations if not c.doc_number and c.title}
    current = Document.objects.filter(is_current=True).filter(
        Q(doc_number__in=wanted_numbers) | Q(title__in=wanted_titles)
    )
    by_number, by_title = {}, {}
    for document in current.only("id", "doc_number", "title"):
        if document.doc_number:
            by_number[document.doc_number] = document.pk
        by_title.setdefault(document.title, document.pk)
    resolved = []
    for citation in citations:
        target = (
            by_number.get(citation.doc_number)
            if citation.doc_number
            else by_title.get(citation.title)
        )
        if target is not None:
            citation.target_id = target
            resolved.append(citation)
    Citation.objects.bulk_update(resolved, ["target"])


def _store_findings(
    result: parsed.ParseResult, source: SourceFile, stored: list[Document]
) -> list[FindingOut]:
    """Every finding is kept, attached to the document whose text span holds its offset."""
    spans = [
        (item.start, item.end, document)
        for item, document in zip(result.documents, stored, strict=True)
    ]
    rows = []
    for finding in result.findings:
        document = next(
            (
                document
                for start, end, document in spans
                if finding.offset is not None and start <= finding.offset < end
            ),
            None,
        )
        rows.append(
            IngestionFinding(
                source=source,
                document=document,
                severity=str(finding.severity),
                code=finding.code[:64],
                params=finding.params,
                offset=finding.offset,
                context=finding.context,
            )
        )
    IngestionFinding.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    return [
        FindingOut(row.severity, row.code, row.params, row.offset, row.context, row.document_id)
        for row in rows
    ]


def _finding_out(finding: parsed.Finding) -> FindingOut:
    return FindingOut(
        str(finding.severity), finding.code, finding.params, finding.offset, finding.context
    )


# --------------------------------------------------------------------------- 主题分类


def set_topics(document: Document, codes: Iterable[str], *, actor) -> Document:
    """Give ``document`` the 主题分类 an editor chose (issue 14, point 3): stored, audited and
    re-indexed in one transaction, so search filters by what the document page shows. The
    codes are kept in the classification's order; an unknown or empty choice is refused."""
    codes = set(codes)
    chosen = list(topic_rules.valid_codes(codes))
    if not chosen or len(chosen) != len(codes):
        raise ValueError("topics must be one or more codes of the classification")
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        before = {"topics": locked.topics, "topics_edited": locked.topics_edited}
        locked.topics, locked.topics_edited = chosen, True
        locked.save(update_fields=["topics", "topics_edited"])
        record_change(
            actor=actor,
            action="documents.set_topics",
            obj=locked,
            before=before,
            after={"topics": chosen, "topics_edited": True},
        )
        if locked.is_current:
            search_services.replace_document_entries(
                locked.pk, source_items([locked.pk]), actor=actor
            )
    return locked
