"""PDF with a text layer to text (pdfplumber).

A PDF knows visual lines, not paragraphs; paragraphs are rebuilt from the layout of
Chinese official documents (GB/T 9704-2012: body paragraphs start indented by two
characters, a paragraph's last line usually stops short of the right margin).  Page
headers, footers and page numbers ("— 3 —") are dropped; ruled tables are extracted as
tables, and a table that continues on the next page (with or without a repeated header
row) is joined into one.  A PDF without any text layer is a scan: OCR is not supported.
"""

from __future__ import annotations

import io
import logging
import re
import statistics
from collections import Counter
from dataclasses import dataclass

import pdfplumber

from shuzheng.documents.parsing.formats_common import (
    ExtractionError,
    assemble,
    join_lines,
    render_table,
)
from shuzheng.documents.parsing.model import Finding, Severity
from shuzheng.text.translation import gettext_noop

logger = logging.getLogger(__name__)

# Share of the page height at the top and bottom where running headers, footers and
# page numbers live.
MARGIN_ZONE = 0.1
_PAGE_NUMBER = re.compile(
    r"^[-—–－\s]*(?:第\s*)?\d+\s*(?:页)?(?:\s*[/／]\s*\d+|\s*共\s*\d+\s*页)?[-—–－\s]*$"
    r"|^page\s+\d+(?:\s+of\s+\d+)?$",
    re.IGNORECASE,
)


@dataclass
class _Line:
    text: str
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    in_margin: bool


@dataclass
class _Table:
    rows: list[list[str]]
    page: int
    top: float


def extract_pdf(data: bytes) -> tuple[str, list[Finding]]:
    """The text of a PDF's text layer; ExtractionError for a damaged, encrypted or scanned one."""
    pages = _read_pages(data)
    empty_pages = [number for number, blocks in enumerate(pages, 1) if not blocks]
    if len(empty_pages) == len(pages):
        raise ExtractionError(
            "scanned-pdf",
            gettext_noop("Scanned PDF without a text layer; OCR is not supported yet."),
        )
    findings = []
    if empty_pages:
        findings.append(Finding(Severity.WARNING, "pdf-page-without-text", {"pages": empty_pages}))
    pages, dropped = _drop_running_lines(pages)
    if dropped:
        findings.append(Finding(Severity.INFO, "pdf-headers-dropped", {"count": dropped}))
    blocks, joined = _join_split_tables([block for page in pages for block in page])
    if joined:
        findings.append(Finding(Severity.INFO, "pdf-table-joined", {"count": joined}))
    return assemble(_render(blocks)), findings


def _read_pages(data: bytes) -> list[list[_Line | _Table]]:
    """Every page's lines and tables.

    pdfplumber and pdfminer read a malformed PDF lazily, page by page, and fail in many ways
    (MalformedPDFException, TypeError or IndexError on a bad MediaBox, zlib errors, a
    negative seek …): the whole reading is the boundary where any of their failures becomes
    the "damaged" error (docs/formats.md).
    """
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return [_page_blocks(number, page) for number, page in enumerate(pdf.pages, 1)]
    except Exception as exc:
        logger.info("unreadable PDF: %r", exc)
        raise ExtractionError(
            "damaged", gettext_noop("The PDF is damaged or encrypted and cannot be read.")
        ) from exc


def _page_blocks(number: int, page) -> list[_Line | _Table]:
    tables = page.find_tables()
    boxes = [table.bbox for table in tables]
    outside = page.filter(lambda obj: not _inside_any(obj, boxes)) if boxes else page
    margin = page.height * MARGIN_ZONE
    blocks: list[_Line | _Table] = [
        _Line(
            text=line["text"],
            page=number,
            top=line["top"],
            bottom=line["bottom"],
            x0=line["x0"],
            x1=line["x1"],
            in_margin=line["bottom"] < margin or line["top"] > page.height - margin,
        )
        for line in outside.extract_text_lines(strip=True, return_chars=False)
        if line["text"].strip()
    ]
    blocks.extend(_Table(rows=table.extract(), page=number, top=table.bbox[1]) for table in tables)
    return sorted(blocks, key=lambda block: block.top)


