"""The exchange office's pages (交换管理, issue 16, point 7): the overview, the message log
with its filters, and the log's verification — verify the chain and its seals now, or seal
its head now. Thin: reads through ``exchange.log_selectors``, the two actions through
``exchange.log_services``."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuzheng.accounts.authorization import require_perm
from shuzheng.exchange import log_selectors, log_services
from shuzheng.exchange.log_filtersets import MessageLogFilterSet
from shuzheng.exchange.log_tables import MessageLogTable
from shuzheng.lists import ObjectListView

PERMISSION = "oversee_exchange"


@require_perm(PERMISSION)
def overview(request):
    return render(request, "exchange/log/overview.html", {"overview": log_selectors.overview()})


class MessageLogView(ObjectListView):
    """消息日志: every data-API call, filtered, the newest first."""

    filterset_class = MessageLogFilterSet
    table_class = MessageLogTable
    template_name = "exchange/log/list.html"
    partial_template_name = "exchange/log/_results.html"
    paginate_by = 50

    def get_rows(self):
        return log_selectors.log_entries()

    def paginate_queryset(self, queryset, page_size):
        paginator, page, rows, is_paginated = super().paginate_queryset(queryset, page_size)
        page.object_list = log_selectors.with_consumers(rows)
        return paginator, page, page.object_list, is_paginated

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not self.request.headers.get("HX-Request"):
            context["consumers"] = log_selectors.consumer_choices()
        return context


message_log = require_perm(PERMISSION)(MessageLogView.as_view())


@require_perm(PERMISSION)
def verification(request):
    return render(request, "exchange/log/verify.html", _verification_context())


@require_POST
@require_perm(PERMISSION)
def verify_now(request):
    """Walk the whole chain now (as ``shuzheng exchange verify-log`` does) and show what it
    found on the verification page."""
    walk = log_services.verify_log()
    context = _verification_context()
    context["walk"] = walk
    context["finding"] = log_services.describe_break(walk) if walk.broken else ""
    return render(request, "exchange/log/verify.html", context)


@require_POST
@require_perm(PERMISSION)
def seal_now(request):
    seal = log_services.seal_log_head()
    if seal is None:
        messages.info(request, _("The message log's chain head is sealed already."))
    else:
        messages.success(
            request,
            _("Sealed the message log's chain head: entry #%(sequence)s, %(hash)s.")
            % {"sequence": seal.sequence, "hash": seal.head_hash},
        )
    return redirect("exchange:log_verification")


def _verification_context() -> dict:
    return {"state": log_selectors.log_state(), "seals": log_selectors.latest_seals()}
