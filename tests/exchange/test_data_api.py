"""The data API (issue 16, points 2 and 3; Done-when: a filtered query never returns an
ungranted column or row; revoke → refused; bad input → documented problem details)."""

import csv
import datetime as dt
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shuzheng import clock
from shuzheng.catalog.models import DataResource
from shuzheng.crypto import sm3_hex
from shuzheng.exchange import hooks, objection_services, rows, table_services, token_services
from shuzheng.exchange.choices import TableSource
from shuzheng.exchange.models import AccessToken, PublishedRow
from tests.exchange.data_fixtures import *  # noqa: F403 - the fixtures
from tests.exchange.data_fixtures import make_grant

BASE = "/api/v1/exchange/data/"


@pytest.fixture
def calls():
    received = []
    hooks.register_call_recorder(received.append)
    yield received
    hooks._call_recorders.remove(received.append)


@pytest.fixture
def api(client, token_secret):
    _token, secret = token_secret
    name = token_secret[0].resources.get().name

    def get(suffix="/rows", secret=secret, **params):
        return client.get(
            f"{BASE}{name}{suffix}", params, headers={"Authorization": f"Bearer {secret}"}
        )

    return get


def problem(response, status, kind):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == kind and body["status"] == status and body["title"]
    return body


def test_a_query_returns_only_granted_columns_and_rows(api, calls):
    response = api()
    assert response.status_code == 200
    items = response.json()["items"]
    assert {item["name"] for item in items} == {"银川一中", "育才中学"}
    assert all(set(item) == {"name", "county", "students"} for item in items)
    assert "公办" not in response.content.decode() and "石嘴山" not in response.content.decode()
    [call] = calls
    assert call.status == 200 and call.rows == 2 and call.token_id is not None
    assert call.response_digest == sm3_hex(response.content)


def test_filters_fields_and_keyset_pages(api):
    body = api(county="银川市金凤区", fields="name").json()
    assert body == {"items": [{"name": "育才中学"}], "next": None}
    assert api(students__in="3600,2900").json()["items"] == [
        {"name": "银川一中", "county": "银川市兴庆区", "students": 3600}
    ]
    first = api(limit=1).json()
    assert len(first["items"]) == 1 and first["next"]
    second = api(limit=1, after=first["next"]).json()
    assert second["items"][0]["name"] != first["items"][0]["name"] and second["next"] is None


@pytest.mark.parametrize(
    ("params", "kind"),
    [
        ({"stage": "高中"}, "ungranted-column"),
        ({"fields": "name,ownership"}, "ungranted-column"),
        ({"county__like": "银川%"}, "invalid-filter"),
        ({"students": "1 OR 1=1"}, "invalid-filter"),
        ({"county": "x' OR '1'='1"}, None),
        ({"limit": "100000"}, "invalid-filter"),
        ({"after": "abc"}, "invalid-filter"),
    ],
)
def test_bad_queries_are_documented_problems_and_leak_nothing(api, params, kind, calls):
    response = api(**params)
    if kind is None:  # a quoted value is a value: it matches nothing, and changes nothing
        assert response.json()["items"] == []
        return
    body = problem(response, 400, kind)
    assert "公办" not in json.dumps(body, ensure_ascii=False)
    assert calls[-1].status == 400


def test_ndjson_and_csv_exports_stream_the_same_rows_and_log_their_digest(api, calls):
    response = api("/export", fields="name,students")
    assert response.streaming and response["Content-Type"] == "application/x-ndjson"
    body = b"".join(response.streaming_content)
    lines = [json.loads(line) for line in body.decode().splitlines()]
    assert lines == [{"name": "银川一中", "students": 3600}, {"name": "育才中学", "students": 8000}]
    assert calls[-1].rows == 2 and calls[-1].response_digest == sm3_hex(body)

    response = api("/export", format="csv")
    body = b"".join(response.streaming_content)
    table = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert table == [
        ["name", "county", "students", "_objection"],
        ["银川一中", "银川市兴庆区", "3600", ""],
        ["育才中学", "银川市金凤区", "8000", ""],
    ]
    assert calls[-1].response_digest == sm3_hex(body)


def test_a_full_grant_exports_the_stored_json(schools_table, consumer, client):
    make_grant(schools_table.resource, consumer.unit, [c["name"] for c in schools_table.columns])
    _token, secret = token_services.create_access_token(
        consumer.unit, name="全量", resources=[schools_table.resource]
    )
    response = client.get(
        f"{BASE}{schools_table.resource.name}/export",
        headers={"Authorization": f"Bearer {secret}"},
    )
    lines = [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]
    assert len(lines) == 3 and lines[0]["ownership"] == "公办"


def test_the_table_description_shows_granted_columns_only(api):
    body = api("").json()
    assert [c["name"] for c in body["columns"]] == ["name", "county", "students"]
    assert body["primary_key"] == ["name"]


