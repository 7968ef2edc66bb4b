"""The Done-when flow's world (issue 16: "request → approval → grant → token → filtered query
that never returns an ungranted column or row → revoke → 403"), shared by the API-only test
(tests/exchange/test_done_when_flow.py) and the browser test (tests/browser/test_exchange_flow.py):
a provider's 有条件共享 resource published with rows in three counties, and the people who
ask for it and decide."""

from __future__ import annotations

from dataclasses import dataclass

from shuzheng.accounts.choices import Role
from shuzheng.exchange import table_services
from tests.exchange_requests.factories import make_resource, make_units, make_user

PASSWORD = "Shuzheng-2023!"
ROWS = [
    {"id": "1", "name": "兴庆甲店", "county": "兴庆区", "phone": "0951-1", "note": "内部"},
    {"id": "2", "name": "兴庆乙店", "county": "兴庆区", "phone": "0951-2", "note": "内部"},
    {"id": "3", "name": "金凤丙店", "county": "金凤区", "phone": "0951-3", "note": "内部"},
    {"id": "4", "name": "西夏丁店", "county": "西夏区", "phone": "0951-4", "note": "内部"},
]
#: What the consumer asks for, and so what the data API may ever return.
GRANTED_COLUMNS = ["id", "name"]
GRANTED_IDS = {"1", "2"}
COUNTY = "兴庆区"


@dataclass
class Flow:
    provider_unit: object
    consumer_unit: object
    consumer: object
    provider_head: object
    resource: object
    table: object


def make_flow() -> Flow:
    provider_unit, consumer_unit, _other = make_units()
    consumer = make_user("flow_consumer", Role.UNIT_STAFF, consumer_unit)
    provider_staff = make_user("flow_provider", Role.UNIT_STAFF, provider_unit)
    provider_head = make_user("flow_provider_head", Role.UNIT_HEAD, provider_unit)
    resource = make_resource(provider_unit, share_type="conditional")
    table = table_services.publish_table(resource, primary_key=["id"], actor=provider_staff)
    table_services.apply_row_changes(table, ROWS, actor=provider_staff)
    return Flow(provider_unit, consumer_unit, consumer, provider_head, resource, table)


def rows_path(flow: Flow) -> str:
    return f"/api/v1/exchange/data/{flow.resource.name}/rows"
