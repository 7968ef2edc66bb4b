"""The deliveries' table on the inbox settings page (the inbox itself is a list of items)."""

from django.utils.translation import gettext_lazy as _

from shuzheng.tables import Table


class DeliveryTable(Table):
    columns = (
        _("Notification"),
        _("Channel"),
        _("Target"),
        _("Status"),
        _("Attempts"),
        _("Next attempt"),
        _("Error"),
    )
    caption = _("Newest first")
    empty_text = _("Nothing was sent by email or webhook yet.")
    row_template = "notifications/_delivery_row.html"
    anchor = "#deliveries"
