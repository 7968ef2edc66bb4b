"""The one table abstraction every list page renders with (issue 8, item 2).

A list page is a FilterSet, a paginated page of rows and a :class:`Table`: the table names
its column headers, caption and empty message (translated at display) and the template of
one row; ``templates/shuzheng/_table.html`` draws the shell (caption, ``<th scope="col">``
headers, the rows, the empty message) and ``_pagination.html`` the page links, which keep
the filters and, with htmx, swap only the results.

Chosen over django-tables2 because every list here has hand-tuned row markup (lights,
row headers, sub-task counts, inline forms) that would be TemplateColumns cell by cell, and
its own ``?sort=`` would compete with the FilterSets' ``sort`` filter; one row template per
table renders a page of 50 rows with one template include per row (docs/architecture.md,
"Lists").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from django.core.paginator import Page


@dataclass(frozen=True)
class Pagination:
    """The previous/next links of a page: the list's query string (filters, without
    ``page``) with the page number, and the htmx target they swap (if any)."""

    page: Page
    query: str = ""
    htmx_target: str = ""
    anchor: str = ""

    def url(self, number: int) -> str:
        prefix = f"{self.query}&" if self.query else ""
        return f"?{prefix}page={number}{self.anchor}"

    @property
    def previous_url(self) -> str:
        return self.url(self.page.previous_page_number()) if self.page.has_previous() else ""

    @property
    def next_url(self) -> str:
        return self.url(self.page.next_page_number()) if self.page.has_next() else ""


class Table:
    """One list's table: subclasses set the class attributes, views pass the rows."""

    #: The column headers, in order (lazy translations).
    columns: ClassVar[Sequence[str]] = ()
    caption: ClassVar[str] = ""
    caption_class: ClassVar[str] = "muted"
    empty_text: ClassVar[str] = ""
    #: Renders one ``<tr>`` for the context variable ``row``.
    row_template: ClassVar[str] = ""
    css_class: ClassVar[str] = ""
    #: The element the page links swap with htmx ("" for plain links).
    htmx_target: ClassVar[str] = ""
    #: Appended to page links (e.g. "#deliveries" on a page with several sections).
    anchor: ClassVar[str] = ""

    def __init__(self, rows, *, page: Page | None = None, query: str = ""):
        """``rows`` to draw; ``page`` (whose ``object_list`` they are) when the list is
        paginated, with the filters' ``query`` string for its links."""
        self.rows = rows
        self.page = page
        self.query = query

    @property
    def pagination(self) -> Pagination | None:
        if self.page is None:
            return None
        return Pagination(self.page, self.query, self.htmx_target, self.anchor)
