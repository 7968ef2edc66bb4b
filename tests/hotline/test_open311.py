"""Open311 GeoReport v2 at /open311/v2/: the six resources in XML and JSON, the errors in the
specification's shape and status codes, and the georeport client against a live server."""

import json
import re
from xml.etree import ElementTree

import pytest
import requests as http
from georeport import GeoReport

from shuzheng.accounts.choices import Role
from shuzheng.accounts.services import create_token
from shuzheng.hotline.models import ServiceRequest
from tests.hotline.conftest import make_user

BASE = "/open311/v2"
ISO_WITH_ZONE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$")


@pytest.fixture
def api_key(catalog):
    user = make_user("app", Role.CITIZEN)
    _token, secret = create_token(user, name="open311", scopes=["read", "write"], actor=user)
    return secret


def post(client, fmt="json", **data):
    return client.post(f"{BASE}/requests.{fmt}", data=data)


WAGES = {
    "service_code": "wage-arrears",
    "description": "公司拖欠工资两个月。",
    "address_string": "银川市兴庆区解放西街12号",
    "first_name": "三",
    "last_name": "张",
    "phone": "13912345678",
}


def test_service_list_and_definition_in_json_and_xml(client, catalog):
    services = client.get(f"{BASE}/services.json")
    assert services["Content-Type"].startswith("application/json")
    rows = services.json()
    by_code = {row["service_code"]: row for row in rows}
    assert by_code["street-light"]["metadata"] is True
    assert by_code["wage-arrears"]["metadata"] is False
    assert "欠薪" in by_code["wage-arrears"]["keywords"]
    xml = client.get(f"{BASE}/services.xml")
    assert xml["Content-Type"].startswith("text/xml")
    assert xml.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    root = ElementTree.fromstring(xml.content)
    assert root.tag == "services"
    assert {s.findtext("service_code") for s in root} == set(by_code)
    definition = client.get(f"{BASE}/services/street-light.json").json()
    assert [a["code"] for a in definition["attributes"]] == ["pole_number", "fault"]
    assert definition["attributes"][1]["values"][0] == {"key": "dark", "name": "不亮"}
    root = ElementTree.fromstring(client.get(f"{BASE}/services/street-light.xml").content)
    assert root.tag == "service_definition"
    assert root.find("attributes/attribute/required").text == "true"


def test_post_then_get_a_request_without_personal_information(client, api_key):
    created = post(client, api_key=api_key, **WAGES)
    assert created.status_code == 200, created.content
    [row] = created.json()
    number = row["service_request_id"]
    assert "token" not in row
    assert "兴庆区人力资源和社会保障局" in row["service_notice"]
    [found] = client.get(f"{BASE}/requests/{number}.json").json()
    assert found["status"] == "open"
    assert found["status_notes"].startswith("Dispatched: Duty map")
    assert found["agency_responsible"] == "兴庆区人力资源和社会保障局"
    for field in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert ISO_WITH_ZONE.match(found[field]), found[field]
    text = json.dumps(found, ensure_ascii=False)
    assert "13912345678" not in text and "张三" not in text and "张 三" not in text
    listed = client.get(f"{BASE}/requests.json", {"status": "open"}).json()
    assert [r["service_request_id"] for r in listed] == [number]
    assert client.get(f"{BASE}/requests.json", {"status": "closed"}).json() == []
    stored = ServiceRequest.objects.get(number=number)
    [by_token] = client.get(f"{BASE}/tokens/{stored.token}.json").json()
    assert by_token == {"service_request_id": number, "token": stored.token}
    root = ElementTree.fromstring(client.get(f"{BASE}/requests/{number}.xml").content)
    assert root.tag == "service_requests" and root.find("request/status").text == "open"


def test_a_general_request_names_the_unit_it_was_routed_to(client, api_key):
    created = post(
        client,
        api_key=api_key,
        service_code="general",
        description="小区楼下烧烤摊占道经营，油烟很大",
        address_string="石嘴山市大武口区",
    )
    [row] = created.json()
    [found] = client.get(f"{BASE}/requests/{row['service_request_id']}.json").json()
    assert found["service_code"] == "urban-appearance"
    assert found["agency_responsible"] == "石嘴山市城市管理局"


