"""The subscriptions list's table."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from shuzheng.tables import Table


class SubscriptionTable(Table):
    columns = (_("What you follow"), _("Kind"), _("State"), _("Actions"))
    caption_class = ""
    empty_text = _(
        "You follow nothing yet. Save a search with the “Subscribe to this search” button on "
        "the search page, follow a document from its page, or follow a topic or a unit below."
    )
    row_template = "subscriptions/_subscription_row.html"
    css_class = "subscriptions"

    @property
    def caption(self) -> str:
        count = len(self.rows)
        return ngettext("%(counter)s subscription", "%(counter)s subscriptions", count) % {
            "counter": count
        }
