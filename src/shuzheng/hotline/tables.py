"""The hotline's list tables (``shuzheng.tables``): requests with their lights, disputes."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shuzheng import clock
from shuzheng.hotline import deadlines
from shuzheng.hotline.choices import CLOSED_STATES
from shuzheng.hotline.selectors import current_lead_unit
from shuzheng.tables import Table


class RequestTable(Table):
    columns = (
        pgettext_lazy("hotline", "Number"),
        _("Received"),
        pgettext_lazy("hotline", "Category"),
        _("Place"),
        _("State"),
        _("Light"),
        _("Resolution due"),
        _("Handled by"),
    )
    caption = _("Newest first")
    empty_text = _("No requests match these filters.")
    row_template = "hotline/_request_row.html"
    htmx_target = "hotline-results"

    def __init__(self, rows, **kwargs):
        super().__init__(rows, **kwargs)
        now = clock.now()
        for row in rows:
            row.light = deadlines.light(
                now, row.resolution_due_at, closed=row.state in CLOSED_STATES
            )
            row.lead_unit = current_lead_unit(row)


class OverdueTable(RequestTable):
    caption = _("Longest overdue first")
    empty_text = _("No open request is past its resolution limit.")


class DisputeTable(Table):
    columns = (_("Request"), _("Opened"), _("Returned by"), _("Decision"))
    caption = _("Oldest first")
    empty_text = _("No dispute is waiting for a decision.")
    row_template = "hotline/_dispute_row.html"


class KnowledgeTable(Table):
    columns = (_("Question"), _("Owner unit"), _("Status"), _("Review date"), _("Cited"))
    caption = _("Last changed first")
    empty_text = _("No knowledge entry yet.")
    row_template = "hotline/_knowledge_row.html"
