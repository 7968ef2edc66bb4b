"""The ledger's table (the ledger page and its htmx results)."""

from django.utils.translation import gettext_lazy as _

from shuzheng.tables import Table


class LedgerTable(Table):
    columns = (
        _("Number"),
        _("Task"),
        _("Responsible units"),
        _("Deadline"),
        _("Latest report"),
        _("Status"),
    )
    caption = _("Key tasks with their status lights; the reason says why")
    empty_text = _("No tasks match these filters.")
    row_template = "tasks/_ledger_row.html"
    css_class = "ledger"
    htmx_target = "ledger-results"


class SupervisorLedgerTable(LedgerTable):
    """The ledger for supervisors: a last column of checkboxes for bulk assignment."""

    columns = (*LedgerTable.columns, _("Select"))


class UnitTasksTable(Table):
    """My unit's tasks: rows are (ledger row, next action) pairs."""

    columns = (_("Number"), _("Task"), _("Status"), _("Next step"))
    caption = _("Open tasks assigned to your unit, the most urgent first")
    empty_text = _("No open tasks are assigned to your unit.")
    row_template = "tasks/_unit_task_row.html"
