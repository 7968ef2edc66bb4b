"""The structural parser: bytes of an official document or gazette issue → ParseResult.

Issue 3 ("Official-document ingestion"): decode, split a gazette into its documents, read each
document's metadata, section tree, citations and key tasks.  Pure Python: the responsibility
parser (orgs' unit resolver) is passed in, so tests use the registry from the shipped JSON
and the ``shuzheng parse`` command the one from the database.
"""

from __future__ import annotations

import hashlib
from pathlib import PurePath

from shuzheng.documents.parsing.citations import find_citations
from shuzheng.documents.parsing.document import DocumentLayout, find_documents
from shuzheng.documents.parsing.formats import extract_text
from shuzheng.documents.parsing.gazette import read_gazette
from shuzheng.documents.parsing.lines import Line, split_lines
from shuzheng.documents.parsing.model import ParseResult
from shuzheng.documents.parsing.sections import find_sections
from shuzheng.documents.parsing.tasks import ResolveResponsibility, TaskFinder
from shuzheng.text.characters import chinese_punctuation


def parse(
    data: bytes,
    filename: str,
    *,
    resolve_responsibility: ResolveResponsibility | None = None,
) -> ParseResult:
    """Parse one file.  Without ``resolve_responsibility`` tasks keep only the raw 责任单位.

    Raises formats.ExtractionError (empty, undecodable, unsupported, damaged) untouched.
    """
    extracted = extract_text(data, filename)
    result = ParseResult(
        source_name=PurePath(filename).name,
        source_format=extracted.source_format,
        encoding=extracted.encoding,
        sha256=hashlib.sha256(data).hexdigest(),
        # The stored text, so every offset and every page shows Chinese punctuation.
        text=chinese_punctuation(extracted.text),
        findings=list(extracted.findings),
    )
    parse_text(result, resolve_responsibility)
    for document in result.documents:
        if not document.title:
            # Every stored document needs a title (its page, its index entries, its
            # identity); the name the uploader gave the file is the one they will recognise.
            document.title = PurePath(filename).stem or result.source_name
    return result


def parse_text(result: ParseResult, resolve: ResolveResponsibility | None) -> None:
    """Fill gazette, documents and findings of ``result`` from ``result.text``."""
    lines = split_lines(result.text)
    layouts = find_documents(lines)
    front_stop = layouts[0].first_line if layouts else len(lines)
    result.gazette = read_gazette(lines, front_stop)
    for position, layout in enumerate(layouts):
        _read_document(result, lines, layout, resolve)
        if layout.transmitted_from is not None:
            notice = layouts[layout.transmitted_from].document
            if notice.transmits is None:
                notice.transmits = position
            notice.transmitted.append(position)
        result.documents.append(layout.document)
    _inherit_from_notice(layouts)


def _read_document(
    result: ParseResult,
    lines: list[Line],
    layout: DocumentLayout,
    resolve: ResolveResponsibility | None,
) -> None:
    document = layout.document
    finder = TaskFinder(result.text, resolve)
    finder.read_tables(lines, layout.first_line, layout.stop_line)
    spans = find_sections(lines, layout.body, layout.attachment_text, finder.table_lines)
    document.sections = [span.section for span in spans]
    body_start = lines[layout.head_stop].start if layout.head_stop < len(lines) else document.end
    document.citations = find_citations(result.text, body_start, document.end)
    finder.read_sections(lines, spans)
    finder.tasks.sort(key=lambda task: task.start)
    finder.finish()
    document.tasks = finder.tasks
    result.findings += layout.findings + finder.findings


def _inherit_from_notice(layouts: list[DocumentLayout]) -> None:
    """A transmitted document (an attachment the notice 印发) is published with its notice:
    under the notice's disclosure note, and — where it names none of its own — with the
    notice's issuers (else its signatories) and date (issue 14: the attachment showed 发文机关
    and 成文日期 as "—")."""
    for layout in layouts:
        if layout.transmitted_from is None:
            continue
        document = layout.document
        notice = layouts[layout.transmitted_from].document
        if document.disclosure is None:
            document.disclosure = notice.disclosure
        if not document.issuers:
            document.issuers = list(notice.issuers or notice.signatories)
        if document.written_on is None:
            document.written_on = notice.written_on
