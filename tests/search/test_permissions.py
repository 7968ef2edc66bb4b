"""Who may search: everyone, signed in or not (issue 4, item 5: public search; non-public
documents are filtered inside the search, see test_services)."""

from tests.permissions import EVERYONE, Case, matrix_test

MATRIX = [
    Case("search:results", data={"q": "数据共享"}, allowed=EVERYONE),
    Case("api:search", data={"q": "数据共享"}, allowed=EVERYONE),
]

test_matrix = matrix_test(MATRIX)
