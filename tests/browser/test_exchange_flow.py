"""Issue 16, Done when, in a real browser: a consumer requests a 有条件共享 resource with
fields and a row filter → the provider's head approves with reasons → a grant with those
fields and that filter → the consumer creates a token on 我的令牌 → a filtered query over HTTP
with the token returns only the granted columns and rows → the provider revokes the grant on
我的授权 → the next request gets 403. The same flow without a browser is
tests/exchange/test_done_when_flow.py; the pages met on the way are checked with axe-core."""

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest
from playwright.sync_api import expect

from shuzheng.exchange.models import Grant
from tests.browser.conftest import axe_violations
from tests.exchange.flow import COUNTY, GRANTED_COLUMNS, GRANTED_IDS, PASSWORD, make_flow, rows_path
from tests.exchange_requests.factories import in_days

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()


def log_out(page):
    page.get_by_role("button", name="退出登录").click()


def call(base: str, path: str, secret: str, **params) -> tuple[int, dict]:
    """A data-API GET over HTTP with the token alone (no session, no cookie)."""
    query = f"?{urllib.parse.urlencode(params)}" if params else ""
    request = urllib.request.Request(
        f"{base}{path}{query}", headers={"Authorization": f"Bearer {secret}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


def no_violations(page):
    assert axe_violations(page) == [], page.url


def test_request_approve_token_filtered_query_revoke_403(page, live_server):
    flow = make_flow()

    # The consumer asks for two fields of the rows of one county.
    log_in(page, flow.consumer)
    page.goto(f"/exchange/requests/new/?resource={flow.resource.pk}")
    page.get_by_label("用途").fill("核验纳税人登记信息")
    page.get_by_label("法律依据").fill("《税收征收管理法》第十五条")
    for column in ("编号（id）", "名称（name）"):
        page.get_by_label(column).check()
    page.get_by_label("仅限字段").select_option("county")
    page.get_by_label("取值为以下之一").fill(COUNTY)
    page.get_by_label("使用期限").fill(in_days(60).isoformat())
    page.get_by_role("button", name="存为草稿").click()
    expect(page.get_by_text("申请已存为草稿，请核对后提交。")).to_be_visible()
    page.get_by_role("button", name="提交", exact=True).click()
    expect(page.get_by_text("已提交：待提供方审批。")).to_be_visible()
    request_page = page.url
    log_out(page)

    # The provider's head approves it with reasons.
    log_in(page, flow.provider_head)
    page.goto("/exchange/approvals/")
    page.get_by_role("link", name=flow.resource.title).click()
    approve = page.locator("form[action$='/approve/']")
    approve.get_by_label("原因").fill("用于税务核验，依法同意")
    approve.get_by_role("button", name="同意并授权").click()
    expect(page.get_by_text("已同意，授权已生效。")).to_be_visible()
    log_out(page)
    grant = Grant.objects.get(consumer=flow.consumer_unit, resource=flow.resource)
    assert grant.columns == GRANTED_COLUMNS
    assert grant.row_filters == [{"column": "county", "op": "eq", "value": COUNTY}]

    # The consumer makes a token for the grant; its secret is shown once.
    log_in(page, flow.consumer)
    page.goto(request_page)
    page.get_by_role("link", name="我的令牌").click()
    page.get_by_label("名称", exact=True).fill("税务核验系统")
    page.get_by_label(f"{flow.resource.title}（{flow.resource.code}）").check()
    page.get_by_role("button", name="创建令牌").click()
    secret = page.locator("#token-secret").inner_text().strip()
    assert secret.startswith("szx_")
    no_violations(page)
    page.goto("/exchange/tokens/")
    expect(page.get_by_role("rowheader", name="税务核验系统", exact=True)).to_be_visible()
    assert secret not in page.content()

    # A filtered query over HTTP returns only the granted columns and rows.
    path = rows_path(flow)
    status, body = call(live_server.url, path, secret)
    assert status == 200 and {row["id"] for row in body["items"]} == GRANTED_IDS
    assert all(set(row) == set(GRANTED_COLUMNS) for row in body["items"])
    status, body = call(live_server.url, path, secret, id="2", fields="name")
    assert (status, body["items"]) == (200, [{"name": "兴庆乙店"}])
    assert call(live_server.url, path, secret, id="3")[1]["items"] == []
    status, body = call(live_server.url, path, secret, fields="id,phone")
    assert (status, body["type"]) == (400, "ungranted-column")
    page.get_by_role("link", name="调用记录").click()
    expect(page.get_by_role("cell", name="4", exact=True)).to_be_visible()
    no_violations(page)
    log_out(page)

    # The provider revokes the grant; the next request is refused.
    log_in(page, flow.provider_head)
    page.goto("/exchange/grants/")
    page.get_by_label("原因").fill("核验已完成")
    page.get_by_role("button", name="撤销").click()
    expect(page.get_by_text("授权已撤销，数据接口即刻起拒绝该授权下的请求。")).to_be_visible()
    status, body = call(live_server.url, path, secret)
    assert (status, body["type"]) == (403, "grant-missing")
    assert "兴庆" not in json.dumps(body, ensure_ascii=False)
