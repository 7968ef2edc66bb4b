"""The unread count next to the "Inbox" link of every page (templates/base.html)."""

from django.utils.functional import SimpleLazyObject

from shuzheng.notifications.services import unread_count


def inbox(request):
    """``unread_notifications``: evaluated only when a page shows it (one COUNT query), and
    never for anonymous visitors."""
    user = getattr(request, "user", None)
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
