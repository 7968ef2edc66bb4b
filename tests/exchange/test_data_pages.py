"""The consumer's and the provider's data pages (issue 16, point 7): 我的令牌, 调用记录 and
发布与同步 — what they show, what they write (through the services, audited), and bad input
answered with a message, never a 500."""

import io

import pytest

from shuzheng.audit.models import AuditEvent
from shuzheng.catalog.models import DataResource
from shuzheng.crypto import sm3_hex
from shuzheng.exchange import table_services
from shuzheng.exchange.models import AccessToken, PublishedRow, PublishedTable
from shuzheng.exchange.request_models import Objection
from tests.exchange.data_fixtures import *  # noqa: F403 - the fixtures
from tests.exchange.data_fixtures import SCHOOL_ROWS, make_user
from tests.exchange_requests.factories import make_resource

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.fixture
def as_consumer(client, consumer):
    client.force_login(consumer)
    return client


@pytest.fixture
def as_provider(client, provider):
    client.force_login(provider)
    return client


def _upload(name: str, text: str, encoding="utf-8"):
    upload = io.BytesIO(text.encode(encoding))
    upload.name = name
    return upload


# --- 我的令牌 -------------------------------------------------------------------------------


def test_a_token_is_made_for_a_granted_resource_and_its_secret_shown_once(as_consumer, grant):
    response = as_consumer.post(
        "/exchange/tokens/", {"name": "文旅系统", "resources": [grant.resource.pk]}, **ZH
    )
    assert response.status_code == 200
    secret = response.context["secret"]
    token = AccessToken.objects.get(name="文旅系统")
    assert secret.startswith(f"szx_{token.prefix}_") and secret in response.content.decode()
    # Only the SM3 digest is kept, and the answer that shows the secret is never cached.
    assert token.digest == sm3_hex(secret.encode()) and secret not in token.digest
    assert "no-store" in response["Cache-Control"]
    assert list(token.resources.all()) == [grant.resource]
    assert AuditEvent.objects.filter(action="exchange.token_create", object_id=token.pk).exists()
    # The list shows it (by prefix), never the secret again.
    listing = as_consumer.get("/exchange/tokens/", **ZH).content.decode()
    assert "文旅系统" in listing and f"szx_{token.prefix}_…" in listing and secret not in listing
    assert "我的令牌" in listing


def test_a_token_cannot_name_a_resource_without_a_live_grant(as_consumer, grant, schools):
    other = DataResource.objects.exclude(pk=schools.pk).filter(state="published").first()
    response = as_consumer.post(
        "/exchange/tokens/", {"name": "越权", "resources": [other.pk]}, **ZH
    )
    assert response.status_code == 400
    assert not AccessToken.objects.filter(name="越权").exists()
    grant.revoked_at = grant.granted_at
    grant.save()
    page = as_consumer.get("/exchange/tokens/", **ZH).content.decode()
    assert "请先申请数据" in page


def test_a_bad_expiry_is_a_message_not_a_500(as_consumer, grant):
    response = as_consumer.post(
        "/exchange/tokens/",
        {"name": "久远", "resources": [grant.resource.pk], "expires_on": "2999-01-01"},
        **ZH,
    )
    assert response.status_code == 400
    assert "令牌有效期最长一年" in response.content.decode()
    assert not AccessToken.objects.filter(name="久远").exists()


def test_revoking_a_token_refuses_its_next_request(as_consumer, client, token_secret):
    token, secret = token_secret
    path = f"/api/v1/exchange/data/{token.resources.get().name}/rows"
    auth = {"Authorization": f"Bearer {secret}"}
    assert client.get(path, headers=auth).status_code == 200
    response = as_consumer.post(f"/exchange/tokens/{token.pk}/revoke/", **ZH)
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get(path, headers=auth).json()["type"] == "token-revoked"
    again = as_consumer.post(f"/exchange/tokens/{token.pk}/revoke/", follow=True, **ZH)
    assert "该令牌已被吊销" in again.content.decode()


def test_another_unit_cannot_revoke_or_see_the_token(client, token_secret, provider):
    token, _secret = token_secret
    client.force_login(provider)
    assert client.post(f"/exchange/tokens/{token.pk}/revoke/").status_code == 403
    assert token.name not in client.get("/exchange/tokens/").content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None


# --- 调用记录 -------------------------------------------------------------------------------


