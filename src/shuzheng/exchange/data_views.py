"""The consumer's and the provider's data pages (issue 16, point 7): 我的令牌 (a unit's
data-API tokens: create one for a live grant, its secret shown once; revoke), 调用记录 (the
unit's calls from the message log, per grant), and 发布与同步 (publish a catalog resource's
table, upload rows, see its rows and its sync history). Thin: forms in, ``token_services``
and ``table_services`` out, reads through ``data_selectors`` and ``log_selectors``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from shuzheng.accounts.authorization import has_perm, require_perm
from shuzheng.catalog.models import DataResource
from shuzheng.exchange import data_selectors, log_selectors, table_services, token_services
from shuzheng.exchange.choices import TableSource
from shuzheng.exchange.data_forms import PublishForm, TokenForm, UploadForm
from shuzheng.exchange.data_tables import (
    PublishableTable,
    PublishedTableTable,
    RowTable,
    SyncTable,
    TokenTable,
    UsageTable,
)
from shuzheng.exchange.log_filtersets import UsageFilterSet
from shuzheng.exchange.log_models import MessageLogEntry
from shuzheng.exchange.models import AccessToken, PublishedTable
from shuzheng.exchange.table_services import TableError
from shuzheng.exchange.token_services import TokenError
from shuzheng.lists import ObjectListView, query_without_page, requested_page, table_page

TOKENS = token_services.TOKEN_PERMISSION
PUBLISH = table_services.PUBLISH_PERMISSION
PER_PAGE = 50


@never_cache
@require_perm(TOKENS)
def tokens(request):
    """我的令牌. A POST creates a token and shows its secret on this answer only (never
    stored, never cached); a person without a unit (an administrator) reads every unit's
    tokens but makes none: a token is a unit's."""
    unit = request.user.unit
    form = None
    if unit is not None:
        resources = data_selectors.tokenable_resources(unit)
        form = TokenForm(request.POST or None, resources=resources)
    elif request.method == "POST":
        raise PermissionDenied("a token is made for one's own unit")
    secret = created = None
    if request.method == "POST" and form.is_valid():
        try:
            created, secret = token_services.create_access_token(
                unit,
                name=form.cleaned_data["name"],
                resources=form.cleaned_data["resources"],
                expires_at=form.expires_at(),
                actor=request.user,
            )
        except TokenError as error:
            form.add_error(None, str(error))
        else:
            form = TokenForm(resources=resources)
    table = table_page(
        TokenTable, data_selectors.tokens_of(request.user, TOKENS), request, per_page=PER_PAGE
    )
    context = {"form": form, "table": table, "secret": secret, "created": created}
    status = 400 if form is not None and form.errors else 200
    return render(request, "exchange/data/tokens.html", context, status=status)


@require_POST
@require_perm(TOKENS)
def revoke_token(request, pk: int):
    token = get_object_or_404(AccessToken, pk=pk)
    if not has_perm(request.user, TOKENS, token.consumer_id):
        raise PermissionDenied("not this unit's token")
    try:
        token_services.revoke_access_token(token, actor=request.user)
    except TokenError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The token was revoked: the data API refuses it from now on."))
    return redirect("exchange:tokens")


class UsageView(ObjectListView):
    """调用记录: the unit's data-API calls from the message log, summed per grant."""

    filterset_class = UsageFilterSet
    table_class = UsageTable
    template_name = "exchange/data/usage.html"
    partial_template_name = "exchange/data/_usage_results.html"
    paginate_by = PER_PAGE

    def get_rows(self):
        entries = MessageLogEntry.objects.all()
        if data_selectors.sees_every_unit(self.request.user, TOKENS):
            return entries
        unit_id = self.request.user.unit_id
        return entries.filter(consumer_id=unit_id) if unit_id else entries.none()

    def filter_rows(self, filterset):
        return log_selectors.usage_by_grant(filterset.qs)

    def paginate_queryset(self, queryset, page_size):
        paginator, page, rows, is_paginated = super().paginate_queryset(queryset, page_size)
        page.object_list = log_selectors.with_grants(rows)
        return paginator, page, page.object_list, is_paginated


usage = require_perm(TOKENS)(UsageView.as_view())


