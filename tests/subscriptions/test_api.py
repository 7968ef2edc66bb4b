"""GET/POST/PATCH/DELETE /api/v1/subscriptions… and GET/PUT /api/v1/subscriptions/profile."""

import pytest

from shuzheng.accounts.services import create_token
from shuzheng.subscriptions.models import Subscription
from tests.subscriptions.conftest import make_user

pytestmark = pytest.mark.django_db

API = "/api/v1/subscriptions/"


def bearer(user) -> dict:
    _token, secret = create_token(user, name="test", scopes=["read", "write"], actor=None)
    return {"Authorization": f"Bearer {secret}"}


def test_create_list_update_and_delete(client, citizen, registry):
    headers = bearer(citizen)
    created = client.post(
        API,
        {"kind": "search", "params": {"q": "数据共享", "issuer": "财政厅", "page": "2"}},
        content_type="application/json",
        headers=headers,
    )
    assert created.status_code == 201
    body = created.json()
    assert body["params"] == {"q": "数据共享", "issuer": "财政厅"}
    assert body["label"] == "“数据共享” (机关:财政厅)" and body["active"] is True
    unit = client.post(
        API,
        {"kind": "unit", "unit": "自治区财政厅"},
        content_type="application/json",
        headers=headers,
    ).json()
    assert (unit["unit_code"], unit["unit_name"]) == ("nx-finance", "宁夏回族自治区财政厅")
    listed = client.get(API, headers=headers).json()
    assert [item["id"] for item in listed] == [unit["id"], body["id"]]
    patched = client.patch(
        f"{API}{body['id']}",
        {"active": False, "name": "数据"},
        content_type="application/json",
        headers=headers,
    ).json()
    assert (patched["active"], patched["name"], patched["params"]["q"]) == (
        False,
        "数据",
        "数据共享",
    )
    assert client.get(f"{API}{body['id']}", headers=headers).json()["active"] is False
    assert client.delete(f"{API}{body['id']}", headers=headers).status_code == 204
    assert list(Subscription.objects.values_list("pk", flat=True)) == [unit["id"]]


def test_bad_input_is_422_with_the_reason(client, citizen, registry):
    headers = bearer(citizen)
    for payload in (
        {"kind": "search", "params": {}},
        {"kind": "topic", "topic": "数"},
        {"kind": "unit", "unit": "各市、县（区）"},
    ):
        response = client.post(API, payload, content_type="application/json", headers=headers)
        assert response.status_code == 422, payload
        assert response.json()["detail"]
    response = client.post(
        API,
        {"kind": "document", "document_id": 999},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 404
    assert not Subscription.objects.exists()


def test_only_the_owner_sees_a_subscription(client, citizen, registry):
    other = make_user("other", "citizen")
    mine = client.post(
        API,
        {"kind": "topic", "topic": "惠企政策"},
        content_type="application/json",
        headers=bearer(citizen),
    ).json()
    headers = bearer(other)
    assert client.get(API, headers=headers).json() == []
    assert client.get(f"{API}{mine['id']}", headers=headers).status_code == 404
    assert (
        client.patch(
            f"{API}{mine['id']}",
            {"active": False},
            content_type="application/json",
            headers=headers,
        ).status_code
        == 404
    )
    assert client.delete(f"{API}{mine['id']}", headers=headers).status_code == 404
    assert Subscription.objects.get().active


def test_the_enterprise_profile(client, enterprise, citizen, registry):
    headers = bearer(enterprise)
    assert client.get(f"{API}profile", headers=headers).json()["industry"] == ""
    saved = client.put(
        f"{API}profile",
        {"industry": "制造业", "region_code": "640100", "size": "sme", "tags": ["专精特新"]},
        content_type="application/json",
        headers=headers,
    )
    assert saved.status_code == 200
    assert saved.json() == {
        "industry": "制造业",
        "region_code": "640100",
        "region_name": "银川市",
        "size": "sme",
        "tags": ["专精特新"],
        "active": True,
    }
    assert client.get(f"{API}profile", headers=headers).json() == saved.json()
    bad = client.put(
        f"{API}profile",
        {"region_code": "999999"},
        content_type="application/json",
        headers=headers,
    )
    assert bad.status_code == 422
    assert client.get(f"{API}profile", headers=bearer(citizen)).status_code == 403


def test_a_read_token_lists_but_cannot_change(client, citizen, registry):
    _token, secret = create_token(citizen, name="reader", scopes=["read"], actor=None)
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get(API, headers=headers).status_code == 200
    response = client.post(
        API,
        {"kind": "topic", "topic": "惠企政策"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 403
    assert not Subscription.objects.exists()
