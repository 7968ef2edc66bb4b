"""Reopening after 不满意 (issue 15, points 3 and 4): a new resolution limit from the reopen
time on the statutory calendar, shown, red once passed and supervised afresh."""

import datetime as dt

from shuzheng import clock
from shuzheng.audit.models import AuditEvent
from shuzheng.hotline import selectors, supervision
from shuzheng.hotline.choices import CallbackBy, RequestState
from shuzheng.hotline.models import ServiceRequest
from shuzheng.hotline.services import Intake, call_back, reply, submit_request

CST = dt.timezone(dt.timedelta(hours=8))
WAGES = {
    "service_code": "wage-arrears",
    "description": "老板拖欠工资三个月，多次讨要未果。",
    "address_string": "银川市兴庆区解放西街12号",
}


def test_a_reopened_request_is_due_by_working_days_from_the_reopen_across_the_holiday(
    catalog, unit_staff, client
):
    with clock.frozen_at(dt.datetime(2026, 9, 14, 9, 0, tzinfo=CST)):
        request = submit_request(Intake(**WAGES))
        reply(request, unit_staff.unit, text="已约谈企业，限期支付。", actor=unit_staff)
    # Received 14 September: 10 working days → 28 September.
    assert request.resolution_due_at.astimezone(CST).date() == dt.date(2026, 9, 28)
    with clock.frozen_at(dt.datetime(2026, 9, 30, 10, 0, tzinfo=CST)):
        call_back(request, satisfaction="dissatisfied", by=CallbackBy.CALLER)
    request.refresh_from_db()
    assert request.state == RequestState.REOPENED
    # 10 working days after 30 September: 1–7 October are the National Day holiday and
    # Saturday 10 October is a make-up working day (Monday–Friday alone would give 14 October).
    assert request.resolution_due_at == dt.datetime(2026, 10, 20, 23, 59, 59, tzinfo=CST)
    event = AuditEvent.objects.get(action="hotline.reopen", object_id=str(request.pk))
    assert event.after["resolution_due_at"].startswith("2026-10-20T23:59:59")
    with clock.frozen_at(dt.datetime(2026, 10, 9, 10, 0, tzinfo=CST)):
        assert request not in selectors.overdue()
        page = client.get(f"/hotline/track/{request.number}/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert "2026-10-20 23:59" in page.content.decode()


def test_a_reopened_request_overdue_again_is_red_and_supervised_afresh(
    catalog, unit_staff, operator
):
    with clock.frozen_at(dt.datetime(2026, 9, 1, 9, 0, tzinfo=CST)):
        request = submit_request(Intake(**WAGES))
    with clock.frozen_at(dt.datetime(2026, 9, 20, 9, 0, tzinfo=CST)):
        assert supervision.supervise_overdue(actor=operator) == 1
        request.refresh_from_db()
        earlier = request.supervised_task_id
        reply(request, unit_staff.unit, text="已约谈企业，限期支付。", actor=unit_staff)
        call_back(request, satisfaction="dissatisfied", by=CallbackBy.CALLER)
    request.refresh_from_db()
    assert earlier is not None and request.supervised_task_id is None
    event = AuditEvent.objects.get(action="hotline.reopen", object_id=str(request.pk))
    assert event.after["earlier_supervised_task"] == earlier
    with clock.frozen_at(dt.datetime(2026, 11, 2, 9, 0, tzinfo=CST)):
        assert request in selectors.overdue()
        assert supervision.supervise_overdue(actor=operator) == 1
    request = ServiceRequest.objects.get(pk=request.pk)
    assert request.supervised_task_id not in (None, earlier)


def test_an_intake_that_meets_a_taken_number_takes_the_next(catalog, monkeypatch):
    """Two intakes at once on PostgreSQL read the same last number: the second one's insert
    breaks the number's uniqueness and is retried under a fresh number, nothing half-written."""
    from shuzheng.hotline import services

    first = submit_request(Intake(**WAGES))
    real = services._next_number
    answers = iter([first.number])
    monkeypatch.setattr(services, "_next_number", lambda now: next(answers, None) or real(now))
    second = submit_request(Intake(**WAGES))
    assert second.number != first.number
    assert ServiceRequest.objects.count() == 2
