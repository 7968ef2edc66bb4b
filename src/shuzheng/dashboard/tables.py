"""The drill-down list's table (the tasks behind a dashboard number)."""

from django.utils.translation import gettext_lazy as _

from shuzheng.tables import Table


class DrilldownTable(Table):
    """Rows are ``queries.LightRow``: a task with its stored light's reason worded."""

    columns = (_("Task"), _("Category"), _("Status light"), _("Reason"))
    empty_text = _("No task matches.")
    row_template = "dashboard/_drilldown_row.html"