def test_revoking_the_grant_refuses_the_next_request(api, grant):
    assert api().status_code == 200
    grant.revoked_at = clock.now()
    grant.save()
    problem(api(), 403, "grant-missing")


def test_an_expired_grant_is_no_grant(api, grant):
    grant.expires_at = clock.now() - dt.timedelta(seconds=1)
    grant.save()
    problem(api("/export"), 403, "grant-missing")


def test_token_refusals(api, token_secret, consumer):
    token, secret = token_secret
    problem(api(secret=""), 401, "token-missing")
    problem(api(secret="szx_00000000_nope"), 401, "token-invalid")
    problem(api(secret=secret[:-1] + ("A" if secret[-1] != "A" else "B")), 401, "token-invalid")
    problem(api(secret="sz_x_y"), 401, "token-invalid")
    AccessToken.objects.filter(pk=token.pk).update(expires_at=clock.now() - dt.timedelta(1))
    problem(api(), 401, "token-expired")
    AccessToken.objects.filter(pk=token.pk).update(expires_at=clock.now() + dt.timedelta(1))
    token_services.revoke_access_token(token, actor=consumer)
    problem(api(), 401, "token-revoked")


def test_a_platform_session_is_not_a_data_api_token(client, consumer, grant):
    client.force_login(consumer)
    problem(client.get(f"{BASE}{grant.resource.name}/rows"), 401, "token-missing")


def test_a_resource_outside_the_token_or_core_data_is_refused(api, client, consumer, grant):
    other = DataResource.objects.get(code="303001/000001")
    table_services.publish_table(other, primary_key=["name"])
    make_grant(other, consumer.unit, ["name"])
    _token, secret = token_secret_for = token_services.create_access_token(
        consumer.unit, name="x", resources=[grant.resource]
    )
    assert token_secret_for
    response = client.get(f"{BASE}{other.name}/rows", headers={"Authorization": f"Bearer {secret}"})
    problem(response, 403, "grant-missing")
    problem(
        api("/rows", secret=secret).__class__
        and client.get(
            f"{BASE}no-such-resource/rows", headers={"Authorization": f"Bearer {secret}"}
        ),
        404,
        "not-found",
    )
    DataResource.objects.filter(pk=grant.resource.pk).update(grade="core")
    problem(api(), 403, "core-data")


def test_a_core_item_is_never_returned_even_when_granted(api, grant):
    grant.resource.fields.filter(column="students").update(grade="core")
    items = api().json()["items"]
    assert items and all("students" not in item for item in items)
    problem(api(fields="students"), 400, "ungranted-column")


def test_a_query_costs_the_same_queries_for_2_rows_and_for_20(api, schools_table):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert api().status_code == 200
        return len(captured)

    api()
    few = queries()
    table_services.apply_row_changes(
        schools_table,
        [{"name": f"学校{i}", "county": "银川市兴庆区", "students": i} for i in range(18)],
    )
    # The token; the table, the token's resources and the live grant in one statement; the
    # core columns; the page with its objection marks; the log.
    assert queries() == few <= 5


def _object_to(resource, key, unit):
    return objection_services.raise_objection(
        actor=None, resource=resource, record_key=key, description="人数有误", unit=unit
    )


def test_rows_under_an_open_objection_carry_the_mark(api, grant, consumer_unit):
    objection = _object_to(grant.resource, "育才中学", consumer_unit)
    marks = {item["name"]: item.get("_objection") for item in api().json()["items"]}
    assert marks == {"银川一中": None, "育才中学": True}
    lines = [json.loads(line) for line in b"".join(api("/export").streaming_content).splitlines()]
    assert [line.get("_objection") for line in lines] == [None, True]
    assert lines[1] == {
        "name": "育才中学",
        "county": "银川市金凤区",
        "students": 8000,
        "_objection": True,
    }
    selected = b"".join(api("/export", fields="students").streaming_content).splitlines()
    assert [json.loads(line) for line in selected] == [
        {"students": 3600},
        {"students": 8000, "_objection": True},
    ]
    body = b"".join(api("/export", format="csv").streaming_content).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(body))) == [
        ["name", "county", "students", "_objection"],
        ["银川一中", "银川市兴庆区", "3600", ""],
        ["育才中学", "银川市金凤区", "8000", "true"],
    ]
    objection_services.answer_objection(
        actor=None, objection=objection, confirm=False, answer="数据无误"
    )
    assert all("_objection" not in item for item in api().json()["items"])


def test_a_full_grant_export_marks_its_rows_too(schools_table, consumer, client):
    make_grant(schools_table.resource, consumer.unit, [c["name"] for c in schools_table.columns])
    _token, secret = token_services.create_access_token(
        consumer.unit, name="全量", resources=[schools_table.resource]
    )
    _object_to(schools_table.resource, "石嘴山三中", consumer.unit)
    response = client.get(
        f"{BASE}{schools_table.resource.name}/export",
        headers={"Authorization": f"Bearer {secret}"},
    )
    lines = [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]
    assert [line.get("_objection", False) for line in lines] == [False, False, True]
    assert lines[2]["ownership"] == "公办"


