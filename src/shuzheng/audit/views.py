"""HTML pages of the audit trail, for supervisors and administrators (issue 2).

The audit trail sits below accounts: the permission is checked the standard Django way,
answered by the authentication backend accounts provides (docs/security.md).
"""

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, render

from shuzheng.audit import selectors
from shuzheng.audit.diff import diff_rows
from shuzheng.audit.filtersets import EventFilterSet
from shuzheng.audit.models import AuditEvent
from shuzheng.audit.tables import EventTable
from shuzheng.lists import ObjectListView


def requires_view_audit(view):
    """Anonymous visitors go to the login page, signed-in people without ``view_audit``
    get the 403 page."""
    return login_required(permission_required("view_audit", raise_exception=True)(view))


class EventListView(ObjectListView):
    """The filterable list; htmx requests get only the results, plain requests the page."""

    filterset_class = EventFilterSet
    table_class = EventTable
    template_name = "audit/list.html"
    partial_template_name = "audit/_results.html"
    paginate_by = 50

    def get_rows(self):
        return selectors.events()

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | selectors.filter_choices()


event_list = requires_view_audit(EventListView.as_view())


@requires_view_audit
def event_detail(request, pk: int):
    event = get_object_or_404(AuditEvent, pk=pk)
    return render(
        request,
        "audit/detail.html",
        {"event": event, "rows": diff_rows(event.before, event.after)},
    )
