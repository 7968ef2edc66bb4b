"""The message log's list table (the exchange office's log page)."""

from django.utils.translation import gettext_lazy as _

from shuzheng.tables import Table


class MessageLogTable(Table):
    columns = (
        _("Sequence"),
        _("When"),
        _("Consumer unit"),
        _("Resource code"),
        _("Request"),
        _("Status"),
        _("Rows"),
        _("Response digest (SM3)"),
    )
    caption = _("Data-API calls, the newest first")
    empty_text = _("No calls match these filters.")
    row_template = "exchange/log/_entry_row.html"
    htmx_target = "log-results"
