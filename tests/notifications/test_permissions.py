"""Who may use the inbox pages and API: every signed-in person, for their own items only."""

from shuzheng.accounts.permissions import ANONYMOUS, CITIZEN
from shuzheng.notifications import services
from tests.permissions import SIGNED_IN, Case, matrix_test

#: Port 9 (discard) on localhost: nothing listens, so a test send fails fast and harmlessly.
UNREACHABLE = "http://127.0.0.1:9/hook"


def make_items(world):
    """A notification and a webhook endpoint for every signed-in user."""
    items = {}
    for role, user in world.users.items():
        if user is None:
            continue
        notification = services.notify(
            user, kind="policy_match", title="t", dedupe_key=f"matrix:{role}"
        )
        endpoint, _secret = services.add_webhook(user, UNREACHABLE)
        items[role] = {"notification": notification, "endpoint": endpoint}
    return items


def own(world, name):
    """The current role's own object (anonymous visitors try the citizen's)."""
    role = CITIZEN if world.role == ANONYMOUS else world.role
    return world.objects[role][name].pk


def notification_path(prefix, suffix):
    return lambda w: f"{prefix}{own(w, 'notification')}{suffix}"


def endpoint_path(prefix, suffix=""):
    return lambda w: f"{prefix}{own(w, 'endpoint')}{suffix}"


MATRIX = [
    Case("notifications:inbox", allowed=SIGNED_IN),
    Case(
        "notifications:read",
        method="post",
        path=notification_path("/inbox/", "/read/"),
        allowed=SIGNED_IN,
    ),
    Case("notifications:read_all", method="post", allowed=SIGNED_IN),
    Case("notifications:settings", allowed=SIGNED_IN),
    Case("notifications:email", method="post", data={"email_enabled": "on"}, allowed=SIGNED_IN),
    Case(
        "notifications:webhook_add",
        method="post",
        data={"url": "https://receiver.example.gov.cn/hook"},
        allowed=SIGNED_IN,
    ),
    Case(
        "notifications:webhook_test",
        method="post",
        path=endpoint_path("/inbox/settings/webhooks/", "/test/"),
        allowed=SIGNED_IN,
    ),
    Case(
        "notifications:webhook_active",
        method="post",
        path=endpoint_path("/inbox/settings/webhooks/", "/active/"),
        data={"active": "0"},
        allowed=SIGNED_IN,
    ),
    Case(
        "notifications:webhook_delete",
        method="post",
        path=endpoint_path("/inbox/settings/webhooks/", "/delete/"),
        allowed=SIGNED_IN,
    ),
    Case("api:notifications_list", allowed=SIGNED_IN),
    Case("api:notifications_list", allowed=SIGNED_IN, auth="token"),
    Case(
        "api:notifications_read",
        method="post",
        path=notification_path("/api/v1/notifications/", "/read"),
        allowed=SIGNED_IN,
    ),
    Case(
        "api:notifications_read",
        method="post",
        path=notification_path("/api/v1/notifications/", "/read"),
        allowed=SIGNED_IN,
        auth="token",
    ),
    Case("api:notifications_read_all", method="post", allowed=SIGNED_IN),
    Case("api:notifications_preferences", allowed=SIGNED_IN),
    Case(
        "api:notifications_preferences_update",
        method="put",
        json={"email_enabled": False},
        allowed=SIGNED_IN,
    ),
    Case("api:notifications_webhooks_list", allowed=SIGNED_IN),
    Case(
        "api:notifications_webhooks_create",
        method="post",
        json={"url": "https://receiver.example.gov.cn/hook"},
        allowed=SIGNED_IN,
    ),
    Case(
        "api:notifications_webhooks_create",
        method="post",
        json={"url": "https://receiver.example.gov.cn/hook"},
        allowed=SIGNED_IN,
        auth="token",
    ),
    Case(
        "api:notifications_webhooks_delete",
        method="delete",
        path=endpoint_path("/api/v1/notifications/webhooks/"),
        allowed=SIGNED_IN,
    ),
    Case(
        "api:notifications_webhooks_test",
        method="post",
        path=endpoint_path("/api/v1/notifications/webhooks/", "/test"),
        allowed=SIGNED_IN,
    ),
    Case("api:notifications_deliveries", allowed=SIGNED_IN),
]

test_matrix = matrix_test(MATRIX, setup=make_items)
