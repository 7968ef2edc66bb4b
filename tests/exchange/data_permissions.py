"""Who may use exchange-data's routes (issue 16, points 2 and 3).

The consumer side of the data API (``/api/v1/exchange/data/…``) is read with a data-API
token alone: no platform role reaches it with a session or a platform API token (each is
refused 401 ``token-missing``); the allowed case — a consumer unit's data-API token under a
live grant — is proven in tests/exchange/test_data_api.py. The provider's sync operations are
the provider unit's staff and head (and administrators); another unit's staff are refused
(tests/exchange/test_data_api.py, ``test_another_unit_cannot_sync_the_table``).
"""

from shuzheng.exchange import table_services
from tests.catalog.test_permissions import make_category, make_resource
from tests.permissions import UNIT_MEMBERS, Case, matrix_test

NOBODY: frozenset[str] = frozenset()


def make_objects(world):
    from shuzheng.catalog import services

    category = make_category()
    resource = services.publish(
        actor=None,
        resource=services.submit(
            actor=None, resource=make_resource(category, world.unit, "matrix-exchange")
        ),
    )
    table = table_services.publish_table(resource, primary_key=["a"])
    table_services.apply_row_changes(table, [{"a": 1}, {"a": 2}])
    return {"table": table, "resource": resource}


def _data(suffix):
    return lambda world: f"/api/v1/exchange/data/matrix-exchange{suffix}"


def _tables(suffix):
    return lambda world: f"/api/v1/exchange/tables/matrix-exchange{suffix}"


DATA_MATRIX = [
    Case("api:exchange_data_table", path=_data(""), allowed=NOBODY),
    Case("api:exchange_data_rows", path=_data("/rows"), allowed=NOBODY),
    Case("api:exchange_data_rows", path=_data("/rows"), allowed=NOBODY, auth="token"),
    Case("api:exchange_data_export", path=_data("/export"), allowed=NOBODY),
    Case("api:exchange_data_proxy", path=_data("/proxy/x"), allowed=NOBODY),
    Case(
        "api:exchange_table_upsert",
        method="put",
        path=_tables("/rows"),
        json={"rows": [{"a": 3}]},
        allowed=UNIT_MEMBERS,
    ),
    Case(
        "api:exchange_table_changes",
        method="post",
        path=_tables("/changes"),
        json={"upserts": [{"a": 4}], "deletes": ["1"]},
        allowed=UNIT_MEMBERS,
        auth="token",
    ),
    Case(
        "api:exchange_table_delete_row",
        method="delete",
        path=_tables("/rows/2"),
        allowed=UNIT_MEMBERS,
    ),
]


test_data_matrix = matrix_test(DATA_MATRIX, setup=make_objects)
