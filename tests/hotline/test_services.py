"""Intake, routing across levels, 退单, disputes, replies and callbacks."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest

from shuzheng import clock
from shuzheng.audit.models import AuditEvent
from shuzheng.hotline.choices import AssignmentState, CallbackBy, RequestState
from shuzheng.hotline.models import Caller, Dispute, ServiceRequest
from shuzheng.hotline.services import (
    HotlineError,
    Intake,
    IntakeError,
    call_back,
    decide_dispute,
    lead_assignment,
    reply,
    return_assignment,
    submit_request,
)
from shuzheng.orgs.models import Unit

WAGES = "老板拖欠工资三个月，多次讨要未果。"


def wage_request(**changes):
    values = {
        "service_code": "wage-arrears",
        "description": WAGES,
        "address_string": "银川市兴庆区解放西街12号",
        "name": "张三",
        "phone": "13912345678",
    }
    values.update(changes)
    return submit_request(Intake(**values))


def test_a_request_is_routed_to_the_lowest_level_the_duty_map_names(catalog):
    request = wage_request()
    assert request.state == RequestState.DISPATCHED
    assert request.region.code == "640104"
    assert lead_assignment(request).unit.code == "xingqing-human-resources-social-security"
    assert request.routing["region"] == "兴庆区"
    assert AuditEvent.objects.filter(action="hotline.submit", object_id=str(request.pk)).exists()


def test_a_township_request_climbs_to_the_county_when_the_township_has_no_entry(catalog):
    request = wage_request(address_string="银川市兴庆区掌政镇")
    assert request.region.code == "640104100"
    assert lead_assignment(request).unit.code == "xingqing-human-resources-social-security"


def test_without_a_duty_entry_the_local_government_answers(catalog):
    request = submit_request(
        Intake(
            service_code="market-consumer",
            description="商家价格欺诈",
            address_string="固原市西吉县",
        )
    )
    # The duty map names 固原市市场监督管理局 at city level: the city is above 西吉县.
    assert lead_assignment(request).unit.code == "guyuan-market-regulation"


def test_the_general_service_is_classified_from_the_description(catalog):
    request = submit_request(
        Intake(
            service_code="general",
            description="小区门口有人占道摆摊，垃圾乱堆",
            address_string="石嘴山市大武口区",
        )
    )
    assert request.chosen_category.code == "general"
    assert request.category.code == "urban-appearance"
    assert lead_assignment(request).unit.code == "shizuishan-urban-management"
    assert "占道" in request.routing["classified"]


def test_deadlines_are_working_days_across_the_national_day(catalog):
    received = dt.datetime(2026, 9, 30, 10, 0, tzinfo=dt.UTC)
    with clock.frozen_at(received):
        request = wage_request()
    local = request.response_due_at.astimezone(ZoneInfo("Asia/Shanghai"))
    assert local.date() == dt.date(2026, 10, 8)
    urgent = None
    with clock.frozen_at(received):
        urgent = wage_request(urgent=True)
    assert urgent.resolution_due_at - received == dt.timedelta(hours=24)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"service_code": "no-such"}, "service_code"),
        ({"description": "字" * 4001}, "description"),
        ({"address_string": "", "lat": "39.9", "long": "116.4"}, "lat"),
        ({"address_string": "北京市朝阳区"}, "address_string"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(catalog, changes, field):
    with pytest.raises(IntakeError) as refused:
        wage_request(**changes)
    assert refused.value.field == field
    assert not ServiceRequest.objects.exists()
    assert not Caller.objects.exists()


def test_a_missing_required_attribute_and_a_non_image_upload_are_refused(catalog):
    with pytest.raises(IntakeError) as refused:
        submit_request(Intake(service_code="street-light", address_string="银川市金凤区"))
    assert refused.value.field == "attribute[pole_number]"
    fake = io.BytesIO(b"MZ\x90\x00 not a picture")
    fake.name = "photo.png"
    fake.size = len(fake.getvalue())
    with pytest.raises(IntakeError) as refused:
        wage_request(files=[fake])
    assert refused.value.field == "media"
    assert not ServiceRequest.objects.exists()


def test_return_reroutes_then_two_returns_open_a_dispute_a_supervisor_decides(catalog, operator):
    request = wage_request()
    first = lead_assignment(request)
    return_assignment(first, reason="欠薪属劳动仲裁", actor=None)
    second = lead_assignment(request)
    # 兴庆区 returned it: the next level up, 银川市, is asked.
    assert second.unit.code == "yinchuan-human-resources-social-security"
    return_assignment(second, reason="应由区县处理", actor=None)
    request.refresh_from_db()
    assert request.state == RequestState.ACCEPTED
    dispute = Dispute.objects.get(request=request)
    xingqing = Unit.objects.get(code="xingqing-human-resources-social-security")
    decide_dispute(dispute, xingqing, note="属地管理", actor=operator)
    assert lead_assignment(request).unit == xingqing
    with pytest.raises(HotlineError):
        return_assignment(first, reason="again", actor=None)


def test_reply_then_dissatisfied_reopens_then_satisfied_closes(catalog, unit_staff):
    request = wage_request()
    unit = unit_staff.unit
    reply(request, unit, text="已约谈企业，限期支付。", actor=unit_staff)
    request.refresh_from_db()
    assert request.state == RequestState.RESOLVED
    call_back(request, satisfaction="dissatisfied", by=CallbackBy.CALLER)
    request.refresh_from_db()
    assert request.state == RequestState.REOPENED
    assert request.reopen_count == 1
    assert lead_assignment(request).state == AssignmentState.ACCEPTED
    reply(request, unit, text="工资已全部支付。", actor=unit_staff)
    call_back(request, satisfaction="satisfied", by=CallbackBy.OPERATOR)
    request.refresh_from_db()
    assert request.state == RequestState.VISITED
    with pytest.raises(HotlineError):
        call_back(request, satisfaction="satisfied", by=CallbackBy.OPERATOR)


def test_only_the_handling_unit_replies(catalog):
    request = wage_request()
    with pytest.raises(HotlineError):
        reply(request, Unit.objects.get(code="nx-general-office"), text="答复", actor=None)
