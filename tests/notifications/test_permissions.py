"""Who may use the inbox pages and API: every signed-in person, for their own items only;
webhooks are registered, tested and enabled by the roles of offices only (issue 9)."""

from shuzheng import clock
from shuzheng.accounts.permissions import ANONYMOUS, CITIZEN, ROLE_PERMISSIONS
from shuzheng.notifications import services
from shuzheng.notifications.models import WebhookEndpoint
from tests.permissions import SIGNED_IN, Case, matrix_test

#: Unit staff and heads, supervisors and administrators: offices whose systems take pushes.
WEBHOOK_ROLES = frozenset(
    role for role, held in ROLE_PERMISSIONS.items() if services.WEBHOOK_PERMISSION in held
)

#: Port 9 (discard) on localhost: nothing listens, so a test send fails fast and harmlessly.
UNREACHABLE = "http://127.0.0.1:9/hook"


def make_items(world):
    """A notification and a webhook endpoint for every signed-in user."""
    items = {}
    for role, user in world.users.items():
        if user is None:
            continue
        notification = services.notify(
            user, kind="policy_match", params={"title": "t"}, dedupe_key=f"matrix:{role}"
        )
        items[role] = {"notification": notification, "endpoint": endpoint_of(user)}
    return items


def endpoint_of(user):
    """A webhook the user registered; for citizens and enterprises one from before webhooks
    became an office's right (the service no longer registers theirs)."""
    if user.role in WEBHOOK_ROLES:
        return services.add_webhook(user, UNREACHABLE)[0]
    return WebhookEndpoint.objects.create(
        owner=user, url=UNREACHABLE, sealed_secret="-", created_at=clock.now()
    )


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
        allowed=WEBHOOK_ROLES,
    ),
    Case(
        "notifications:webhook_test",
        method="post",
        path=endpoint_path("/inbox/settings/webhooks/", "/test/"),
        allowed=WEBHOOK_ROLES,
    ),
    Case(
        "notifications:webhook_active",
        method="post",
        path=endpoint_path("/inbox/settings/webhooks/", "/active/"),
        data={"active": "0"},
        allowed=WEBHOOK_ROLES,
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
        allowed=WEBHOOK_ROLES,
    ),
    Case(
        "api:notifications_webhooks_create",
        method="post",
        json={"url": "https://receiver.example.gov.cn/hook"},
        allowed=WEBHOOK_ROLES,
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
        allowed=WEBHOOK_ROLES,
    ),
    Case("api:notifications_deliveries", allowed=SIGNED_IN),
]

test_matrix = matrix_test(MATRIX, setup=make_items)
