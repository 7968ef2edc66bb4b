"""The units' pages: 我的工单 with its filters, the request page (the caller in full for the
handling unit only, each read audited), 签收, 退单 with the reason, 答复 and the survey link."""

import datetime as dt
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shuzheng import clock
from shuzheng.accounts.choices import Role
from shuzheng.audit.models import AuditEvent
from shuzheng.hotline.models import Callback, ServiceRequest
from shuzheng.hotline.services import Intake, lead_assignment, submit_request
from shuzheng.notifications.models import Notification
from shuzheng.orgs.models import Unit
from tests.hotline.conftest import make_user

XINGQING = "xingqing-human-resources-social-security"
YINCHUAN = "yinchuan-human-resources-social-security"


def wage_request(actor=None, **changes):
    values = {
        "service_code": "wage-arrears",
        "description": "工地拖欠农民工工资两个月",
        "address_string": "银川市兴庆区",
        "name": "赵六",
        "phone": "13700001234",
        "email": "zhao@example.org",
        "caller_address": "银川市兴庆区解放东街1号",
    }
    return submit_request(Intake(**(values | changes)), actor=actor)


def staff_of(code, username=None):
    return make_user(username or code[:20], Role.UNIT_STAFF, Unit.objects.get(code=code))


def test_my_requests_lists_my_units_requests_with_filters(client, catalog):
    mine = wage_request()
    other = submit_request(
        Intake(
            service_code="environment",
            description="工厂夜间排放异味",
            address_string="银川市兴庆区",
        )
    )
    client.force_login(staff_of(XINGQING))
    page = client.get(reverse("hotline:mine"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = page.content.decode()
    assert page.status_code == 200
    assert mine.number in html and other.number not in html
    filtered = client.get(reverse("hotline:mine"), {"state": "in_progress"})
    assert mine.number not in filtered.content.decode()
    green = client.get(reverse("hotline:mine"), {"light": "green", "category": "wage-arrears"})
    assert mine.number in green.content.decode()
    bad = client.get(reverse("hotline:mine"), {"since": "2026-13-40", "light": "purple"})
    assert bad.status_code == 200


def test_the_handling_unit_reads_the_caller_and_each_read_is_audited(client, catalog):
    request = wage_request()
    client.force_login(staff_of(XINGQING))
    page = client.get(reverse("hotline:detail", args=[request.number]))
    html = page.content.decode()
    assert "赵六" in html and "13700001234" in html and "解放东街1号" in html
    client.get(reverse("hotline:detail", args=[request.number]))
    reads = AuditEvent.objects.filter(action="hotline.read_caller", object_id=str(request.pk))
    assert reads.count() == 2


def test_a_supervisor_sees_the_caller_masked_and_no_read_is_recorded(client, catalog, operator):
    request = wage_request()
    client.force_login(operator)
    html = client.get(reverse("hotline:detail", args=[request.number])).content.decode()
    assert "137****1234" in html and "赵*" in html
    assert "13700001234" not in html and "赵六" not in html
    assert not AuditEvent.objects.filter(action="hotline.read_caller").exists()


def test_another_units_staff_may_not_open_the_request(client, catalog):
    request = wage_request()
    client.force_login(staff_of("yinchuan-urban-management", "city_urban"))
    assert client.get(reverse("hotline:detail", args=[request.number])).status_code == 403


def test_accept_return_reply_and_the_survey_link(client, catalog):
    citizen = make_user("citizen", Role.CITIZEN)
    request = wage_request(actor=citizen)
    county, city = staff_of(XINGQING), staff_of(YINCHUAN, "city_staff")

    client.force_login(county)
    refused = client.post(reverse("hotline:return", args=[request.number]), {"reason": ""})
    assert refused.status_code == 302
    assert lead_assignment(request).unit.code == XINGQING
    client.post(reverse("hotline:return", args=[request.number]), {"reason": "企业注册在金凤区"})
    assert lead_assignment(request).unit.code == YINCHUAN
    # 兴庆区 no longer acts on it.
    assert client.post(reverse("hotline:accept", args=[request.number])).status_code == 403

    client.force_login(city)
    client.post(reverse("hotline:accept", args=[request.number]))
    request.refresh_from_db()
    assert request.state == "in_progress"
    client.post(reverse("hotline:reply", args=[request.number]), {"text": "已责令企业限期支付"})
    request.refresh_from_db()
    assert request.state == "resolved"

    notice = Notification.objects.get(recipient=citizen, kind="hotline_survey")
    survey = client.get(notice.link, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert survey.status_code == 200 and "已责令企业限期支付" in survey.content.decode()
    # A forged signature or another reply's id is no survey.
    forged = re.sub(r"/[0-9a-f]{32}/$", "/" + "0" * 32 + "/", notice.link)
    assert client.get(forged).status_code == 404
    client.logout()
    answered = client.post(notice.link, {"satisfaction": "dissatisfied", "comment": "没收到钱"})
    assert answered.status_code == 302
    request.refresh_from_db()
    assert request.state == "reopened"
    assert Callback.objects.get().by == "caller"
    # The link rates that reply once.
    again = client.post(notice.link, {"satisfaction": "satisfied"})
    assert again.status_code == 400
    assert Callback.objects.count() == 1


def test_a_phone_request_does_not_send_the_survey_to_the_operator(client, catalog, operator):
    client.force_login(operator)
    answer = client.post(
        reverse("hotline:console"),
        {
            "service_code": "wage-arrears",
            "description": "公司拖欠工资",
            "address_string": "银川市兴庆区",
            "phone": "13800002222",
        },
    )
    assert answer.status_code == 302
    request = ServiceRequest.objects.get()
    assert request.channel == "phone" and request.caller.user is None
    client.force_login(staff_of(XINGQING))
    client.post(reverse("hotline:reply", args=[request.number]), {"text": "已处理"})
    assert not Notification.objects.filter(kind="hotline_survey").exists()


def test_deadlines_on_the_page_count_working_days_across_a_holiday(client, catalog):
    with clock.frozen_at(dt.datetime(2026, 9, 30, 2, 0, tzinfo=dt.UTC)):
        request = wage_request()
    page = client.get(reverse("hotline:track_detail", args=[request.number]))
    assert "2026-10-08 23:59" in page.content.decode()


PDF = b"%PDF-1.7\n% a scan of the contract\n"


def test_attachments_download_for_who_reads_the_request_each_download_audited(client, catalog):
    scan = SimpleUploadedFile("劳动合同.pdf", PDF, content_type="application/pdf")
    request = wage_request(files=[scan])
    attachment = request.attachments.get()
    url = reverse("hotline:attachment", args=[request.number, attachment.pk])
    # The public tracking page never links an attachment (a scan may show the caller).
    public = client.get(reverse("hotline:track_detail", args=[request.number])).content.decode()
    assert url not in public
    assert client.get(url).status_code in (302, 403)

    client.force_login(staff_of("yinchuan-urban-management", "city_urban"))
    assert client.get(url).status_code == 403
    assert not AuditEvent.objects.filter(action="hotline.read_attachment").exists()

    client.force_login(staff_of(XINGQING))
    assert url in client.get(reverse("hotline:detail", args=[request.number])).content.decode()
    answer = client.get(url)
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content) == PDF
    assert answer["Content-Type"] == "application/pdf"
    assert "attachment" in answer["Content-Disposition"]
    read = AuditEvent.objects.get(action="hotline.read_attachment")
    assert read.object_id == str(request.pk)
    # Another request's attachment is not reached through this request's number.
    other = wage_request()
    assert (
        client.get(reverse("hotline:attachment", args=[other.number, attachment.pk])).status_code
        == 404
    )
