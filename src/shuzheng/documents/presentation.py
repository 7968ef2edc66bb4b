"""The document page's shape: the table of contents and the text cut at every section."""

from __future__ import annotations

from dataclasses import dataclass, field

from shuzheng.documents.models import Document, Section


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
    #: The text as HTML with searched words in <mark> (documents.highlight), when asked.
    marked: str = ""


def text_blocks(document: Document, sections: list[Section]) -> list[TextBlock]:
    """The document's exact text cut at every section start, in reading order."""
    starts = sorted(sections, key=lambda s: (s.start, s.position))
    blocks = []
    first = starts[0].start if starts else len(document.text)
    if document.text[:first].strip():
        blocks.append(TextBlock(document.text[:first]))
    for index, section in enumerate(starts):
        stop = starts[index + 1].start if index + 1 < len(starts) else len(document.text)
        blocks.append(TextBlock(document.text[section.start : stop], section))
    return blocks