def test_usage_sums_the_units_calls_per_grant(as_consumer, client, token_secret, grant):
    token, secret = token_secret
    path = f"/api/v1/exchange/data/{grant.resource.name}/rows"
    auth = {"Authorization": f"Bearer {secret}"}
    assert client.get(path, headers=auth).status_code == 200
    assert client.get(path, {"county": "大武口区"}, headers=auth).status_code == 200
    assert client.get(path, {"stage": "高中"}, headers=auth).status_code == 400  # ungranted
    response = as_consumer.get("/exchange/usage/", **ZH)
    assert response.status_code == 200
    [row] = response.context["table"].rows
    assert (row.grant, row.calls, row.errors, row.rows) == (grant, 3, 1, 2)
    assert row.consumer == token.consumer
    assert grant.resource.title in response.content.decode()
    # Filtered by resource code, and by days.
    other = as_consumer.get("/exchange/usage/", {"resource": "no-such"})
    assert other.context["table"].rows == []
    today = row.last_at.date().isoformat()
    assert len(as_consumer.get("/exchange/usage/", {"since": today}).context["table"].rows) == 1


def test_usage_shows_only_the_units_own_calls(client, token_secret, grant, provider):
    _token, secret = token_secret
    client.get(
        f"/api/v1/exchange/data/{grant.resource.name}/rows",
        headers={"Authorization": f"Bearer {secret}"},
    )
    client.force_login(provider)
    assert client.get("/exchange/usage/").context["table"].rows == []


def test_a_bad_date_range_on_usage_is_a_message(as_consumer, grant):
    response = as_consumer.get("/exchange/usage/", {"since": "2024-05-02", "until": "2024-05-01"})
    assert response.status_code == 200
    assert response.context["form"].errors
    bad = as_consumer.get("/exchange/usage/", {"since": "昨天"})
    assert bad.status_code == 200 and bad.context["form"].errors


# --- 发布与同步 -----------------------------------------------------------------------------


def test_the_publish_page_lists_the_units_tables_and_what_it_may_still_publish(
    as_provider, provider, consumer, schools_table
):
    ours = make_resource(provider.unit)
    make_resource(provider.unit, grade="core")
    make_resource(provider.unit, state="draft")
    make_resource(consumer.unit)
    response = as_provider.get("/exchange/publish/", **ZH)
    assert response.status_code == 200
    assert [t.pk for t in response.context["tables"].rows] == [schools_table.pk]
    assert list(response.context["publishable"].rows) == [ours]
    assert "发布与同步" in response.content.decode()


def test_publishing_chooses_columns_and_primary_key_from_the_items(as_provider, provider, schools):
    response = as_provider.post(
        f"/exchange/publish/{schools.pk}/",
        {"columns": ["name", "county", "students"], "primary_key": ["name"], "source": "upload"},
    )
    table = PublishedTable.objects.get(resource=schools)
    assert response.status_code == 302 and response["Location"] == f"/exchange/tables/{table.pk}/"
    assert [c["name"] for c in table.columns] == ["name", "county", "students"]
    assert table.primary_key == ["name"]
    assert AuditEvent.objects.filter(action="exchange.publish_table", actor=provider).exists()


def test_a_bad_layout_is_refused_with_a_message(as_provider, schools):
    path = f"/exchange/publish/{schools.pk}/"
    # The primary key must be among the published columns.
    response = as_provider.post(
        path, {"columns": ["county"], "primary_key": ["name"], "source": "upload"}, **ZH
    )
    assert response.status_code == 400
    assert "主键" in response.content.decode()
    # A proxied service needs its upstream address; its OpenAPI file must be OpenAPI.
    response = as_provider.post(
        path,
        {
            "columns": ["name"],
            "primary_key": ["name"],
            "source": "proxy",
            "openapi": _upload("api.json", '{"paths": {}}'),
        },
        **ZH,
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"upstream_url", "openapi"}
    assert not PublishedTable.objects.filter(resource=schools).exists()


def test_a_proxied_service_is_described_by_its_address_and_openapi(as_provider, schools):
    description = '{"openapi": "3.0.3", "info": {"title": "学校服务"}, "paths": {}}'
    response = as_provider.post(
        f"/exchange/publish/{schools.pk}/",
        {
            "columns": ["name", "county"],
            "primary_key": ["name"],
            "source": "proxy",
            "upstream_url": "https://upstream.example.org/schools/",
            "openapi": _upload("api.json", description),
        },
    )
    assert response.status_code == 302
    table = PublishedTable.objects.get(resource=schools)
    assert table.upstream_url == "https://upstream.example.org/schools/"
    assert table.upstream_openapi["info"]["title"] == "学校服务"
    page = as_provider.get(response["Location"], **ZH).content.decode()
    assert "学校服务" in page and "上传数据行" not in page


