"""A document's text as the page shows it and as the search index reads it (issue 14).

Pure module: no Django. Gazettes arrive with Markdown marks (``# 自治区人民政府``,
``### 一、总体要求``, ``- 附件：``, tab-separated tables) that must never be shown raw:

* :func:`render_fragment` turns a piece of text into HTML with markdown-it-py (CommonMark
  with tables): headings, lists and tables become elements. Raw HTML in the text is
  escaped, never passed through (``html=False``), and links, images and code blocks are
  switched off, so the only markup is what the renderer itself writes; searched words
  are put in ``<mark>`` inside text nodes only (``documents.highlight``).
* :func:`render_section` renders a section's block: its heading as a real heading element
  (``<h2>`` for the first level, ``<h3>`` for the second…: the document page's outline,
  its ``<h1>`` the title), a heading written inline with its
  paragraph (``（一）指导思想。坚持…``) as a run-in heading.
* :func:`plain_text` strips the marks, for the index and its snippets, so snippets read as
  prose; :func:`index_text` joins the paragraphs the source broke at a page end first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it import MarkdownIt

from shuzheng.documents.highlight import marked_text
from shuzheng.documents.parsing.paragraphs import join_soft_breaks

#: Heading element of a section of level 1 is h2 (h1 is the title).
SECTION_HEADING_BASE = 1
MAX_HEADING = 6
#: A first line at most this long is a heading line when the section's heading is not found.
HEADING_LINE_MAX = 80
#: Lines before a heading-marked line that are labels of it ("附件 2").
LABEL_MAX = 12

_HEADING_MARK = re.compile(r"^[ \t]{0,3}#{1,6}(?:[ \t]+|$)")
_CLOSING_HASHES = re.compile(r"[ \t]+#+[ \t]*$")
_BULLET = re.compile(r"^[ \t]{0,3}[-*+][ \t]+")
_QUOTE = re.compile(r"^[ \t]{0,3}>[ \t]?")
_RULE = re.compile(r"^[ \t]{0,3}(?:[-*_][ \t]*){3,}$")
_PIPE_SEPARATOR = re.compile(
    r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$"
)
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")
#: Where a line ends a paragraph in text without blank lines between paragraphs.
_PARAGRAPH_END = ("。", "；", "：", "！", "？", ":")
_RUN_IN_END = "。．.：:"


def _markdown() -> MarkdownIt:
    md = MarkdownIt(
        "commonmark", {"html": False, "linkify": False, "typographer": False, "breaks": True}
    )
    md.enable("table")
    md.disable(
        ["code", "fence", "html_block", "html_inline", "image", "link", "autolink"]
        + ["reference", "lheading", "backticks"]
    )

    def text(self, tokens, idx, options, env):
        return marked_text(tokens[idx].content, env.get("terms", ()))

    def table_open(self, tokens, idx, options, env):
        return '<div class="doc-table">' + self.renderToken(tokens, idx, options, env)

    def table_close(self, tokens, idx, options, env):
        return self.renderToken(tokens, idx, options, env) + "</div>"

    md.add_render_rule("text", text)
    md.add_render_rule("table_open", table_open)
    md.add_render_rule("table_close", table_close)
    return md


_MD = _markdown()


def render_fragment(
    text: str, *, heading_level: int = 2, terms: Sequence[str] = (), join: bool = True
) -> str:
    """``text`` as HTML: paragraphs, lists, tables; its heading-marked lines as headings of
    ``heading_level`` whatever their number of ``#`` (a gazette's are not consistent). A
    paragraph the source broke at a page or line end is joined first (``join``:
    ``documents.parsing.paragraphs.join_soft_breaks``, "持续深化黄河宁" / "夏段干支流")."""
    source = _prepare(join_soft_breaks(text) if join else text)
    if not source.strip():
        return ""
    env = {"terms": tuple(terms)}
    tokens = _MD.parse(source, env)
    tag = f"h{min(max(heading_level, 1), MAX_HEADING)}"
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = tag
    return _MD.renderer.render(tokens, _MD.options, env)


@dataclass(frozen=True)
class RenderedSection:
    html: str
    #: The heading is written inline at the start of its paragraph.
    run_in: bool = False


def render_section(
    text: str, *, heading: str, level: int, label: str = "", terms: Sequence[str] = ()
) -> RenderedSection:
    """A section's block — ``text`` runs from the section's start to the next section's —
    with the section's heading as a heading element of its level."""
    tag = min(SECTION_HEADING_BASE + max(level, 1), MAX_HEADING)
    lead, heading_text, rest, run_in = _split_heading(join_soft_breaks(text), heading, label)
    parts = (
        [render_fragment(lead, heading_level=tag, terms=terms, join=False)] if lead.strip() else []
    )
    parts.append(f'<h{tag} class="doc-heading">{marked_text(heading_text, terms)}</h{tag}>')
    below = min(tag + 1, MAX_HEADING)
    parts.append(render_fragment(rest, heading_level=below, terms=terms, join=False))
    return RenderedSection("".join(parts), run_in=run_in)