@require_perm(PUBLISH)
def publish(request):
    """发布与同步: the unit's tables in the exchange and the resources it may still publish."""
    user = request.user
    context = {
        "tables": table_page(
            PublishedTableTable, data_selectors.tables_of(user, PUBLISH), request, per_page=PER_PAGE
        ),
        "publishable": table_page(
            PublishableTable,
            data_selectors.publishable_of(user, PUBLISH),
            request,
            per_page=PER_PAGE,
            page_kwarg="more",
        ),
    }
    return render(request, "exchange/data/publish.html", context)


def _publishable(request, pk: int) -> DataResource:
    resource = get_object_or_404(DataResource.objects.select_related("provider"), pk=pk)
    if not has_perm(request.user, PUBLISH, resource.provider_id):
        raise PermissionDenied("not this unit's resource")
    return resource


@require_perm(PUBLISH)
def publish_resource(request, pk: int):
    """Put one catalog resource into the exchange: columns and primary key from its
    information items, uploaded, synchronised or proxied."""
    resource = _publishable(request, pk)
    form = PublishForm(request.POST or None, request.FILES or None, resource=resource)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            table = table_services.publish_table(
                resource,
                primary_key=data["primary_key"],
                source=data["source"],
                columns=form.chosen_columns(),
                actor=request.user,
                upstream_url=data.get("upstream_url") or "",
                upstream_openapi=data.get("openapi") or {},
            )
        except TableError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The resource is in the exchange."))
            return redirect("exchange:table", table.pk)
    status = 400 if form.errors else 200
    context = {"form": form, "resource": resource}
    return render(request, "exchange/data/publish_form.html", context, status=status)


def _own_table(request, pk: int) -> PublishedTable:
    table = get_object_or_404(
        PublishedTable.objects.select_related("resource", "resource__provider"), pk=pk
    )
    if not has_perm(request.user, PUBLISH, table.resource.provider_id):
        raise PermissionDenied("not this unit's table")
    return table


def _table_page(request, table, *, form=None, result=None, problems=(), status=200):
    """The table's page: a page of its rows, its sync history and the upload form, with an
    upload's outcome when there is one (``problems`` without ``result``: refused whole)."""
    rows_page = requested_page(
        Paginator(data_selectors.table_rows(table), PER_PAGE), request, "page"
    )
    context = {
        "published": table,
        "rows": RowTable(
            rows_page.object_list,
            table=table,
            page=rows_page,
            query=query_without_page(request, "page"),
        ),
        "history": table_page(
            SyncTable,
            data_selectors.sync_history(table),
            request,
            per_page=PER_PAGE,
            page_kwarg="history",
        ),
        "form": form or UploadForm(),
        "result": result,
        "problems": problems,
        "proxied": table.source == TableSource.PROXY,
    }
    return render(request, "exchange/data/table.html", context, status=status)


@require_perm(PUBLISH)
def table_detail(request, pk: int):
    return _table_page(request, _own_table(request, pk))


@require_POST
@require_perm(PUBLISH)
def upload(request, pk: int):
    """Upsert an uploaded file's rows (``table_services.upload_rows``): a repeated primary
    key — or, with all-or-nothing, any problem — refuses the file whole and writes nothing."""
    table = _own_table(request, pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _table_page(request, table, form=form, status=400)
    try:
        result = table_services.upload_rows(
            table,
            form.cleaned_data["file"],
            actor=request.user,
            all_or_nothing=form.cleaned_data["all_or_nothing"],
        )
    except TableError as error:
        return _table_page(
            request, table, form=form, problems=_located(table, error.problems), status=400
        )
    table.refresh_from_db()
    return _table_page(request, table, result=result, problems=_located(table, result.problems))


def _located(table: PublishedTable, problems) -> list[str]:
    """Each problem worded with its file row and its column's item name, as the upload
    report shows it."""
    titles = {column["name"]: column.get("title") or column["name"] for column in table.columns}
    found = []
    for problem in problems:
        text = table_services.describe(problem)
        if problem.row and problem.column:
            text = _("Row %(row)s, column “%(column)s”: %(problem)s") % {
                "row": problem.row,
                "column": titles.get(problem.column, problem.column),
                "problem": text,
            }
        elif problem.row:
            text = _("Row %(row)s: %(problem)s") % {"row": problem.row, "problem": text}
        found.append(text)
    return found
