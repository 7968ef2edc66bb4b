"""The licence lists' tables."""

from django.utils.translation import gettext_lazy as _

from shuzheng.tables import Table


class LicenceTypeTable(Table):
    columns = (_("Type code"), _("Name"), _("Issuing unit"), _("Seal"), _("Validity"))
    empty_text = _("No licence type yet: create one.")
    row_template = "trust/licences/_type_row.html"


class LicenceTable(Table):
    columns = (_("Licence number"), _("Licence type"), _("Holder"), _("Issued on"), _("Status"))
    empty_text = _("No licence matches.")
    row_template = "trust/licences/_licence_row.html"


class MyLicenceTable(Table):
    columns = (_("Licence"), _("Issuing unit"), _("Valid until"), _("Status"), _("Actions"))
    empty_text = _("No licence has been issued to you on this platform.")
    row_template = "trust/licences/_my_licence_row.html"