def _inside_any(obj: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    if obj.get("object_type") != "char":
        return False
    middle_x = (obj["x0"] + obj["x1"]) / 2
    middle_y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= middle_x <= x1 and top <= middle_y <= bottom for x0, top, x1, bottom in boxes)


def _running_key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _drop_running_lines(pages: list[list]) -> tuple[list[list], int]:
    """Drop page numbers, and header/footer lines repeated on at least half of the pages."""
    counts = Counter(
        key
        for page in pages
        for key in {_running_key(b.text) for b in page if isinstance(b, _Line) and b.in_margin}
    )
    needed = max(2, (len(pages) + 1) // 2)
    repeated = {key for key, count in counts.items() if count >= needed}
    kept_pages = []
    dropped = 0
    for page in pages:
        kept = []
        for block in page:
            if (
                isinstance(block, _Line)
                and block.in_margin
                and (_PAGE_NUMBER.match(block.text.strip()) or _running_key(block.text) in repeated)
            ):
                dropped += 1
            else:
                kept.append(block)
        kept_pages.append(kept)
    return kept_pages, dropped


def _join_split_tables(blocks: list) -> tuple[list, int]:
    """A table directly followed (on the next page) by one with as many columns continues it."""
    result: list = []
    joined = 0
    for block in blocks:
        previous = result[-1] if result else None
        if (
            isinstance(block, _Table)
            and isinstance(previous, _Table)
            and block.page == previous.page + 1
            and _width(block.rows) == _width(previous.rows)
        ):
            rows = block.rows
            if rows and _cells(rows[0]) == _cells(previous.rows[0]):
                rows = rows[1:]  # the header row repeated on the new page
            previous.rows.extend(rows)
            previous.page = block.page
            joined += 1
        else:
            result.append(block)
    return result, joined


def _width(rows: list[list]) -> int:
    return max((len(row) for row in rows), default=0)


def _cells(row: list) -> list[str]:
    return [join_lines(cell or "") for cell in row]


def _render(blocks: list) -> list[str]:
    lines = [block for block in blocks if isinstance(block, _Line)]
    if not lines:
        return [line for block in blocks for line in render_table(block.rows)]
    size = statistics.median(line.bottom - line.top for line in lines)
    left = min(line.x0 for line in lines)
    right = max(line.x1 for line in lines)
    output: list[str] = []
    paragraph: list[_Line] = []
    for block in blocks:
        if isinstance(block, _Table):
            output.append(_paragraph_text(paragraph))
            paragraph = []
            output.extend(render_table(block.rows))
            continue
        if paragraph and _starts_paragraph(paragraph[-1], block, size, left, right):
            output.append(_paragraph_text(paragraph))
            paragraph = []
        paragraph.append(block)
    output.append(_paragraph_text(paragraph))
    return [line for line in output if line is not None]


def _starts_paragraph(previous: _Line, line: _Line, size: float, left: float, right: float):
    """Paragraph boundaries of GB/T 9704 layout: a first-line indent, a short last line,
    a wider gap, or a change of font size (a title above the body).  A centred line after
    a full line is the wrapped end of a centred paragraph (a long title), not a new one."""
    previous_ended_short = previous.x1 < right - 1.5 * size
    centred = abs((line.x0 - left) - (right - line.x1)) < size
    indented = line.x0 > left + size and not (centred and not previous_ended_short)
    height = max(line.bottom - line.top, previous.bottom - previous.top)
    gap = line.page == previous.page and line.top - previous.bottom > 0.8 * height
    resized = abs((line.bottom - line.top) - (previous.bottom - previous.top)) > 0.15 * size
    return indented or previous_ended_short or gap or resized


def _paragraph_text(lines: list[_Line]) -> str | None:
    if not lines:
        return None
    return join_lines("\n".join(line.text for line in lines))
