"""The seals' table."""

from django.utils.translation import gettext_lazy as _

from shuzheng.tables import Table


class SealTable(Table):
    columns = (
        _("Seal"),
        _("Unit"),
        _("Kind"),
        _("Certificate serial number"),
        _("Validity"),
        _("Status"),
    )
    empty_text = _("No seal matches.")
    row_template = "trust/seals/_seal_row.html"
