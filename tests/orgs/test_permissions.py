"""Who may use the registry's pages and API (everyone, read-only), and the people pages:
unit heads for their own unit's staff and administrators (issue 14, point 5)."""

from shuzheng.accounts.permissions import ADMINISTRATOR, UNIT_HEAD
from tests.permissions import EVERYONE, SUPERVISORS, Case, matrix_test

MANAGERS = {UNIT_HEAD, ADMINISTRATOR}


def staff_page(suffix: str = ""):
    """A page of the matrix unit's staff member (the unit head's own unit)."""
    return lambda w: f"/orgs/people/{w.users['unit_staff'].pk}/{suffix}"


RESOLVE_TEXT = "自治区财政厅牵头负责，各市、县（区）配合"

MATRIX = [
    Case("orgs:registry", allowed=EVERYONE),
    Case("orgs:unit_detail", path=lambda w: f"/orgs/units/{w.unit.code}/", allowed=EVERYONE),
    Case("orgs:resolve", data={"text": RESOLVE_TEXT}, allowed=EVERYONE),
    Case("api:orgs_list_regions", allowed=EVERYONE),
    Case(
        "api:orgs_get_region",
        path=lambda w: f"/api/v1/orgs/regions/{w.region.code}",
        allowed=EVERYONE,
    ),
    Case("api:orgs_list_units", allowed=EVERYONE),
    Case("api:orgs_get_unit", path=lambda w: f"/api/v1/orgs/units/{w.unit.code}", allowed=EVERYONE),
    Case("api:orgs_resolve", data={"text": RESOLVE_TEXT}, allowed=EVERYONE),
    Case("orgs:unit_suggestions", data={"unit": "Matrix"}, allowed=EVERYONE),
    Case("orgs:people", allowed=MANAGERS),
    Case("orgs:person_new", allowed=MANAGERS),
    Case(
        "orgs:person_new",
        method="post",
        data={"username": "matrix_new", "role": "unit_staff", "unit": "Matrix Unit"},
        allowed=MANAGERS,
    ),
    Case("orgs:person_detail", path=staff_page(), allowed=MANAGERS),
    Case(
        "orgs:person_role",
        method="post",
        path=staff_page("role/"),
        data={"role": "unit_head", "unit": "Matrix Unit"},
        allowed=MANAGERS,
    ),
    Case(
        "orgs:person_active",
        method="post",
        path=staff_page("active/"),
        data={"active": "0"},
        allowed=MANAGERS,
    ),
    Case("orgs:person_password", method="post", path=staff_page("password/"), allowed=MANAGERS),
    Case("orgs:supervisors", allowed=SUPERVISORS),
]

test_matrix = matrix_test(MATRIX)
