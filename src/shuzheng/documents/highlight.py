"""Marking searched words on the document page (issue 4, item 4: a search hit opens the
document at its paragraph with the matched words highlighted). Pure module: no Django.

The search results link to ``/documents/<id>/?hl=<terms>#<anchor>``; the page marks the
terms in ``<mark>``, and the browser scrolls to the anchor. Text is HTML-escaped here and
the only markup added is ``<mark>``, ``<p>`` and ``<br>`` (the shape of Django's
``linebreaks`` filter), so the template may output the result as is.
"""

from __future__ import annotations

import html
import re

from shuzheng.search.snippets import match_spans

MAX_TERMS = 10
MAX_TERM_LENGTH = 50
_PARAGRAPHS = re.compile(r"\n{2,}")


def highlight_terms(raw: str) -> list[str]:
    """The terms of an ``hl`` parameter: space-separated, at most 10 of up to 50 characters."""
    terms = [term for term in (raw or "").split() if len(term) <= MAX_TERM_LENGTH]
    return list(dict.fromkeys(terms))[:MAX_TERMS]


def marked_html(text: str, terms: list[str]) -> str:
    """``text`` as escaped paragraphs with every occurrence of the terms in ``<mark>``."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = [part for part in _PARAGRAPHS.split(text.strip("\n")) if part]
    return "\n\n".join(
        f"<p>{_marked(part, terms).replace(chr(10), '<br>')}</p>" for part in paragraphs
    )


def marked_text(text: str, terms) -> str:
    """``text`` HTML-escaped, every occurrence of the terms in ``<mark>``."""
    if not terms:
        return html.escape(text)
    return _marked(text, list(terms))


def _marked(text: str, terms: list[str]) -> str:
    parts, cursor = [], 0
    for start, end in match_spans(text, terms):
        parts.append(html.escape(text[cursor:start]))
        parts.append(f"<mark>{html.escape(text[start:end])}</mark>")
        cursor = end
    parts.append(html.escape(text[cursor:]))
    return "".join(parts)
