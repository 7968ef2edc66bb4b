"""Any supported input file to text: the first layer of document ingestion (issue 3).

``extract_text`` detects the format (magic bytes first, then the file name's extension,
then the declared content type), extracts the text and returns it with findings.  The
output follows one convention for every format, which the structural parser relies on
(docs/formats.md): one paragraph per line; headings as they appear, Word heading styles
and HTML ``<h1>``–``<h6>`` as Markdown ``#`` headings; tables as tab-separated rows, one
row per line, with a blank line before and after each table.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

from shuzheng.documents.parsing.decoding import decode
from shuzheng.documents.parsing.formats_common import ExtractionError, Term, render_table
from shuzheng.documents.parsing.formats_docx import damaged_docx, extract_docx
from shuzheng.documents.parsing.formats_html import extract_html
from shuzheng.documents.parsing.formats_pdf import extract_pdf
from shuzheng.documents.parsing.model import Finding, Severity
from shuzheng.text.translation import gettext_noop

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_UNPACKED_BYTES",
    "Extracted",
    "ExtractionError",
    "convert_pipe_tables",
    "detect_format",
    "extract_text",
]

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 50 * 1024 * 1024  # a whole gazette issue as PDF is 2–20 MB
DEFAULT_MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # a .docx's parts after unzipping

TEXT_EXTENSIONS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md"}
HTML_EXTENSIONS = {".html", ".htm", ".shtml", ".xhtml"}
CONTENT_TYPES = {
    "text/plain": "txt",
    "text/markdown": "md",
    "text/x-markdown": "md",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}

_LEGACY_WORD = Term(gettext_noop("legacy Word file (.doc)"))
_IMAGE = Term(gettext_noop("image"))
_ARCHIVE = Term(gettext_noop("archive"))
_EXCEL = Term(gettext_noop("Excel spreadsheet"))
_POWERPOINT = Term(gettext_noop("PowerPoint presentation"))
_OFD = Term(gettext_noop("OFD file"))
UNSUPPORTED_EXTENSIONS = {
    ".doc": _LEGACY_WORD,
    ".wps": Term(gettext_noop("WPS Writer file (.wps)")),
    ".rtf": Term(gettext_noop("RTF file")),
    ".odt": Term(gettext_noop("OpenDocument text (.odt)")),
    ".ofd": _OFD,
    ".xls": _EXCEL,
    ".xlsx": _EXCEL,
    ".et": Term(gettext_noop("WPS spreadsheet")),
    ".csv": Term(gettext_noop("CSV spreadsheet")),
    ".ppt": _POWERPOINT,
    ".pptx": _POWERPOINT,
    ".png": _IMAGE,
    ".jpg": _IMAGE,
    ".jpeg": _IMAGE,
    ".gif": _IMAGE,
    ".bmp": _IMAGE,
    ".tif": _IMAGE,
    ".tiff": _IMAGE,
    ".webp": _IMAGE,
    ".zip": _ARCHIVE,
    ".rar": _ARCHIVE,
    ".7z": _ARCHIVE,
}
_MAGIC = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", Term(gettext_noop("legacy Office or WPS file"))),
    (b"{\\rtf", Term(gettext_noop("RTF file"))),
    (b"\x89PNG\r\n\x1a\n", Term(gettext_noop("image (PNG)"))),
    (b"\xff\xd8\xff", Term(gettext_noop("image (JPEG)"))),
    (b"GIF8", Term(gettext_noop("image (GIF)"))),
    (b"II*\x00", Term(gettext_noop("image (TIFF)"))),
    (b"MM\x00*", Term(gettext_noop("image (TIFF)"))),
    (b"BM", Term(gettext_noop("image (BMP)"))),
    (b"Rar!", Term(gettext_noop("archive (RAR)"))),
    (b"7z\xbc\xaf\x27\x1c", Term(gettext_noop("archive (7z)"))),
)
_ZIP_KINDS = (
    ("xl/workbook.xml", _EXCEL),
    ("ppt/presentation.xml", _POWERPOINT),
    ("OFD.xml", _OFD),
    ("content.xml", Term(gettext_noop("OpenDocument file"))),
)
_UNSUPPORTED_TEXT = gettext_noop(
    "Unsupported file format: {kind}. Supported are .txt, .md, .docx, PDF with a text layer "
    "and web pages (HTML); please save it as .docx, PDF or text first."
)
_UNRECOGNISED_TEXT = gettext_noop(
    "Unsupported file format: unrecognised file type {extension}. Supported are .txt, .md, "
    ".docx, PDF with a text layer and web pages (HTML); please save it as .docx, PDF or "
    "text first."
)
_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head)\b",
    re.IGNORECASE | re.DOTALL,
)
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


@dataclass
class Extracted:
    text: str  # the text the parser sees and stores; every offset points into it
    source_format: str  # txt, md, docx, pdf, html
    encoding: str | None  # detected text encoding; None for docx and pdf
    findings: list[Finding] = field(default_factory=list)


def extract_text(
    data: bytes,
    filename: str,
    content_type: str | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_unpacked_bytes: int = DEFAULT_MAX_UNPACKED_BYTES,
) -> Extracted:
    """Extract the text of an uploaded or fetched file.

    Raises ExtractionError (a stable ``code``, a sentence and its values; DecodingError is
    one) for empty, too large, damaged, scanned or unsupported files, and for any failure
    of a format library on a malformed file; nothing partial is returned.
    """
    if not data:
        raise ExtractionError("empty", gettext_noop("Nothing to read: the file is empty."))
    if len(data) > max_bytes:
        raise ExtractionError(
            "too-large",
            gettext_noop("The file has {size} bytes, more than the limit of {limit} bytes."),
            size=len(data),
            limit=max_bytes,
        )
    source_format = detect_format(data, filename, content_type)
    if source_format == "docx":
        text, findings = extract_docx(data, max_unpacked_bytes)
        return Extracted(text, "docx", None, findings)
    if source_format == "pdf":
        text, findings = extract_pdf(data)
        return Extracted(text, "pdf", None, findings)
    if source_format == "html":
        text, encoding, findings = extract_html(data)
        return Extracted(text, "html", encoding, findings)
    return _extract_plain(data, source_format)


def detect_format(data: bytes, filename: str, content_type: str | None = None) -> str:
    """txt, md, docx, pdf or html; magic bytes decide before the name, the name before
    the declared content type (uploads are often sent as application/octet-stream)."""
    extension = PurePath(filename or "").suffix.lower()
    by_magic = _format_by_magic(data, extension)
    if by_magic:
        return by_magic
    if extension in UNSUPPORTED_EXTENSIONS:
        raise _unsupported(UNSUPPORTED_EXTENSIONS[extension])
    if extension in {".docx", ".pdf"}:
        raise ExtractionError(
            "damaged",
            gettext_noop(
                "The file is named {extension} but its content is not in that format; "
                "it may be damaged."
            ),
            extension=extension,
        )
    if extension in TEXT_EXTENSIONS:
        return TEXT_EXTENSIONS[extension]
    if extension in HTML_EXTENSIONS:
        return "html"
    declared = (content_type or "").split(";")[0].strip().lower()
    if declared in CONTENT_TYPES:
        return CONTENT_TYPES[declared]
    raise ExtractionError(
        "unsupported-format",
        _UNRECOGNISED_TEXT,
        extension=extension or Term(gettext_noop("(no extension)")),
    )


def _format_by_magic(data: bytes, extension: str) -> str | None:
    if data.startswith(b"PK\x03\x04"):
        return _zip_format(data, extension)
    if b"%PDF-" in data[:1024]:
        return "pdf"
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise _unsupported(kind)
    head = data[:4096]
    for bom in _BOMS:
        if head.startswith(bom):
            head = head[len(bom) :].replace(b"\x00", b"")
            break
    if _HTML_START.match(head):
        return "html"
    return None


def _zip_format(data: bytes, extension: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
    except Exception as exc:  # zipfile fails in many ways on a damaged archive (docs/formats.md)
        logger.info("unreadable zip archive: %r", exc)
        if extension == ".docx":
            raise damaged_docx() from exc
        raise _unsupported(Term(gettext_noop("damaged zip archive"))) from exc
    if "word/document.xml" in names:
        return "docx"
    for member, kind in _ZIP_KINDS:
        if member in names:
            raise _unsupported(kind)
    raise _unsupported(Term(gettext_noop("zip archive")))


def _unsupported(kind: Term) -> ExtractionError:
    return ExtractionError("unsupported-format", _UNSUPPORTED_TEXT, kind=kind)


def _extract_plain(data: bytes, source_format: str) -> Extracted:
    decoded = decode(data)
    findings = []
    if decoded.encoding != "utf-8":
        findings.append(Finding(Severity.INFO, "encoding-detected", {"encoding": decoded.encoding}))
    text = decoded.text
    if source_format == "md":
        text, tables = convert_pipe_tables(text)
        if tables:
            findings.append(Finding(Severity.INFO, "md-tables-converted", {"count": tables}))
    return Extracted(text, source_format, decoded.encoding, findings)


_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$|^[^|\n]*\|[^\n]*$")
_DELIMITER_ROW = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_CELL_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def convert_pipe_tables(text: str) -> tuple[str, int]:
    """Markdown pipe tables (GFM) become tab-separated rows between blank lines.

    A table is a header row, a delimiter row (``|---|:--:|``) and the rows after it that
    contain a pipe.  ``<br>`` inside a cell is a line break in the cell, joined like any
    cell-internal line break; ``\\|`` is a literal pipe.  Other Markdown is left as it is.
    """
    lines = text.split("\n")
    output: list[str] = []
    tables = 0
    index = 0
    while index < len(lines):
        if (
            index + 1 < len(lines)
            and _PIPE_ROW.match(lines[index])
            and _DELIMITER_ROW.match(lines[index + 1])
        ):
            rows = [_pipe_cells(lines[index])]
            index += 2
            while index < len(lines) and lines[index].strip() and _PIPE_ROW.match(lines[index]):
                rows.append(_pipe_cells(lines[index]))
                index += 1
            table = render_table(rows)[1:-1]  # blank lines added only where missing
            if output and output[-1].strip():
                output.append("")
            output.extend(table)
            if index < len(lines) and lines[index].strip():
                output.append("")
            tables += 1
            continue
        output.append(lines[index])
        index += 1
    return "\n".join(output), tables


def _pipe_cells(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    cells = re.split(r"(?<!\\)\|", line)
    return [_CELL_BREAK.sub("\n", cell.replace("\\|", "|")).strip() for cell in cells]
