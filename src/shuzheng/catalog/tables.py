"""The catalog's list tables: the provider's resources and the office's review queue."""

from django.utils.translation import gettext_lazy as _

from shuzheng.tables import Table


class ResourceTable(Table):
    columns = (
        _("Resource code"),
        _("Resource name"),
        _("Provider"),
        _("Grade"),
        _("Share type"),
        _("Open type"),
        _("State"),
        _("Last changed"),
    )
    caption = _("Data resources with their grade, share and open types and workflow state")
    empty_text = _("No data resources match these filters.")
    row_template = "catalog/_resource_row.html"
    htmx_target = "resource-results"


class ReviewQueueTable(Table):
    columns = (
        _("Resource code"),
        _("Resource name"),
        _("Provider"),
        _("Grade"),
        _("Version"),
        _("Submitted at"),
    )
    caption = _("Resources submitted for review, the longest waiting first")
    empty_text = _("No resources are waiting for review.")
    row_template = "catalog/_review_row.html"
    htmx_target = "review-results"
