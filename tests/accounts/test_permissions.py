"""Permission matrix of the account pages, the project-level pages and the API's own pages."""

from tests.permissions import EVERYONE, SIGNED_IN, Case, matrix_test


def make_token(world):
    """A token of each signed-in user, so that revoking "my token" has something to revoke."""
    from shuzheng.accounts.services import create_token

    return {
        role: create_token(user, "matrix target", ["read"])[0]
        for role, user in world.users.items()
        if user is not None
    }


def own_token_path(kind):
    def path(world):
        # Anonymous visitors have no token: aim them at the citizen's, which they must not reach.
        prefix = world.objects.get(world.role, world.objects["citizen"]).prefix
        if kind == "api":
            return f"/api/v1/accounts/tokens/{prefix}"
        return f"/accounts/me/tokens/{prefix}/revoke/"

    return path


MATRIX = [
    # Project-level pages (shuzheng/urls.py, shuzheng/api.py).
    Case("home", allowed=EVERYONE),
    Case("api:openapi-view", allowed=EVERYONE),
    Case("api:openapi-json", allowed=EVERYONE),
    # Account pages. Signed-in visitors of the login page are sent home, which is no denial.
    Case("accounts:login", allowed=EVERYONE),
    Case("accounts:logout", method="post", allowed=EVERYONE),
    Case("accounts:password_change", allowed=SIGNED_IN),
    Case("accounts:password_changed", allowed=SIGNED_IN),
    Case("accounts:me", allowed=SIGNED_IN),
    Case(
        "accounts:token_create",
        method="post",
        data={"name": "matrix", "scopes": ["read"], "expires_days": "30"},
        allowed=SIGNED_IN,
    ),
    Case("accounts:token_revoke", method="post", path=own_token_path("page"), allowed=SIGNED_IN),
    # Accounts API, by session and by token.
    Case("api:accounts_me", allowed=SIGNED_IN),
    Case("api:accounts_me", allowed=SIGNED_IN, auth="token"),
    Case("api:accounts_tokens_list", allowed=SIGNED_IN),
    Case("api:accounts_tokens_list", allowed=SIGNED_IN, auth="token"),
    Case(
        "api:accounts_tokens_create",
        method="post",
        json={"name": "matrix", "scopes": ["read"]},
        allowed=SIGNED_IN,
    ),
    # Tokens cannot create tokens, whoever holds them.
    Case(
        "api:accounts_tokens_create",
        method="post",
        json={"name": "matrix", "scopes": ["read"]},
        allowed=set(),
        auth="token",
    ),
    Case(
        "api:accounts_tokens_revoke",
        method="delete",
        path=own_token_path("api"),
        allowed=SIGNED_IN,
    ),
    Case(
        "api:accounts_tokens_revoke",
        method="delete",
        path=own_token_path("api"),
        allowed=SIGNED_IN,
        auth="token",
    ),
]

test_matrix = matrix_test(MATRIX, setup=make_token)
