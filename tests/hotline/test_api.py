"""The hotline's JSON API: submit, public view, 退单 and re-routing, reply, callback."""

from shuzheng.accounts.choices import Role
from shuzheng.hotline.models import Caller
from shuzheng.orgs.models import Unit
from tests.hotline.conftest import make_user

API = "/api/v1/hotline/"


def test_submit_transfer_back_reply_and_callback(client, catalog, operator):
    citizen = make_user("citizen", Role.CITIZEN)
    client.force_login(citizen)
    answer = client.post(
        f"{API}requests",
        {
            "service_code": "wage-arrears",
            "description": "拖欠工资",
            "address_string": "银川市兴庆区",
            "name": "李四",
            "phone": "13800001111",
        },
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    number = body["number"]
    assert body["handled_by"]["code"] == "xingqing-human-resources-social-security"
    assert "李四" not in answer.content.decode() and "13800001111" not in answer.content.decode()
    assert Caller.objects.get().phone == "13800001111"

    county = make_user(
        "county", Role.UNIT_STAFF, Unit.objects.get(code="xingqing-human-resources-social-security")
    )
    city = make_user(
        "city", Role.UNIT_STAFF, Unit.objects.get(code="yinchuan-human-resources-social-security")
    )
    client.force_login(county)
    [assignment] = client.get(f"{API}requests/{number}/assignments").json()
    returned = client.post(
        f"{API}assignments/{assignment['id']}/return",
        {"reason": "用人单位注册在金凤区"},
        content_type="application/json",
    )
    assert returned.status_code == 200
    assert returned.json()["handled_by"]["code"] == "yinchuan-human-resources-social-security"
    # 兴庆区 no longer handles it: its reply is refused.
    refused = client.post(
        f"{API}requests/{number}/reply", {"text": "x"}, content_type="application/json"
    )
    assert refused.status_code == 403

    client.force_login(city)
    replied = client.post(
        f"{API}requests/{number}/reply", {"text": "已责令企业支付"}, content_type="application/json"
    )
    assert replied.status_code == 201 and replied.json()["status"] == "closed"

    client.force_login(operator)
    reopened = client.post(
        f"{API}requests/{number}/callback",
        {"satisfaction": "dissatisfied"},
        content_type="application/json",
    )
    assert reopened.json()["state"] == "reopened"
    again = client.post(
        f"{API}requests/{number}/callback",
        {"satisfaction": "satisfied"},
        content_type="application/json",
    )
    assert again.status_code == 409

    anonymous = client.__class__()
    public = anonymous.get(f"{API}requests/{number}").json()
    assert public["state"] == "reopened" and public["reopen_count"] == 1


def test_bad_submissions_answer_422_naming_the_field(client, catalog):
    client.force_login(make_user("citizen", Role.CITIZEN))
    answer = client.post(
        f"{API}requests",
        {"service_code": "street-light", "address_string": "银川市金凤区"},
        content_type="application/json",
    )
    assert answer.status_code == 422
    assert "attribute[pole_number]" in answer.json()["detail"]
