"""The generic list page every app's list views are (issue 8, item 2; NetBox's ObjectListView).

A list page is: the app's FilterSet bound to the query string, over the rows its selector
gives; a page of the filtered rows; the app's :class:`~shuzheng.tables.Table`; and, for an
htmx request, only the results partial. Apps subclass :class:`ObjectListView`, set the
class attributes and, where the rows depend on the visitor, override :meth:`get_rows`.

A list that is one section of a larger page (the deliveries on the inbox settings page) is
drawn by :func:`table_page`, which pages it the same way.

Every list page has a query-count budget (tests/query_budgets.json) that must hold for 2
rows and for 20 alike.
"""

from __future__ import annotations

from typing import ClassVar

from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.views.generic import ListView

from shuzheng.filtersets import FilterSet
from shuzheng.tables import Pagination, Table


class ObjectListView(ListView):
    filterset_class: ClassVar[type[FilterSet] | None] = None
    table_class: ClassVar[type[Table] | None] = None
    #: Rendered instead of ``template_name`` when htmx asks for the results only.
    partial_template_name: ClassVar[str] = ""
    paginate_by = 50

    def get_rows(self):
        """The rows before filtering (override to narrow them to what the visitor may read)."""
        return self.filterset_class._meta.model.objects.all()

    def get_queryset(self):
        rows = self.get_rows()
        if self.filterset_class is None:
            self.filterset = None
            return rows
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=rows, request=self.request
        )
        return self.filter_rows(self.filterset)

    def filter_rows(self, filterset: FilterSet):
        """The filtered rows; a list whose rows are built after filtering (the ledger)
        overrides this to turn the filtered queryset into its rows."""
        return filterset.qs

    def paginate_queryset(self, queryset, page_size):
        """Like ListView's, but a bad page number shows the nearest page (:func:`requested_page`)."""
        paginator = self.get_paginator(queryset, page_size)
        page = requested_page(paginator, self.request, self.page_kwarg)
        return paginator, page, page.object_list, page.has_other_pages()

    def filter_query(self) -> str:
        """The query string without the page number, for the page links."""
        return query_without_page(self.request, self.page_kwarg)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]  # None when the view does not paginate
        query = self.filter_query()
        rows = page.object_list if page is not None else context["object_list"]
        context["page"] = page
        context["query"] = query
        context["form"] = self.filterset.form if self.filterset is not None else None
        # For pages whose filter controls are choices (a number typed into the address
        # cannot be shown beside a select): why the filter was not applied.
        context["filter_errors"] = self.filterset.error_text() if self.filterset else ""
        if self.table_class is not None:
            context["table"] = self.table_class(rows, page=page, query=query)
        elif page is not None:
            context["pagination"] = Pagination(page, query)
        return context

    def get_template_names(self):
        if self.partial_template_name and self.request.headers.get("HX-Request"):
            return [self.partial_template_name]
        return super().get_template_names()


def table_page(
    table_class: type[Table], rows, request: HttpRequest, *, per_page: int, page_kwarg="page"
) -> Table:
    """A ``table_class`` of the page of ``rows`` that ``request`` asks for, paged like an
    :class:`ObjectListView` (nearest page for a bad number; links keep the query string)."""
    page = requested_page(Paginator(rows, per_page), request, page_kwarg)
    query = query_without_page(request, page_kwarg)
    return table_class(page.object_list, page=page, query=query)


def requested_page(paginator: Paginator, request: HttpRequest, page_kwarg: str) -> Page:
    """The page ``request`` asks for; a page number out of range or not a number shows the
    nearest page (Paginator.get_page) instead of a 404."""
    return paginator.get_page(request.GET.get(page_kwarg))


def query_without_page(request: HttpRequest, page_kwarg: str) -> str:
    """The query string without the page number, for the page links."""
    query = request.GET.copy()
    query.pop(page_kwarg, None)
    return query.urlencode()
