"""What every format extractor shares: the error type and the output-text conventions.

The conventions are the contract with the structural parser; docs/formats.md describes
them (one paragraph per line, tables as tab-separated rows between blank lines).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from shuzheng.text.characters import CJK_IDEOGRAPHS, CJK_PUNCTUATION


class Term(str):
    """A parameter of an error that is itself a marked sentence (a file kind): translated
    with the sentence it goes into."""


class ExtractionError(ValueError):
    """The file cannot be turned into text: the parser's one declared error.

    ``code`` is stable (docs/formats.md lists them); ``text`` is the English sentence, marked
    with ``gettext_noop`` and worded in the reader's language where it is shown
    (:meth:`describe`, ``documents.presentation.error_message``); ``params`` fill it in.
    ``str()`` is the English sentence, for logs.
    """

    def __init__(self, code: str, text: str, **params: object):
        self.code = code
        self.text = text
        self.params = params
        super().__init__(self.describe())

    def describe(self, translate: Callable[[str], str] = str) -> str:
        """The sentence through ``translate`` (gettext at display), its values filled in."""
        values = {
            name: translate(value) if isinstance(value, Term) else value
            for name, value in self.params.items()
        }
        return translate(self.text).format(**values)


_CJK = f"{CJK_IDEOGRAPHS}{CJK_PUNCTUATION}\u2014\u2026\u201c\u201d\u2018\u2019"
_LINE_BREAK_WITH_SPACES = re.compile(r"[ \t\u3000\u00a0]*\n[\s\u3000]*")
_TABS = re.compile(r"\t+")
_CJK_CHAR = re.compile(f"[{_CJK}]")


def join_lines(text: str) -> str:
    """Join the lines of one cell or paragraph into one line.

    A break next to a Chinese character or full-width punctuation disappears (Chinese
    has no spaces between words: "自治区财政厅\\n牵头" → "自治区财政厅牵头"); a break
    between Latin letters or digits becomes a space ("data\\nportal" → "data portal").
    Tabs become spaces, because in extracted text a tab only ever separates table cells.
    """
    return join_breaks(_TABS.sub(" ", text.strip()))


def join_breaks(text: str) -> str:
    """Replace each line break (and the spaces around it) by the join_lines() rule."""
    return _LINE_BREAK_WITH_SPACES.sub(_join_replacement, text)


def _join_replacement(match: re.Match[str]) -> str:
    text = match.string
    before = text[match.start() - 1] if match.start() > 0 else ""
    after = text[match.end()] if match.end() < len(text) else ""
    if _CJK_CHAR.match(before) or _CJK_CHAR.match(after):
        return ""
    return " "


def render_table(rows: list[list[str]]) -> list[str]:
    """A table as lines: a blank line, one tab-separated row per line, a blank line.

    Cells are joined with join_lines(); rows that are empty in every cell are dropped;
    rows are padded to the table's widest row so that columns line up.
    """
    cleaned = [[join_lines(cell or "") for cell in row] for row in rows]
    cleaned = [row for row in cleaned if any(row)]
    if not cleaned:
        return []
    width = max(len(row) for row in cleaned)
    return ["", *("\t".join(row + [""] * (width - len(row))) for row in cleaned), ""]


def assemble(lines: list[str]) -> str:
    """The final text: no runs of blank lines, none at the start, one newline at the end."""
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n")
    return text + "\n" if text else ""
