"""The list tables of the consumer's and the provider's data pages (``shuzheng.tables``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shuzheng import clock
from shuzheng.exchange.objection_selectors import open_objection_keys
from shuzheng.tables import Table


class TokenTable(Table):
    columns = (
        _("Name"),
        _("Prefix"),
        _("Data resources"),
        _("Created at"),
        _("Expires at"),
        _("Last used"),
        _("State"),
    )
    caption = _("Newest first")
    empty_text = _("No data-API token yet.")
    row_template = "exchange/data/_token_row.html"

    def __init__(self, rows, **kwargs):
        super().__init__(rows, **kwargs)
        now = clock.now()
        for row in rows:
            row.live = row.revoked_at is None and row.expires_at > now


class UsageTable(Table):
    columns = (
        _("Data resource"),
        _("Consumer unit"),
        _("Grant"),
        _("Calls"),
        _("Refused or failed"),
        _("Rows"),
        _("Last call"),
    )
    caption = _("Per grant, the latest call first")
    empty_text = _("No call matches these filters.")
    row_template = "exchange/data/_usage_row.html"
    htmx_target = "usage-results"


class PublishedTableTable(Table):
    columns = (_("Data resource"), _("Provider"), _("Source"), _("Rows"), _("Modified at"))
    caption = _("The latest changed first")
    empty_text = _("No data of your unit is in the exchange yet.")
    row_template = "exchange/data/_table_row.html"
    anchor = "#published"


class PublishableTable(Table):
    columns = (_("Data resource"), _("Provider"), _("Share type"), _("Grade"))
    caption = _("Published catalog resources not yet in the exchange")
    empty_text = _("Every published resource of your unit is in the exchange.")
    row_template = "exchange/data/_publishable_row.html"
    anchor = "#publishable"


class RowTable(Table):
    """A page of a published table's rows: one column per table column, in the table's
    order, and the open objections' mark (数据异议, issue 16 point 5)."""

    caption = _("In the order first written")
    empty_text = _("The table has no rows yet.")
    row_template = "exchange/data/_row.html"
    anchor = "#rows"

    def __init__(self, rows, *, table, **kwargs):
        super().__init__(rows, **kwargs)
        names = [column["name"] for column in table.columns]
        self.columns = [column.get("title") or column["name"] for column in table.columns]
        objected = open_objection_keys(table.resource_id, [row.key for row in rows])
        for row in rows:
            row.cells = [row.values.get(name) for name in names]
            row.under_objection = row.key in objected


class SyncTable(Table):
    columns = (_("When"), _("By"), _("What"), _("Inserted"), _("Updated"), _("Deleted"))
    caption = _("The newest first")
    empty_text = _("Nothing was written yet.")
    row_template = "exchange/data/_history_row.html"
    anchor = "#history"


__all__ = [
    "PublishableTable",
    "PublishedTableTable",
    "RowTable",
    "SyncTable",
    "TokenTable",
    "UsageTable",
]
