"""HTML pages of the audit trail, for supervisors and administrators (issue 2)."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from shuzheng.accounts.authorization import require_perm
from shuzheng.audit.diff import diff_rows
from shuzheng.audit.forms import EventFilterForm
from shuzheng.audit.models import AuditEvent
from shuzheng.audit.queries import filter_choices, filter_events

PAGE_SIZE = 50


@require_perm("view_audit")
def event_list(request):
    """The filterable list; htmx requests get only the results, plain requests the page."""
    form = EventFilterForm(request.GET or None)
    events = filter_events(form.criteria())
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), **filter_choices()}
    template = "audit/_results.html" if request.headers.get("HX-Request") else "audit/list.html"
    return render(request, template, context)


@require_perm("view_audit")
def event_detail(request, pk: int):
    event = get_object_or_404(AuditEvent, pk=pk)
    return render(
        request,
        "audit/detail.html",
        {"event": event, "rows": diff_rows(event.before, event.after)},
    )
