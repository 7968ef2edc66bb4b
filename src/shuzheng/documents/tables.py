"""The document list's table."""

from django.utils.translation import gettext_lazy as _

from shuzheng.tables import Table


class DocumentTable(Table):
    columns = (
        _("Title"),
        _("Document number"),
        _("Issuers"),
        _("Type"),
        _("Written on"),
        _("Key tasks"),
    )
    caption = _("Current versions, newest first")
    empty_text = _("No documents match these filters.")
    row_template = "documents/_document_row.html"
    htmx_target = "document-results"
