"""The operators' console (keyboard first) and the supervisors' pages: caller history by
masked number, duplicates and suggestions while typing, phone callbacks, overdue requests,
disputes, rates and hot spots."""

import datetime as dt

from django.urls import reverse

from shuzheng import clock
from shuzheng.hotline import services
from shuzheng.hotline.models import Dispute, ServiceRequest
from shuzheng.hotline.services import Intake, lead_assignment, reply, submit_request
from shuzheng.orgs.models import Unit


def phone_request(description="小区门口占道经营，垃圾乱堆", phone="13600003333"):
    return submit_request(
        Intake(
            service_code="urban-appearance",
            description=description,
            address_string="银川市兴庆区",
            phone=phone,
            channel="phone",
        )
    )


def test_the_console_is_keyboard_first(client, catalog, operator):
    client.force_login(operator)
    html = client.get(reverse("hotline:console"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'name="phone"' in html and "autofocus" in html
    assert 'accesskey="1"' in html and 'accesskey="3"' in html
    # The number comes before the category and the description.
    assert (
        html.index('name="phone"')
        < html.index('name="service_code"')
        < html.index('name="description"')
    )


def test_caller_history_by_number_shows_it_masked(client, catalog, operator):
    earlier = phone_request()
    client.force_login(operator)
    answer = client.post(reverse("hotline:caller_history"), {"phone": "136-0000-3333"})
    html = answer.content.decode()
    assert earlier.number in html and "136****3333" in html
    assert "13600003333" not in html
    nobody = client.post(reverse("hotline:caller_history"), {"phone": "13900000000"})
    assert earlier.number not in nobody.content.decode()


def test_hints_show_duplicates_and_the_suggestion_with_its_reason(client, catalog, operator):
    earlier = phone_request()
    client.force_login(operator)
    answer = client.post(
        reverse("hotline:console_hints"),
        {"description": "小区门口有人占道经营", "address_string": "银川市兴庆区"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    html = answer.content.decode()
    assert earlier.number in html  # same place, same topic, within 7 days
    assert 'data-pick="urban-appearance"' in html
    assert "占道" in html and "兴庆区城市管理局" in html
    empty = client.post(reverse("hotline:console_hints"), {"description": ""})
    assert earlier.number not in empty.content.decode()


def test_the_operator_files_a_call_and_records_the_phone_callback(client, catalog, operator):
    client.force_login(operator)
    answer = client.post(
        reverse("hotline:console"),
        {
            "phone": "13600003333",
            "service_code": "general",
            "description": "小区门口有人占道摆摊",
            "address_string": "银川市兴庆区",
        },
    )
    assert answer.status_code == 302
    request = ServiceRequest.objects.get()
    assert request.channel == "phone" and request.category.code == "urban-appearance"
    assert request.routing["classified_by"] == "suggestion"
    reply(request, lead_assignment(request).unit, text="已清理", actor=None)
    client.post(reverse("hotline:callback", args=[request.number]), {"satisfaction": "satisfied"})
    request.refresh_from_db()
    assert request.state == "visited"


def test_a_refused_console_entry_changes_nothing(client, catalog, operator):
    client.force_login(operator)
    answer = client.post(
        reverse("hotline:console"),
        {"phone": "1", "service_code": "general", "description": "", "address_string": ""},
    )
    assert answer.status_code == 400 and not ServiceRequest.objects.exists()


def test_classification_falls_back_to_keywords_when_nothing_was_learned(catalog, monkeypatch):
    monkeypatch.setattr(services.selectors, "suggestions", lambda *args, **kwargs: [])
    request = submit_request(
        Intake(service_code="general", description="占道经营", address_string="银川市兴庆区")
    )
    assert request.category.code == "urban-appearance"
    assert request.routing["classified_by"] == "keywords"


def test_an_overdue_request_is_red_on_the_overdue_list(client, catalog, operator):
    with clock.frozen_at(dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)):
        late = phone_request()
    fresh = phone_request(description="路边垃圾桶满溢", phone="")
    client.force_login(operator)
    html = client.get(reverse("hotline:overdue"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert late.number in html and fresh.number not in html
    assert "light-red" in html
    red = client.get(reverse("hotline:mine"), {"light": "red"}).content.decode()
    assert late.number in red and fresh.number not in red


def test_a_supervisor_decides_a_dispute(client, catalog, operator):
    request = submit_request(
        Intake(service_code="wage-arrears", description="拖欠工资", address_string="银川市兴庆区")
    )
    services.return_assignment(lead_assignment(request), reason="不在本区", actor=None)
    services.return_assignment(lead_assignment(request), reason="不归市级", actor=None)
    dispute = Dispute.objects.get()
    client.force_login(operator)
    html = client.get(reverse("hotline:disputes")).content.decode()
    assert request.number in html and "不在本区" in html and "不归市级" in html
    refused = client.post(reverse("hotline:decide", args=[dispute.pk]), {"unit": "没有这个单位"})
    assert refused.status_code == 302
    dispute.refresh_from_db()
    assert dispute.state == "open"
    client.post(
        reverse("hotline:decide", args=[dispute.pk]), {"unit": "兴庆区人力资源和社会保障局"}
    )
    dispute.refresh_from_db()
    assert dispute.state == "decided"
    assert lead_assignment(request).unit == Unit.objects.get(
        code="xingqing-human-resources-social-security"
    )


def test_rates_and_hot_spots(client, catalog, operator):
    request = phone_request()
    services.accept(lead_assignment(request), actor=None)
    reply(request, lead_assignment(request).unit, text="已处理", actor=None)
    services.call_back(request, satisfaction="satisfied", by="operator")
    client.force_login(operator)
    html = client.get(reverse("hotline:rates"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "兴庆区城市管理局" in html and "100.0%" in html and "银川市" in html
    spots = client.get(reverse("hotline:hot_spots")).content.decode()
    assert "市容环境" in spots and "兴庆区" in spots
