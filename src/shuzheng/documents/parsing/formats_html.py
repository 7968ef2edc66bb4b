"""A government web page (HTML) to text: the article only, not the site around it.

Chinese government sites are mostly built on a few content systems (TRS WCM, Hanweb,
…) that put the article body in a recognisable element: ``div.TRS_Editor``,
``div#zoom``, ``div#UCAP-CONTENT``, ``div.article-content`` and the like.  That element
is used when present; otherwise the block with the most paragraph text.  Navigation,
breadcrumbs, scripts and styles are dropped; the article title, which these systems keep
outside the body (``<meta name="ArticleTitle">`` or an ``<h1>``), becomes a ``#`` heading.
"""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass

from bs4 import BeautifulSoup, Comment, NavigableString, PageElement, Tag

from shuzheng.documents.parsing.decoding import decode, normalize_line_endings
from shuzheng.documents.parsing.formats_common import (
    ExtractionError,
    assemble,
    join_breaks,
    join_lines,
    render_table,
)
from shuzheng.documents.parsing.model import Finding, Severity
from shuzheng.text.translation import gettext_noop

logger = logging.getLogger(__name__)

# Tried in this order; the first one with text wins.
MAIN_CONTENT_SELECTORS = (
    ".TRS_Editor",
    ".TRS_UEDITOR",
    "#UCAP-CONTENT",
    "#zoom",
    ".zoom",
    "#content",
    ".article-content",
    ".pages_content",
    ".content",
    "article",
    "main",
    ".article",
    "#article",
)
_DROPPED_TAGS = (
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "iframe",
    "form",
    "select",
    "button",
    "template",
    "svg",
    "head",
)
_NOISE = re.compile(
    r"(?:^|[-_\s])(?:nav|navbar|menu|breadcrumbs?|crumbs?|share|footer)(?:$|[-_\s])",
    re.IGNORECASE,
)
_BLOCK_TAGS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "center",
    "tr",
    "td",
    "th",
    "tbody",
    "thead",
    "tfoot",
    "address",
    "figure",
    "figcaption",
    "hr",
}
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w.:]+)""", re.IGNORECASE)
# GB2312 and GBK pages regularly contain characters outside those charsets.
_CHARSET_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
}
_BREAK = "\x00"  # a line break in the output (block boundary, <br>)
_SOURCE_BREAK = "\x01"  # a newline in the HTML source: just whitespace


def extract_html(data: bytes) -> tuple[str, str, list[Finding]]:
    findings: list[Finding] = []
    markup, encoding = _decode_html(data, findings)
    lines = _read_page(markup, findings)
    text = assemble(lines)
    if not text:
        raise ExtractionError("no-text", gettext_noop("The web page contains no article text."))
    return text, encoding, findings


def _read_page(markup: str, findings: list[Finding]) -> list[str]:
    """The article's lines. Beautiful Soup, lxml and soupsieve are the boundary: any failure
    of theirs on a malformed page becomes the "damaged" error (docs/formats.md)."""
    try:
        soup = BeautifulSoup(markup, "lxml")
        title = _article_title(soup)
        for element in soup.find_all(_DROPPED_TAGS):
            element.decompose()
        for comment in soup.find_all(string=lambda text: isinstance(text, Comment)):
            comment.extract()
        root, selector = _main_content(soup)
        for element in root.find_all(_is_noise):
            element.decompose()
        lines = _render(root)
    except Exception as exc:
        logger.info("unreadable web page: %r", exc)
        raise ExtractionError(
            "damaged", gettext_noop("The web page is damaged and cannot be read.")
        ) from exc
    findings.append(_content_finding(selector))
    if title and not any(title in line for line in lines[:5]):
        lines.insert(0, f"# {title}")
    return lines


def _decode_html(data: bytes, findings: list[Finding]) -> tuple[str, str]:
    """BOM first, then the page's declared charset, then detection (WHATWG order)."""
    declared = _declared_charset(data)
    if declared and not data.startswith(
        (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    ):
        try:
            return normalize_line_endings(data.decode(declared)), declared
        except UnicodeDecodeError:
            findings.append(
                Finding(Severity.WARNING, "html-charset-mismatch", {"charset": declared})
            )
    decoded = decode(data)
    return decoded.text, decoded.encoding


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    if match is None:
        return None
    name = match.group(1).decode("ascii", "replace").lower()
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return _CHARSET_SUPERSETS.get(name, _CHARSET_SUPERSETS.get(codec, codec))


def _article_title(soup: BeautifulSoup) -> str | None:
    meta = soup.find("meta", attrs={"name": re.compile(r"^ArticleTitle$", re.IGNORECASE)})
    if meta and meta.get("content", "").strip():
        return join_lines(meta["content"])
    heading = soup.find("h1")
    if heading is not None and not heading.find_parent(["nav", "header", "footer"]):
        title = join_lines(heading.get_text("\n"))
        return title or None
    return None


def _main_content(soup: BeautifulSoup) -> tuple[Tag, str | None]:
    for selector in MAIN_CONTENT_SELECTORS:
        for element in soup.select(selector):
            if element.get_text(strip=True):
                return element, selector
    body = soup.body or soup
    candidates = [body, *body.find_all(["div", "td", "section", "article"])]
    return max(candidates, key=_paragraph_text_length), None


def _content_finding(selector: str | None) -> Finding:
    if selector:
        return Finding(Severity.INFO, "html-main-content", {"selector": selector})
    return Finding(Severity.WARNING, "html-no-main-content")


def _paragraph_text_length(element: Tag) -> int:
    """Text directly inside the element or its paragraphs: a content block, not a wrapper."""
    length = 0
    for child in element.children:
        if isinstance(child, NavigableString):
            length += len(child.strip())
        elif isinstance(child, Tag) and child.name in {"p", "br", "span", "font", "strong", "b"}:
            length += len(child.get_text(strip=True))
    return length


def _is_noise(element: Tag) -> bool:
    classes = " ".join(element.get("class") or [])
    return bool(_NOISE.search(f"{classes} {element.get('id') or ''}".strip()))


@dataclass
class _Rendered:
    """Lines already in their final form (a heading, a table): not collapsed again."""

    lines: list[str]


def _render(root: Tag) -> list[str]:
    pieces: list[str | _Rendered] = []
    _walk(root, pieces)
    return _piece_lines(pieces)


def _piece_lines(pieces: list[str | _Rendered]) -> list[str]:
    """Text between breaks becomes one collapsed line (empty ones dropped); rendered
    headings and tables are taken as they are, blank lines around tables included."""
    lines: list[str] = []
    buffer: list[str] = []
    for piece in [*pieces, _BREAK]:
        if isinstance(piece, str) and piece != _BREAK:
            buffer.append(piece)
            continue
        line = _collapse("".join(buffer))
        buffer = []
        if line:
            lines.append(line)
        if isinstance(piece, _Rendered):
            lines.extend(piece.lines)
    return lines


def _walk(element: Tag, pieces: list[str | _Rendered], *, in_heading: bool = False) -> None:
    """The element's content as pieces, in document order.

    Iterative, with a stack of the open elements' children: a page nests elements as deep
    as its markup says (fuzzing found pages a thousand levels deep), and recursion would
    hit Python's limit. Each stack entry keeps what to append when the element closes.
    Inside a heading, headings are plain text (nested headings recursed once per level).
    """
    stack: list[tuple[Iterator[PageElement], str | None]] = [(iter(element.children), None)]
    while stack:
        children, closing = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if closing is not None:
                pieces.append(closing)
        elif isinstance(child, NavigableString):
            pieces.append(str(child).replace("\n", _SOURCE_BREAK))
        elif not isinstance(child, Tag):
            continue
        elif child.name == "br":
            pieces.append(_BREAK)
        elif child.name == "table" and not child.find("table"):
            pieces.append(_Rendered(render_table(_table_rows(child))))
        elif child.name in _HEADINGS and not in_heading:
            text = _cell_text(child, in_heading=True).replace("\n", " ")
            if text:
                pieces.append(_Rendered([f"{'#' * _HEADINGS[child.name]} {text}"]))
        elif child.name in _BLOCK_TAGS or child.name == "table":  # a layout table
            pieces.append(_BREAK)
            stack.append((iter(child.children), _BREAK))
        else:
            stack.append((iter(child.children), None))


def _table_rows(table: Tag) -> list[list[str]]:
    """Rows of cell texts; colspan and rowspan leave the covered cells empty."""
    rows: list[list[str]] = []
    pending: dict[int, int] = {}  # column → rows still covered by a rowspan above
    for tr in table.find_all("tr"):
        row: list[str] = []
        for cell in tr.find_all(["td", "th"], recursive=False):
            while pending.get(len(row), 0) > 0:
                pending[len(row)] -= 1
                row.append("")
            row.append(_cell_text(cell))
            span = _span(cell, "rowspan")
            if span > 1:
                pending[len(row) - 1] = span - 1
            row.extend([""] * (_span(cell, "colspan") - 1))
        while pending.get(len(row), 0) > 0:
            pending[len(row)] -= 1
            row.append("")
        rows.append(row)
    return rows


def _cell_text(element: Tag, *, in_heading: bool = False) -> str:
    """The element's text, one line per block inside it (join_lines() joins them later)."""
    pieces: list[str | _Rendered] = []
    _walk(element, pieces, in_heading=in_heading)
    lines = _piece_lines(pieces)
    return "\n".join(line.replace("\t", " ") for line in lines if line)


def _span(cell: Tag, attribute: str) -> int:
    try:
        return max(1, min(int(cell.get(attribute, 1)), 1000))
    except (TypeError, ValueError):
        return 1


def _collapse(text: str) -> str:
    """HTML whitespace: a source line break joins by the join_lines() rule (nothing
    between Chinese characters), other whitespace runs become one space."""
    text = join_breaks(text.replace(_SOURCE_BREAK, "\n"))
    return re.sub(r"[ \t\r\f\v\u00a0\u3000]+", " ", text).strip()
