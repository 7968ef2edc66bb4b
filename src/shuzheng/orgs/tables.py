"""The tables of the organisations pages: a unit's people, the supervisors."""

from django.utils.translation import gettext_lazy as _

from shuzheng.tables import Table


class PeopleTable(Table):
    columns = (_("Name"), _("Username"), _("Role"), _("Unit"), _("State"), _("Last sign-in"))
    caption = _("People you manage")
    empty_text = _("Nobody matches these filters.")
    row_template = "orgs/_person_row.html"


class SupervisorTable(Table):
    columns = (
        _("Name"),
        _("Username"),
        _("State"),
        _("Supervision steps"),
        _("Latest step"),
        _("Last sign-in"),
    )
    caption = _("Supervisors (督查) read every unit's work and assign, remind and assess")
    empty_text = _("There are no supervisors yet.")
    row_template = "orgs/_supervisor_row.html"
