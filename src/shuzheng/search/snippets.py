"""Result snippets with the matched terms marked (issue 4, item 3).

Pure module (no Django). Snippets are cut from the *original* text, not from the
segmented index text, so both backends produce the same snippet for the same hit. The
returned string is HTML: every piece of the document's text is escaped here, and the only
markup is ``<mark>…</mark>`` added around matches — so the template may output it as is.
"""

from __future__ import annotations

import html
import re

ELLIPSIS = "…"
_WHITESPACE = re.compile(r"\s+")


def make_snippet(text: str, terms: list[str], width: int = 120) -> str:
    """The ``width``-character window of ``text`` with the most distinct matched terms,
    HTML-escaped, each match wrapped in ``<mark>``."""
    text = _WHITESPACE.sub(" ", text).strip()
    spans = match_spans(text, terms)
    start = _best_window_start(text, spans, width)
    end = min(len(text), start + width)
    visible = [(max(s, start), min(e, end)) for s, e in spans if s < end and e > start]
    parts = [ELLIPSIS] if start > 0 else []
    cursor = start
    for span_start, span_end in visible:
        parts.append(html.escape(text[cursor:span_start]))
        parts.append(f"<mark>{html.escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    parts.append(html.escape(text[cursor:end]))
    if end < len(text):
        parts.append(ELLIPSIS)
    return "".join(parts)


def match_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) of the terms in ``text``, case-insensitive, longest
    term first where two would overlap."""
    lowered = text.lower()
    taken = [False] * len(text)
    spans = []
    for term in sorted({t.lower() for t in terms if t}, key=len, reverse=True):
        for found in re.finditer(re.escape(term), lowered):
            if not any(taken[found.start() : found.end()]):
                spans.append((found.start(), found.end()))
                for index in range(found.start(), found.end()):
                    taken[index] = True
    return sorted(spans)


def _best_window_start(text: str, spans: list[tuple[int, int]], width: int) -> int:
    if not spans or len(text) <= width:
        return 0
    lead = width // 6
    best_start, best_score = 0, -1
    for span_start, _ in spans:
        start = max(0, min(span_start - lead, len(text) - width))
        covered = {text[s:e].lower() for s, e in spans if s >= start and e <= start + width}
        if len(covered) > best_score:
            best_start, best_score = start, len(covered)
    return best_start
