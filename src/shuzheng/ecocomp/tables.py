"""The ecocomp list pages' tables."""

from django.utils.translation import gettext_lazy as _

from shuzheng.tables import Table


class RuleSetTable(Table):
    columns = (_("Year"), _("Rule set"), _("Fund"), _("Version"), _("State"), _("Runs"))
    caption = _("Newest year first")
    empty_text = _("No allocation rule set yet.")
    row_template = "ecocomp/_rule_set_row.html"


class PublishedTable(Table):
    columns = (_("Year"), _("Fund"), _("Total (yuan)"), _("Made final on"))
    caption = _("Final allocations, newest year first")
    empty_text = _("No allocation has been made final yet.")
    row_template = "ecocomp/_published_row.html"


class SectionTable(Table):
    columns = (_("Section"), _("River or ditch"), _("Kind"), _("Region"), _("Values"), _("Gaps"))
    caption = _("Monitoring sections")
    empty_text = _("No monitoring section yet.")
    row_template = "ecocomp/_section_row.html"


class AgreementTable(Table):
    columns = (
        _("Agreement"),
        _("Upstream"),
        _("Downstream"),
        _("Method"),
        _("Period"),
        _("Latest settlement"),
    )
    caption = _("Basin agreements")
    empty_text = _("No basin agreement yet.")
    row_template = "ecocomp/_agreement_row.html"
