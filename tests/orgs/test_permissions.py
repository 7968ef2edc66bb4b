"""Who may use the registry's pages and API: everyone, signed in or not (read-only)."""

from tests.permissions import EVERYONE, Case, matrix_test

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
]

test_matrix = matrix_test(MATRIX)
