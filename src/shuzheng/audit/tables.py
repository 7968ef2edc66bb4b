"""The audit trail's table."""

from django.utils.translation import gettext_lazy as _

from shuzheng.tables import Table


class EventTable(Table):
    columns = (_("When"), _("Actor"), _("Action"), _("Object type"), _("Object"), _("IP address"))
    caption = _("Newest first")
    empty_text = _("No audit events match these filters.")
    row_template = "audit/_event_row.html"
    htmx_target = "audit-results"
