"""Who may use the subscriptions pages and API: every signed-in person, for their own
subscriptions only; the enterprise profile is for enterprise accounts. Also the site-wide
larger-text switch, which anyone may use (issue 4, item 5)."""

from shuzheng.accounts.permissions import ANONYMOUS, CITIZEN, ENTERPRISE
from shuzheng.subscriptions import services
from tests.permissions import EVERYONE, SIGNED_IN, Case, matrix_test

ENTERPRISES = frozenset({ENTERPRISE})


def make_subscriptions(world):
    """A topic subscription for every signed-in user."""
    items = {}
    for role, user in world.users.items():
        if user is not None:
            items[role] = services.subscribe_to_topic(user, f"数据共享{role}", actor=user)
    return items


def own(prefix, suffix=""):
    """The current role's own subscription (anonymous visitors try the citizen's)."""

    def path(world):
        role = CITIZEN if world.role == ANONYMOUS else world.role
        return f"{prefix}{world.objects[role].pk}{suffix}"

    return path


API = "/api/v1/subscriptions/"
MATRIX = [
    Case("text_size", method="post", data={"large": "1", "next": "/"}, allowed=EVERYONE),
    Case("subscriptions:list", allowed=SIGNED_IN),
    Case(
        "subscriptions:create",
        method="post",
        data={"follow": "search", "q": "惠企政策", "issuer": "财政厅"},
        allowed=SIGNED_IN,
    ),
    Case("subscriptions:edit", path=own("/subscriptions/", "/edit/"), allowed=SIGNED_IN),
    Case(
        "subscriptions:edit",
        method="post",
        path=own("/subscriptions/", "/edit/"),
        data={"name": "数据", "active": "on", "topic": "数据开放"},
        allowed=SIGNED_IN,
    ),
    Case(
        "subscriptions:pause",
        method="post",
        path=own("/subscriptions/", "/pause/"),
        data={"active": "0"},
        allowed=SIGNED_IN,
    ),
    Case(
        "subscriptions:delete",
        method="post",
        path=own("/subscriptions/", "/delete/"),
        allowed=SIGNED_IN,
    ),
    Case("subscriptions:profile", allowed=ENTERPRISES),
    Case(
        "subscriptions:profile",
        method="post",
        data={"industry": "制造业", "size": "sme", "active": "on"},
        allowed=ENTERPRISES,
    ),
    Case("api:subscriptions_list", allowed=SIGNED_IN),
    Case("api:subscriptions_list", allowed=SIGNED_IN, auth="token"),
    Case(
        "api:subscriptions_create",
        method="post",
        json={"follow": "topic", "topic": "惠企政策"},
        allowed=SIGNED_IN,
    ),
    Case(
        "api:subscriptions_create",
        method="post",
        json={"follow": "search", "params": {"q": "数据共享"}},
        allowed=SIGNED_IN,
        auth="token",
    ),
    Case("api:subscriptions_get", path=own(API), allowed=SIGNED_IN),
    Case(
        "api:subscriptions_update",
        method="patch",
        path=own(API),
        json={"active": False},
        allowed=SIGNED_IN,
    ),
    Case("api:subscriptions_delete", method="delete", path=own(API), allowed=SIGNED_IN),
    Case("api:subscriptions_profile", allowed=ENTERPRISES),
    Case(
        "api:subscriptions_profile_update",
        method="put",
        json={"industry": "制造业", "size": "sme"},
        allowed=ENTERPRISES,
    ),
    Case(
        "api:subscriptions_profile_update",
        method="put",
        json={"industry": "制造业"},
        allowed=ENTERPRISES,
        auth="token",
    ),
]
test_matrix = matrix_test(MATRIX, setup=make_subscriptions)