def test_multivalue_and_required_attributes(client, api_key):
    missing = post(
        client, api_key=api_key, service_code="street-light", address_string="银川市金凤区"
    )
    assert missing.status_code == 400
    [error] = missing.json()
    assert error["code"] == 400 and "pole_number" in error["description"]
    ok = client.post(
        f"{BASE}/requests.json",
        data={
            "api_key": api_key,
            "service_code": "street-light",
            "address_string": "银川市金凤区",
            "attribute[pole_number]": "YC-0231",
            "attribute[fault]": "dark",
        },
    )
    assert ok.status_code == 200, ok.content
    stored = ServiceRequest.objects.get(number=ok.json()[0]["service_request_id"])
    assert stored.attributes == {"pole_number": "YC-0231", "fault": "dark"}


@pytest.mark.parametrize(
    ("changes", "status", "words"),
    [
        ({"service_code": "no-such"}, 404, "no-such"),
        ({"description": "字" * 4001}, 400, "4001"),
        ({"address_string": "", "lat": "39.90", "long": "116.40"}, 400, "lat"),
        ({"address_string": ""}, 400, "address_string"),
        ({"jurisdiction_id": "110000"}, 404, "jurisdiction_id"),
    ],
)
def test_bad_requests_answer_open311_errors_and_write_nothing(
    client, api_key, changes, status, words
):
    for fmt in ("json", "xml"):
        answer = post(client, fmt, api_key=api_key, **(WAGES | changes))
        assert answer.status_code == status
        if fmt == "json":
            [error] = answer.json()
            assert error["code"] == status and words in error["description"]
        else:
            root = ElementTree.fromstring(answer.content)
            assert root.tag == "errors" and root.findtext("error/code") == str(status)
    assert not ServiceRequest.objects.exists()


def test_api_key_is_required_valid_and_with_write_scope(client, catalog):
    assert post(client, **WAGES).status_code == 403
    assert post(client, api_key="sz_nope_nope", **WAGES).status_code == 403
    user = make_user("reader", Role.CITIZEN)
    _token, read_only = create_token(user, name="ro", scopes=["read"], actor=user)
    refused = post(client, api_key=read_only, **WAGES)
    assert refused.status_code == 403 and refused.json()[0]["code"] == 403
    assert not ServiceRequest.objects.exists()


def test_unknown_things_are_404_and_ranges_are_checked(client, catalog):
    assert client.get(f"{BASE}/services/no-such.json").status_code == 404
    assert client.get(f"{BASE}/requests/00000000.xml").status_code == 404
    assert client.get(f"{BASE}/tokens/nothing.json").status_code == 404
    assert client.get(f"{BASE}/services.csv").status_code == 404
    too_long = client.get(
        f"{BASE}/requests.json",
        {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"},
    )
    assert too_long.status_code == 400 and too_long.json()[0]["code"] == 400


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_georeport_client_against_a_live_server(live_server, fmt):
    """georeport 0.3.1 lists services, reads definitions and requests; it has no method to
    create one, so the POST goes through ``requests``, the HTTP library the client uses."""
    from shuzheng.hotline.services import load_sample_catalog
    from shuzheng.orgs.services import load_sample_registry

    load_sample_registry()
    load_sample_catalog()
    user = make_user(f"client-{fmt}", Role.CITIZEN)
    _token, secret = create_token(user, name="georeport", scopes=["read", "write"], actor=user)
    root = f"{live_server.url}{BASE}"
    client = GeoReport(root, jurisdiction="640000", api_key=secret, output_format=fmt)
    services = client.get_service_list()
    assert "wage-arrears" in {s["service_code"] for s in services}
    definition = client.get_service_definition("street-light")
    assert definition["service_code"] == "street-light"
    created = http.post(
        f"{root}/requests.{fmt}", data={"api_key": secret, "jurisdiction_id": "640000", **WAGES}
    )
    assert created.status_code == 200
    if fmt == "json":
        number = created.json()[0]["service_request_id"]
    else:
        number = ElementTree.fromstring(created.content).findtext("request/service_request_id")
    found = client.get_service_request(number)
    assert found["service_request_id"] == number
    assert found["agency_responsible"] == "兴庆区人力资源和社会保障局"
    listed = client.get_service_requests(service_request_id=number)
    if fmt == "xml":
        assert listed["service_request_id"] == number  # xmltodict: one row is a dict
    else:
        assert [row["service_request_id"] for row in listed] == [number]
