"""The requests part's list tables (``shuzheng.tables``)."""

from django.utils.translation import gettext_lazy as _

from shuzheng import clock
from shuzheng.exchange import request_rules as rules
from shuzheng.exchange import request_selectors
from shuzheng.tables import Table


class RequestTable(Table):
    columns = (_("Request"), _("Consumer unit"), _("Provider"), _("State"), _("Answer due"))
    caption = _("Newest first")
    empty_text = _("No data request yet.")
    row_template = "exchange/requests/_request_row.html"


class WaitingTable(Table):
    columns = (_("Request"), _("Consumer unit"), _("Submitted at"), _("Answer due"), _("Deadline"))
    caption = _("The earliest due first")
    empty_text = _("Nothing waits for an answer.")
    row_template = "exchange/requests/_waiting_row.html"

    def __init__(self, rows, **kwargs):
        super().__init__(rows, **kwargs)
        now = clock.now()
        for row in rows:
            row.urgency = rules.urgency(now, row.step_due_at).value


class GrantTable(Table):
    columns = (
        _("Data resource"),
        _("Consumer unit"),
        _("Granted columns"),
        _("Row filters"),
        _("Expires at"),
        _("State"),
    )
    caption = _("Newest first")
    empty_text = _("No grant yet.")
    row_template = "exchange/requests/_grant_row.html"

    def __init__(self, rows, **kwargs):
        super().__init__(rows, **kwargs)
        now = clock.now()
        names = request_selectors.item_names({row.resource_id for row in rows})
        for row in rows:
            row.live = row.revoked_at is None and row.expires_at > now
            # A grant names columns; the page names them as the catalog does (信息项).
            row.column_labels = [names.get((row.resource_id, c), c) for c in row.columns]
            row.filter_labels = [
                (names.get((row.resource_id, f["column"]), f["column"]), f) for f in row.row_filters
            ]


class ObjectionTable(Table):
    columns = (_("Data resource"), _("Record"), _("Raised at"), _("Answer due"), _("State"))
    caption = _("Newest first")
    empty_text = _("No objection yet.")
    row_template = "exchange/requests/_objection_row.html"

    def __init__(self, rows, **kwargs):
        super().__init__(rows, **kwargs)
        now = clock.now()
        for row in rows:
            row.overdue = row.state == "open" and row.due_at < now


__all__ = ["GrantTable", "ObjectionTable", "RequestTable", "WaitingTable"]