def _split_heading(text: str, heading: str, label: str) -> tuple[str, str, str, bool]:
    """(label lines before the heading, the heading as printed, the rest, run-in?)."""
    lines = text.split("\n")
    # A heading-marked line, possibly after short label lines ("附件 2").
    for index, line in enumerate(lines[:4]):
        if _HEADING_MARK.match(line):
            before = lines[:index]
            if all(len(item.strip()) <= LABEL_MAX for item in before):
                title = _CLOSING_HASHES.sub("", _HEADING_MARK.sub("", line)).strip()
                return "\n".join(before), title, "\n".join(lines[index + 1 :]), False
            break
        if line.strip() and len(line.strip()) > LABEL_MAX:
            break
    first, _newline, rest = text.partition("\n")
    found = _find_compact(first, heading) if heading else None
    if found is not None:
        end = found
        while end < len(first) and first[end] in _RUN_IN_END:
            end += 1
        head, inline = first[:end].strip(), first[end:].strip()
        if inline:
            return "", head, inline + "\n" + rest, True
        return "", head, rest, False
    if len(first.strip()) <= HEADING_LINE_MAX:
        return "", first.strip(), rest, False
    return "", f"{label}{heading}", text, False


def _find_compact(line: str, heading: str) -> int | None:
    """The end, in ``line``, of ``heading`` found in it whitespace aside (``None``)."""
    wanted = re.sub(r"\s+", "", heading)
    if not wanted:
        return None
    pattern = r"\s*".join(re.escape(char) for char in wanted)
    match = re.search(pattern, line)
    return match.end() if match else None


def _prepare(text: str) -> str:
    """The text as Markdown the renderer reads as the document means it: runs of
    tab-separated lines become tables; a line ending a sentence ends its paragraph (text
    files put one paragraph on a line); a line break inside a sentence (a page break of the
    source: "持续深化黄河宁" / "夏段干支流") is no paragraph break (documents.parsing.paragraphs)."""
    text = join_soft_breaks(text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = text.split("\n")
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if "\t" in line and line.strip():
            rows = []
            while index < len(lines) and "\t" in lines[index] and lines[index].strip():
                rows.append(lines[index])
                index += 1
            out.extend(["", *_pipe_table(rows), ""])
            continue
        out.append(line)
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if (
            line.rstrip().endswith(_PARAGRAPH_END)
            and not line.endswith("  ")
            and following.strip()
            and not _BULLET.match(following)
        ):
            out.append("")
        index += 1
    return "\n".join(out)


def _pipe_table(rows: list[str]) -> list[str]:
    cells = [[cell.strip() for cell in row.split("\t")] for row in rows]
    width = max(len(row) for row in cells)
    cells = [row + [""] * (width - len(row)) for row in cells]

    def line(row):
        return "| " + " | ".join(cell.replace("|", "\\|") or " " for cell in row) + " |"

    return [line(cells[0]), "|" + " --- |" * width, *(line(row) for row in cells[1:])]


def index_text(text: str) -> str:
    """What the search index reads of ``text``: its paragraphs joined where the source broke
    them (``join_soft_breaks``), without Markdown marks (:func:`plain_text`)."""
    return plain_text(join_soft_breaks(text))


def plain_text(text: str) -> str:
    """``text`` without its Markdown marks — heading marks, bullets, quote marks, rules,
    emphasis, pipe-table borders, backslash escapes, hard-break spaces — for the search
    index, so that snippets read as prose. Words and line structure stay as they are, but
    for a line break inside a sentence, which is joined (documents.parsing.paragraphs)."""
    lines = []
    for line in join_soft_breaks(text).split("\n"):
        if _RULE.match(line) or _PIPE_SEPARATOR.match(line) and "-" in line:
            lines.append("")
            continue
        stripped = line.strip()
        if stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
            line = "\t".join(cell.strip() for cell in re.split(r"(?<!\\)\|", stripped[1:-1]))
        if _HEADING_MARK.match(line):
            line = _CLOSING_HASHES.sub("", _HEADING_MARK.sub("", line))
        line = _QUOTE.sub("", _BULLET.sub("", line))
        line = _EMPHASIS.sub(r"\1", _STRONG.sub(r"\2", line))
        lines.append(_ESCAPE.sub(r"\1", line).rstrip(" "))
    return "\n".join(lines)