def test_the_objection_marks_cost_no_query_of_their_own(api, grant, consumer_unit):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert api().status_code == 200
        return len(captured)

    api()
    unmarked = queries()
    _object_to(grant.resource, "育才中学", consumer_unit)
    _object_to(grant.resource, "银川一中", consumer_unit)
    assert queries() == unmarked


# --- provider sync -----------------------------------------------------------------------


def test_the_provider_syncs_rows_and_a_bad_batch_writes_nothing(client, provider, schools_table):
    client.force_login(provider)
    url = f"/api/v1/exchange/tables/{schools_table.resource.name}"
    response = client.put(
        f"{url}/rows",
        {"rows": [{"name": "新校", "students": 5}]},
        content_type="application/json",
    )
    assert response.json() == {"inserted": 1, "updated": 0, "deleted": 0}
    response = client.post(
        f"{url}/changes",
        {"upserts": [{"name": "新校", "students": "五"}], "deletes": ["银川一中"]},
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["type"] == "invalid-rows"
    assert body["problems"] == [
        {"code": "bad_integer", "row": 1, "column": "students", "message": "Not an integer."}
    ]
    assert PublishedRow.objects.filter(table=schools_table, key="银川一中").exists()
    response = client.delete(f"{url}/rows/银川一中")
    assert response.json()["deleted"] == 1


def test_another_unit_cannot_sync_the_table(client, consumer, schools_table):
    client.force_login(consumer)
    response = client.put(
        f"/api/v1/exchange/tables/{schools_table.resource.name}/rows",
        {"rows": [{"name": "新校"}]},
        content_type="application/json",
    )
    assert response.status_code == 403


# --- a proxied upstream service --------------------------------------------------------------


class Upstream(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        if self.path.endswith("/text"):
            body, kind = b"plain text", "text/plain"
        else:
            body = json.dumps(
                {
                    "path": self.path,
                    "items": [
                        {"name": "一院", "level": "三级", "county": "兴庆区", "beds": 900},
                        {"name": "二院", "level": "二级", "county": "大武口区", "beds": 300},
                    ],
                },
                ensure_ascii=False,
            ).encode()
            kind = "application/json"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def upstream():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/api"
    server.shutdown()
    server.server_close()


def test_a_proxied_service_answers_under_the_grant(client, consumer, catalog, upstream, calls):
    hospitals = DataResource.objects.get(code="303001/000001")
    table_services.publish_table(
        hospitals, primary_key=["name"], source=TableSource.PROXY, upstream_url=upstream
    )
    make_grant(
        hospitals,
        consumer.unit,
        ["name", "level"],
        [{"column": "county", "op": "eq", "value": "兴庆区"}],
    )
    _token, secret = token_services.create_access_token(
        consumer.unit, name="卫健", resources=[hospitals]
    )
    headers = {"Authorization": f"Bearer {secret}"}
    response = client.get(f"{BASE}{hospitals.name}/proxy/hospitals", {"q": "1"}, headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert body["items"] == [{"name": "一院", "level": "三级"}]
    assert body["path"] == "/api/hospitals?q=1"
    assert calls[-1].response_digest == sm3_hex(response.content)
    problem(
        client.get(f"{BASE}{hospitals.name}/proxy/text", headers=headers), 502, "upstream-failed"
    )
    problem(client.get(f"{BASE}{hospitals.name}/rows", headers=headers), 404, "not-found")


def test_csv_cells_are_the_stored_values_alike_on_every_database(
    schools, provider, consumer, client
):
    """Yes/no worded ``true``/``false``, decimals and dates as their canonical text, an empty
    cell empty (not ``null``), a quote or comma quoted — the database builds each cell."""
    columns = [
        rows.Column("name", rows.TEXT),
        rows.Column("public", rows.BOOLEAN),
        rows.Column("fee", rows.DECIMAL),
        rows.Column("opened", rows.DATE),
    ]
    table = table_services.publish_table(
        schools, primary_key=["name"], columns=columns, actor=provider
    )
    table_services.apply_row_changes(
        table,
        [
            {"name": "一中", "public": "是", "fee": "12.50", "opened": "1952-09-01"},
            {"name": '二中,"分校"', "public": "否", "fee": "", "opened": ""},
        ],
        actor=provider,
    )
    make_grant(schools, consumer.unit, ["name", "public", "fee", "opened"])
    _token, secret = token_services.create_access_token(
        consumer.unit, name="全量", resources=[schools]
    )
    response = client.get(
        f"{BASE}{schools.name}/export",
        {"format": "csv"},
        headers={"Authorization": f"Bearer {secret}"},
    )
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[2] == '"二中,""分校""",false,,,'
    assert list(csv.reader(io.StringIO(body))) == [
        ["name", "public", "fee", "opened", "_objection"],
        ["一中", "true", "12.5", "1952-09-01", ""],
        ['二中,"分校"', "false", "", "", ""],
    ]
