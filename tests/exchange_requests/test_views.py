"""The requests part's pages: a request drafted, submitted, approved and revoked through
them, refusals and bad input answered with messages, the objection mark shown."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shuzheng.exchange.models import Grant
from shuzheng.exchange.request_models import DataRequest, Objection
from tests.exchange_requests.factories import in_days, make_resource, publish_rows

pytestmark = pytest.mark.django_db


def _form(**changes):
    data = {
        "purpose": "核验纳税人登记信息",
        "legal_basis": "《税收征收管理法》第十五条",
        "columns": ["id", "name"],
        "filter_column": "county",
        "filter_values": "兴庆区，金凤区",
        "needed_until": in_days(30).isoformat(),
    }
    data.update(changes)
    return data


def test_request_approved_and_revoked_through_the_pages(client, units, people, conditional):
    client.force_login(people["consumer_staff"])
    page = client.get(f"/exchange/requests/new/?resource={conditional.pk}")
    assert page.status_code == 200 and "所在县区" in page.text
    answer = client.post(f"/exchange/requests/new/?resource={conditional.pk}", _form())
    request = DataRequest.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/exchange/requests/{request.pk}/"
    assert request.row_filters == [{"column": "county", "op": "in", "value": ["兴庆区", "金凤区"]}]
    client.post(f"/exchange/requests/{request.pk}/submit/")
    assert DataRequest.objects.get().state == "submitted"
    # The consumer's staff cannot approve; the provider's head sees it waiting and approves.
    assert (
        client.post(f"/exchange/requests/{request.pk}/approve/", {"reason": "x"}).status_code == 403
    )
    client.force_login(people["provider_head"])
    assert conditional.title in client.get("/exchange/approvals/").text
    missing = client.post(f"/exchange/requests/{request.pk}/approve/", {"columns": ["id"]})
    assert missing.status_code == 400 and not Grant.objects.exists()
    client.post(
        f"/exchange/requests/{request.pk}/approve/",
        {"reason": "同意", "columns": ["id"], "expires_on": in_days(10).isoformat()},
    )
    grant = Grant.objects.get()
    assert grant.columns == ["id"] and grant.expires_at.date() == in_days(10)
    listed = client.get("/exchange/grants/")
    assert conditional.title in listed.text
    # Granted columns are named as the catalog names its items (编号), not by column (id).
    assert "<td>编号</td>" in listed.text
    client.post(f"/exchange/grants/{grant.pk}/revoke/", {"reason": "用途已结束"})
    grant.refresh_from_db()
    assert grant.revoked_at is not None and grant.revoke_reason == "用途已结束"


def test_bad_request_input_is_answered_with_messages(client, units, people, conditional):
    client.force_login(people["consumer_staff"])
    answer = client.post(
        f"/exchange/requests/new/?resource={conditional.pk}",
        _form(purpose="", needed_until=in_days(-3).isoformat(), columns=["id", "phone' OR 1=1"]),
    )
    assert answer.status_code == 400
    assert not DataRequest.objects.exists()
    # A nonsense resource parameter is ignored (the demand form), never a 500.
    assert client.get("/exchange/requests/new/?resource=abc").status_code == 200


@pytest.mark.chinese_ui
def test_core_data_is_refused_on_the_page_in_chinese(client, units, people):
    core = make_resource(units[0], share_type="unconditional", grade="core")
    client.force_login(people["consumer_staff"])
    client.post(f"/exchange/requests/new/?resource={core.pk}", _form(filter_values=""))
    request = DataRequest.objects.get()
    client.post(f"/exchange/requests/{request.pk}/submit/")
    page = client.get(f"/exchange/requests/{request.pk}/")
    assert "核心数据一律不予共享" in page.text
    assert "已拒绝" in page.text or "不予" in page.text


@pytest.mark.chinese_ui
def test_objection_shows_the_mark_until_answered(client, units, people, conditional):
    publish_rows(conditional, [{"id": "1", "name": "甲", "county": "兴庆区"}])
    Grant.objects.create(
        consumer=units[1], resource=conditional, columns=["id"], purpose="核验",
        expires_at="2099-01-01T00:00:00Z", granted_at="2024-01-01T00:00:00Z",
    )  # fmt: skip
    client.force_login(people["consumer_staff"])
    answer = client.post(
        "/exchange/objections/new/",
        {
            "resource": conditional.pk,
            "record_key": "1",
            "description": "名称有误",
            "evidence": SimpleUploadedFile("证明.txt", "营业执照变更".encode("gb18030")),
        },
    )
    objection = Objection.objects.get()
    assert answer.status_code == 302
    page = client.get(f"/exchange/objections/{objection.pk}/")
    assert "异议处理中" in page.text
    assert client.get(f"/exchange/objections/{objection.pk}/evidence/").status_code == 200
    client.force_login(people["provider_staff"])
    assert "异议处理中" in client.get("/exchange/objections/").text
    client.post(
        f"/exchange/objections/{objection.pk}/answer/", {"decision": "confirm", "answer": "已更正"}
    )
    page = client.get(f"/exchange/objections/{objection.pk}/")
    assert "已确认并更正" in page.text and 'id="objection-mark"' not in page.text


def refused_through_the_pages(client, people, resource) -> DataRequest:
    """A consumer's request for ``resource``, submitted and refused by the provider's head."""
    client.force_login(people["consumer_staff"])
    client.post(f"/exchange/requests/new/?resource={resource.pk}", _form())
    request = DataRequest.objects.get()
    client.post(f"/exchange/requests/{request.pk}/submit/")
    client.force_login(people["provider_head"])
    client.post(f"/exchange/requests/{request.pk}/refuse/", {"reason": "超出职责"})
    return request


def test_statistics_per_unit(client, units, people, conditional):
    refused_through_the_pages(client, people, conditional)
    client.force_login(people["office"])
    page = client.get("/exchange/statistics/")
    assert page.status_code == 200
    row = page.context["rows"][0]
    assert row["unit"] == units[0].name and row["decided"] == 1 and row["approval_rate"] == 0


def test_a_demand_is_routed_to_a_provider_named_in_the_unit_box(client, units, people):
    """The routing form takes the provider by name through the one resolver (issue 14,
    point 5: no form asks for a raw unit id); a name that is no unit is refused in words."""
    from tests.exchange_requests.world import _request

    provider, consumer, _other = units
    demand = _request(consumer, None, None, "routing", demand="年报数据")
    client.force_login(people["office"])
    unknown = client.post(f"/exchange/requests/{demand.pk}/route/", {"provider": "自治区不存在厅"})
    assert unknown.status_code == 400 and "自治区不存在厅" in unknown.text
    demand.refresh_from_db()
    assert demand.provider is None
    routed = client.post(f"/exchange/requests/{demand.pk}/route/", {"provider": provider.name})
    assert routed.status_code == 302
    demand.refresh_from_db()
    assert demand.provider == provider
