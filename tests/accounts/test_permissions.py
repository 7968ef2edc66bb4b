"""Permission matrix of the account pages, the project-level pages and the API's own pages."""

from tests.permissions import EVERYONE, SIGNED_IN, Case, matrix_test

MATRIX = [
    # Project-level pages (shuzheng/urls.py, shuzheng/api.py).
    Case("home", allowed=EVERYONE),
    Case("api:openapi-view", allowed=EVERYONE),
    Case("api:openapi-json", allowed=EVERYONE),
    # Accounts. Signed-in visitors of the login page are sent home, which is not a denial.
    Case("accounts:login", allowed=EVERYONE),
    Case("accounts:logout", method="post", allowed=EVERYONE),
    Case("accounts:password_change", allowed=SIGNED_IN),
    Case("accounts:password_changed", allowed=SIGNED_IN),
]

test_matrix = matrix_test(MATRIX)
