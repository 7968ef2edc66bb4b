"""Who may use the consumer's and the provider's data pages (issue 16, point 7): 我的令牌 and
调用记录 are the unit's holders of data-API tokens (``manage_exchange_tokens``: its staff and
head, administrators reading every unit's), 发布与同步 the unit's publishers
(``publish_exchange_data``). A token is a unit's: an administrator without a unit makes none.
Another unit's token, resource or table is refused (tests/exchange/test_data_pages.py)."""

from shuzheng.exchange import table_services, token_services
from tests.exchange_requests.factories import make_resource
from tests.exchange_requests.world import grant
from tests.permissions import UNIT_MEMBERS, Case, matrix_test

STAFF_AND_HEAD = frozenset({"unit_staff", "unit_head"})


def make_objects(world):
    theirs = make_resource(world.other_unit)
    table_services.publish_table(theirs, primary_key=["id"])
    grant(world.unit, theirs)
    token, _secret = token_services.create_access_token(world.unit, name="矩阵", resources=[theirs])
    ours = make_resource(world.unit)
    table = table_services.publish_table(ours, primary_key=["id"])
    table_services.apply_row_changes(table, [{"id": "1", "name": "一"}])
    return {
        "theirs": theirs,
        "token": token,
        "unpublished": make_resource(world.unit),
        "table": table,
    }


DATA_PAGE_MATRIX = [
    Case("exchange:tokens", allowed=UNIT_MEMBERS),
    Case(
        "exchange:tokens",
        method="post",
        data=lambda w: {"name": "矩阵新建", "resources": [w.objects["theirs"].pk]},
        allowed=STAFF_AND_HEAD,
    ),
    Case(
        "exchange:revoke_token",
        method="post",
        path=lambda w: f"/exchange/tokens/{w.objects['token'].pk}/revoke/",
        allowed=UNIT_MEMBERS,
    ),
    Case("exchange:usage", allowed=UNIT_MEMBERS),
    Case("exchange:publish", allowed=UNIT_MEMBERS),
    Case(
        "exchange:publish_resource",
        path=lambda w: f"/exchange/publish/{w.objects['unpublished'].pk}/",
        allowed=UNIT_MEMBERS,
    ),
    Case(
        "exchange:table",
        path=lambda w: f"/exchange/tables/{w.objects['table'].pk}/",
        allowed=UNIT_MEMBERS,
    ),
    Case(
        "exchange:upload_rows",
        method="post",
        path=lambda w: f"/exchange/tables/{w.objects['table'].pk}/upload/",
        allowed=UNIT_MEMBERS,
    ),
]
test_data_page_matrix = matrix_test(DATA_PAGE_MATRIX, setup=make_objects)
