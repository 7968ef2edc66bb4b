"""Issue 16, Done when — through the pages and the data API, without a browser (the browser
runs the same flow in tests/browser/test_exchange_flow.py): a consumer requests a 有条件共享
resource with fields and a row filter, the provider approves with reasons, the consumer makes
a token on 我的令牌, a filtered query returns only the granted columns and rows (and naming an
ungranted column is refused), the provider revokes, and the next request gets 403."""

import pytest

from shuzheng.exchange.log_models import MessageLogEntry
from shuzheng.exchange.models import Grant
from shuzheng.exchange.request_models import DataRequest
from tests.exchange.flow import COUNTY, GRANTED_COLUMNS, GRANTED_IDS, make_flow, rows_path
from tests.exchange_requests.factories import in_days

pytestmark = pytest.mark.django_db


def test_request_approval_grant_token_filtered_query_revoke_403(client):
    flow = make_flow()
    client.force_login(flow.consumer)
    answer = client.post(
        f"/exchange/requests/new/?resource={flow.resource.pk}",
        {
            "purpose": "核验纳税人登记信息",
            "legal_basis": "《税收征收管理法》第十五条",
            "columns": GRANTED_COLUMNS,
            "filter_column": "county",
            "filter_values": COUNTY,
            "needed_until": in_days(30).isoformat(),
        },
    )
    request = DataRequest.objects.get()
    assert answer.status_code == 302
    client.post(f"/exchange/requests/{request.pk}/submit/")
    request.refresh_from_db()
    assert request.state == "submitted" and request.provider_id == flow.provider_unit.pk

    client.force_login(flow.provider_head)
    approved = client.post(
        f"/exchange/requests/{request.pk}/approve/",
        {"reason": "用于税务核验，依法同意", "columns": GRANTED_COLUMNS},
    )
    assert approved.status_code == 302
    grant = Grant.objects.get(consumer=flow.consumer_unit, resource=flow.resource)
    assert grant.columns == GRANTED_COLUMNS
    assert grant.row_filters == [{"column": "county", "op": "eq", "value": COUNTY}]

    client.force_login(flow.consumer)
    made = client.post(
        "/exchange/tokens/", {"name": "税务核验系统", "resources": [flow.resource.pk]}
    )
    assert made.status_code == 200
    auth = {"Authorization": f"Bearer {made.context['secret']}"}
    client.logout()  # the data API reads with the token alone

    everything = client.get(rows_path(flow), headers=auth).json()["items"]
    assert {row["id"] for row in everything} == GRANTED_IDS
    assert all(set(row) == set(GRANTED_COLUMNS) for row in everything)
    one = client.get(rows_path(flow), {"id": "1", "fields": "name"}, headers=auth).json()
    assert one["items"] == [{"name": "兴庆甲店"}]
    # A row outside the grant's filter is not found even when asked for by its key …
    assert client.get(rows_path(flow), {"id": "3"}, headers=auth).json()["items"] == []
    # … and an ungranted column is refused, whether filtered on or selected.
    for params in ({"county": "金凤区"}, {"fields": "phone"}, {"note__in": "内部"}):
        refused = client.get(rows_path(flow), params, headers=auth)
        assert refused.status_code == 400 and refused.json()["type"] == "ungranted-column"
        assert "0951" not in refused.text and "金凤丙店" not in refused.text

    client.force_login(flow.provider_head)
    revoked = client.post(f"/exchange/grants/{grant.pk}/revoke/", {"reason": "核验已完成"})
    assert revoked.status_code == 302
    client.logout()
    after = client.get(rows_path(flow), headers=auth)
    assert after.status_code == 403 and after.json()["type"] == "grant-missing"
    # Every call is in the message log under the consumer, the last one refused.
    statuses = list(
        MessageLogEntry.objects.filter(consumer_id=flow.consumer_unit.pk)
        .order_by("id")
        .values_list("status", flat=True)
    )
    assert statuses[:3] == [200, 200, 200] and statuses[-1] == 403
