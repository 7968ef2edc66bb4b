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
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

from shuzheng.documents.parsing.decoding import DecodingError, decode
from shuzheng.documents.parsing.formats_common import ExtractionError, render_table
from shuzheng.documents.parsing.formats_docx import extract_docx
from shuzheng.documents.parsing.formats_html import extract_html
from shuzheng.documents.parsing.formats_pdf import extract_pdf
from shuzheng.documents.parsing.model import Finding, Severity

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_UNPACKED_BYTES",
    "Extracted",
    "ExtractionError",
    "convert_pipe_tables",
    "detect_format",
    "extract_text",
]

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

_CONVERT_HINT = "请另存为 .docx、PDF 或文本后再上传 / please save it as .docx, PDF or text first"
UNSUPPORTED_EXTENSIONS = {
    ".doc": "旧版 Word 文件（.doc） / legacy Word file (.doc)",
    ".wps": "WPS 文字文件（.wps） / WPS Writer file (.wps)",
    ".rtf": "RTF 文件 / RTF file",
    ".odt": "OpenDocument 文本 / OpenDocument text (.odt)",
    ".ofd": "OFD 版式文件 / OFD file",
    ".xls": "Excel 表格 / Excel spreadsheet",
    ".xlsx": "Excel 表格 / Excel spreadsheet",
    ".et": "WPS 表格 / WPS spreadsheet",
    ".csv": "CSV 表格 / CSV spreadsheet",
    ".ppt": "PowerPoint 演示文稿 / PowerPoint presentation",
    ".pptx": "PowerPoint 演示文稿 / PowerPoint presentation",
    ".png": "图片 / image",
    ".jpg": "图片 / image",
    ".jpeg": "图片 / image",
    ".gif": "图片 / image",
    ".bmp": "图片 / image",
    ".tif": "图片 / image",
    ".tiff": "图片 / image",
    ".webp": "图片 / image",
    ".zip": "压缩包 / archive",
    ".rar": "压缩包 / archive",
    ".7z": "压缩包 / archive",
}
_MAGIC = (
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "旧版 Office/WPS 文件（.doc/.xls/.wps） / legacy Office or WPS file",
    ),
    (b"{\\rtf", "RTF 文件 / RTF file"),
    (b"\x89PNG\r\n\x1a\n", "图片（PNG） / image (PNG)"),
    (b"\xff\xd8\xff", "图片（JPEG） / image (JPEG)"),
    (b"GIF8", "图片（GIF） / image (GIF)"),
    (b"II*\x00", "图片（TIFF） / image (TIFF)"),
    (b"MM\x00*", "图片（TIFF） / image (TIFF)"),
    (b"BM", "图片（BMP） / image (BMP)"),
    (b"Rar!", "压缩包（RAR） / archive (RAR)"),
    (b"7z\xbc\xaf\x27\x1c", "压缩包（7z） / archive (7z)"),
)
_ZIP_KINDS = (
    ("xl/workbook.xml", "Excel 表格 / Excel spreadsheet"),
    ("ppt/presentation.xml", "PowerPoint 演示文稿 / PowerPoint presentation"),
    ("OFD.xml", "OFD 版式文件 / OFD file"),
    ("content.xml", "OpenDocument 文件 / OpenDocument file"),
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

    Raises ExtractionError (with a stable ``code`` and a Chinese/English message) for
    empty, too large, damaged, scanned or unsupported files; nothing partial is returned.
    """
    if not data:
        raise ExtractionError("empty", "文件为空 / the file is empty")
    if len(data) > max_bytes:
        raise ExtractionError(
            "too-large",
            f"文件有 {len(data)} 字节，超过上限 {max_bytes} 字节 / "
            f"the file has {len(data)} bytes, more than the limit of {max_bytes} bytes",
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
            f"文件扩展名是 {extension}，但内容不是该格式，可能已损坏 / "
            f"the file is named {extension} but its content is not in that format; "
            "it may be damaged",
        )
    if extension in TEXT_EXTENSIONS:
        return TEXT_EXTENSIONS[extension]
    if extension in HTML_EXTENSIONS:
        return "html"
    declared = (content_type or "").split(";")[0].strip().lower()
    if declared in CONTENT_TYPES:
        return CONTENT_TYPES[declared]
    raise _unsupported(
        f"无法识别的文件类型 {extension or '（无扩展名）'} / "
        f"unrecognised file type {extension or '(no extension)'}"
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
    except zipfile.BadZipFile as exc:
        if extension == ".docx":
            raise ExtractionError(
                "damaged",
                f"Word 文件已损坏或不完整 / the .docx file is damaged or truncated ({exc})",
            ) from exc
        raise _unsupported("损坏的压缩包 / damaged zip archive") from exc
    if "word/document.xml" in names:
        return "docx"
    for member, kind in _ZIP_KINDS:
        if member in names:
            raise _unsupported(kind)
    raise _unsupported("压缩包 / zip archive")


def _unsupported(kind: str) -> ExtractionError:
    return ExtractionError(
        "unsupported-format",
        f"不支持的文件格式：{kind}。支持 .txt、.md、.docx、带文字层的 PDF 和网页（HTML）。"
        f"{_CONVERT_HINT}",
    )


def _extract_plain(data: bytes, source_format: str) -> Extracted:
    try:
        decoded = decode(data)
    except DecodingError as exc:
        raise ExtractionError(exc.code, str(exc)) from exc
    findings = []
    if decoded.encoding != "utf-8":
        findings.append(
            Finding(
                Severity.INFO,
                "encoding-detected",
                f"文件编码为 {decoded.encoding} / the file is encoded in {decoded.encoding}",
            )
        )
    text = decoded.text
    if source_format == "md":
        text, tables = convert_pipe_tables(text)
        if tables:
            findings.append(
                Finding(
                    Severity.INFO,
                    "md-tables-converted",
                    f"{tables} 个 Markdown 表格已转为制表符分隔的行 / "
                    f"converted {tables} Markdown pipe table(s) to tab-separated rows",
                )
            )
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