def test_another_unit_cannot_publish_or_read_the_table(as_consumer, schools, schools_table):
    assert as_consumer.get(f"/exchange/publish/{schools.pk}/").status_code == 403
    assert as_consumer.get(f"/exchange/tables/{schools_table.pk}/").status_code == 403
    upload = _upload("x.csv", "name,students\n新校,1\n")
    assert (
        as_consumer.post(
            f"/exchange/tables/{schools_table.pk}/upload/", {"file": upload}
        ).status_code
        == 403
    )


def test_an_upload_in_gb18030_upserts_rows_and_shows_in_the_history(as_provider, schools_table):
    text = "学校名称,所在市县,在校生数,学段\n银川一中,银川市兴庆区,3700,高中\n新建学校,银川市西夏区,100,小学\n"
    response = as_provider.post(
        f"/exchange/tables/{schools_table.pk}/upload/",
        {"file": _upload("学校.csv", text, "gb18030"), "all_or_nothing": "on"},
        **ZH,
    )
    assert response.status_code == 200, response.context.get("problems")
    result = response.context["result"]
    assert (result.inserted, result.updated) == (1, 1)
    assert PublishedRow.objects.get(table=schools_table, key="银川一中").values["students"] == 3700
    schools_table.refresh_from_db()
    assert schools_table.row_count == len(SCHOOL_ROWS) + 1
    history = response.context["history"].rows
    assert [event.action for event in history][:1] == ["exchange.rows_changed"]
    assert history[0].after["inserted"] == 1
    assert "新建学校" in response.content.decode()


def test_a_repeated_key_refuses_the_whole_upload(as_provider, schools_table):
    text = "name,students\n银川一中,1\n新建学校,2\n银川一中,3\n"
    before = sorted(PublishedRow.objects.filter(table=schools_table).values_list("key", "values"))
    response = as_provider.post(
        f"/exchange/tables/{schools_table.pk}/upload/",
        {"file": _upload("学校.csv", text)},
        **ZH,
    )
    assert response.status_code == 400
    assert response.context["result"] is None
    assert response.context["problems"] == ["第 4 行：主键 银川一中 在第 2, 4 行重复。"]
    page = response.content.decode()
    assert "文件被拒绝，未写入任何数据。" in page
    after = sorted(PublishedRow.objects.filter(table=schools_table).values_list("key", "values"))
    assert after == before


def test_without_all_or_nothing_the_valid_rows_land_and_the_others_are_listed(
    as_provider, schools_table
):
    text = "name,students\n新建学校,2\n另一所,很多\n"
    response = as_provider.post(
        f"/exchange/tables/{schools_table.pk}/upload/",
        {"file": _upload("学校.csv", text)},
        **ZH,
    )
    assert response.status_code == 200
    assert response.context["result"].inserted == 1
    [problem] = response.context["problems"]
    assert problem == "第 3 行“在校生数”列：不是整数。"
    assert not PublishedRow.objects.filter(table=schools_table, key="另一所").exists()


def test_a_file_that_is_no_table_is_a_message(as_provider, schools_table):
    response = as_provider.post(
        f"/exchange/tables/{schools_table.pk}/upload/",
        {"file": _upload("图片.png", "\x89PNG not a table"), "all_or_nothing": "on"},
        **ZH,
    )
    assert response.status_code == 400
    assert response.context["problems"]
    missing = as_provider.post(f"/exchange/tables/{schools_table.pk}/upload/", {}, **ZH)
    assert missing.status_code == 400 and missing.context["form"].errors


def test_the_table_page_pages_its_rows_and_marks_objected_records(
    as_provider, schools_table, consumer
):
    Objection.objects.create(
        resource=schools_table.resource,
        record_key="育才中学",
        description="在校生数有误",
        raised_by=consumer,
        raised_at=schools_table.created_at,
        due_at=schools_table.created_at,
    )
    table_services.apply_row_changes(
        schools_table, [{"name": f"学校{n:03d}", "students": n} for n in range(60)]
    )
    response = as_provider.get(f"/exchange/tables/{schools_table.pk}/", **ZH)
    rows = response.context["rows"]
    assert len(rows.rows) == 50 and rows.page.paginator.count == 63
    marked = [row.key for row in rows.rows if row.under_objection]
    assert marked == ["育才中学"]
    assert "异议处理中" in response.content.decode()
    second = as_provider.get(f"/exchange/tables/{schools_table.pk}/", {"page": 2})
    assert len(second.context["rows"].rows) == 13


def test_an_administrator_reads_every_units_pages_but_makes_no_token(client, schools_table):
    from shuzheng.accounts.choices import Role

    admin = make_user("xd_admin", Role.ADMINISTRATOR)
    client.force_login(admin)
    assert client.get("/exchange/publish/").context["tables"].rows[0] == schools_table
    assert client.get("/exchange/tokens/").context["form"] is None
    assert client.post("/exchange/tokens/", {"name": "x"}).status_code == 403
