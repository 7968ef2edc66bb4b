"""Overdue requests become supervised ledger tasks assigned to the handling unit, once."""

import datetime as dt

from shuzheng import clock
from shuzheng.audit.models import AuditEvent
from shuzheng.hotline.services import Intake, reply, submit_request
from shuzheng.hotline.supervision import LEDGER_CATEGORY, overdue_requests, supervise_overdue
from shuzheng.notifications.models import Notification
from shuzheng.tasks.models import Assignment as LedgerAssignment


def test_an_overdue_request_becomes_a_supervised_ledger_task(catalog, unit_staff):
    received = dt.datetime(2026, 9, 28, 2, 0, tzinfo=dt.UTC)
    with clock.frozen_at(received):
        late = submit_request(
            Intake(service_code="wage-arrears", description="欠薪", address_string="银川市兴庆区")
        )
        answered = submit_request(
            Intake(service_code="wage-arrears", description="欠薪", address_string="银川市兴庆区")
        )
        reply(answered, unit_staff.unit, text="已处理", actor=unit_staff)
    # 10 working days after Monday 28 September 2026, across the National Day holiday (1–7
    # October) and with Saturday 10 October a make-up working day: Friday 16 October.
    with clock.frozen_at(dt.datetime(2026, 10, 16, 8, 0, tzinfo=dt.UTC)):
        assert list(overdue_requests()) == []
    with clock.frozen_at(dt.datetime(2026, 10, 17, 8, 0, tzinfo=dt.UTC)):
        assert [r.pk for r in overdue_requests()] == [late.pk]
        assert supervise_overdue() == 1
        assert supervise_overdue() == 0
    late.refresh_from_db()
    task = late.supervised_task
    assert task.category == LEDGER_CATEGORY and late.number in task.content
    assignment = LedgerAssignment.objects.get(task=task)
    assert assignment.unit == unit_staff.unit
    assert Notification.objects.filter(recipient=unit_staff).exists()
    assert AuditEvent.objects.filter(action="hotline.supervise", object_id=str(late.pk)).exists()
