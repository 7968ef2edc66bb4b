"""The document page's shape: the table of contents, and the official text laid out as the
document was issued (GB/T 9704-2012, 党政机关公文格式; issue 14).

:func:`official_text` is the template helper of ``documents/_official.html``, which the
document page and its print view share. Each element of the standard is its own element
of the page, in the standard's order:

* 发文机关标志 (7.2.4: the issuers' names, centred, red) and 发文字号 (7.2.5: centred
  below it), then the red 分隔线 of the 版头 (7.2.7);
* 标题 (7.3.1: centred, 2号小标宋) and 主送机关 (7.3.2: flush left, ending in a full-width
  colon);
* 正文 (7.3.3: paragraphs indented two characters; the 结构层次序数 一、（一）1.（1）
  as headings, the first level in 黑体, the second in 楷体);
* 附件说明 (7.3.4: "附件：" and the attachments' names, continuation lines aligned with the
  first name);
* 发文机关署名 and 成文日期 (7.3.5, 7.3.5.2 for documents without a seal: the signature
  right-aligned, the date below it; 7.3.5.4: the date in Arabic numerals, the year in
  full, months and days without a leading zero);
* 附注 (7.3.6: in parentheses, below the date, indented two characters);
* 附件 (7.3.7: each attachment on its own page, "附件" and its number top left, its
  title centred).

Which lines of the text are which element is ``documents.layout``'s (pure) rule; the
page's A4 print layout (5.1, 5.2.1: 天头 37 mm, 订口 28 mm, 版心 156 mm × 225 mm; 5.2.2:
3号仿宋) is in ``static/documents/document.css``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from shuzheng.documents.layout import OfficialLayout, Span, official_layout
from shuzheng.documents.models import Attachment, Document, Section
from shuzheng.documents.rendering import plain_text, render_fragment, render_section
from shuzheng.text.topics import declared, propose, topic_name


@dataclass
class TocNode:
    section: Section
    children: list[TocNode] = field(default_factory=list)


def section_tree(sections: list[Section]) -> list[TocNode]:
    """Sections nested by level, for the table of contents (a deeper level nests under the
    nearest shallower one before it)."""
    roots: list[TocNode] = []
    stack: list[TocNode] = []
    for section in sorted(sections, key=lambda s: s.position):
        node = TocNode(section)
        while stack and stack[-1].section.level >= section.level:
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return roots


@dataclass
class TextBlock:
    """A run of the document's text up to the next section: rendered with its section's
    anchor, so that ``#anchor`` lands on the paragraph."""

    text: str
    section: Section | None = None
    #: The text as HTML (``documents.rendering``), searched words in <mark> when asked.
    html: str = ""
    #: The section's heading is written inline at the start of its paragraph.
    run_in: bool = False


def text_blocks(
    document: Document,
    sections: list[Section],
    span: Span | None = None,
    terms: Sequence[str] = (),
) -> list[TextBlock]:
    """The document's text within ``span`` (all of it by default) cut at every section
    start, in reading order, each block rendered."""
    text = document.text
    start, stop = (span.start, span.end) if span else (0, len(text))
    starts = sorted(
        (s for s in sections if start <= s.start < stop), key=lambda s: (s.start, s.position)
    )
    blocks = []
    first = starts[0].start if starts else stop
    if text[start:first].strip():
        lead = text[start:first]
        blocks.append(TextBlock(lead, html=render_fragment(lead, terms=terms)))
    for index, section in enumerate(starts):
        end = starts[index + 1].start if index + 1 < len(starts) else stop
        block = text[section.start : end]
        rendered = render_section(
            block,
            heading=section.heading,
            level=section.level,
            label=section.number_label,
            terms=terms,
        )
        blocks.append(TextBlock(block, section, rendered.html, rendered.run_in))
    return blocks


@dataclass
class OfficialText:
    """What ``documents/_official.html`` shows, element by element (see the module)."""

    issuer_mark: list[str]
    title: str
    doc_number: str
    addressees: str
    body: list[TextBlock]
    attachment_note: list[str]
    signature: list[str]
    date: str
    note: str
    appendix: list[TextBlock]
    #: The attachments (附件) with the anchor of their text on the page, when printed.
    attachments: list[tuple[Attachment, str]]
    layout: OfficialLayout


def official_text(
    document: Document, sections: list[Section], terms: Sequence[str] = ()
) -> OfficialText:
    """The template helper: ``document`` as GB/T 9704-2012 lays an official document out."""
    layout = official_layout(
        document.text,
        title=document.title,
        doc_number=document.doc_number,
        addressees=document.addressees,
        section_starts=[section.start for section in sections],
    )
    issuers = [unit.name for unit in document.issuers.all()] or list(document.issuer_names)
    return OfficialText(
        issuer_mark=issuers if document.doc_number else [],
        title=document.title,
        doc_number=document.doc_number,
        addressees="，".join(document.addressees) + "：" if document.addressees else "",
        body=text_blocks(document, sections, layout.body, terms),
        attachment_note=_lines(document.text, layout.attachment_note),
        signature=_lines(document.text, layout.signature),
        date=(written_date(document) or " ".join(_lines(document.text, layout.date)))
        if layout.date
        else "",
        note=" ".join(_lines(document.text, layout.note)),
        appendix=text_blocks(document, sections, layout.appendix, terms) if layout.appendix else [],
        attachments=attachment_anchors(document, sections),
        layout=layout,
    )


def attachment_anchors(document: Document, sections: list[Section]) -> list[tuple]:
    """Each attachment with the anchor of the section holding its text ("附件2"), or ""."""
    anchors = {section.path.replace(" ", ""): section.anchor for section in sections}
    return [
        (attachment, anchors.get(f"附件{attachment.number}", "") if attachment.number else "")
        for attachment in document.attachments.all()
    ]


def written_date(document: Document) -> str:
    """成文日期 as GB/T 9704-2012 7.3.5.4 writes it: 2023年5月16日 (no leading zeros)."""
    day = document.written_on
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def _lines(text: str, span: Span | None) -> list[str]:
    if span is None:
        return []
    return [line.strip() for line in plain_text(span.slice(text)).split("\n") if line.strip()]


@dataclass(frozen=True)
class TopicLine:
    """One 主题分类 of the document page: code, name, and the words that proposed it (none
    when an editor set the topics)."""

    code: str
    name: str
    words: tuple[str, ...] = ()


#: Words of a proposal the page names, per topic: enough to say why.
EXPLAINED_WORDS = 5


def topic_lines(document: Document, language: str) -> list[TopicLine]:
    """The document's topics named in ``language``; a proposal shows its deciding words
    (``text.topics.propose`` again: deterministic, so it explains what ingestion chose),
    classes an editor or the document's own 主题分类 line gave show none."""
    given = document.topics_edited or declared(document.text)
    proposal = None if given else propose(document.title, document.text)
    return [
        TopicLine(
            code,
            topic_name(code, language),
            proposal.words_of(code)[:EXPLAINED_WORDS] if proposal else (),
        )
        for code in document.topics
    ]
