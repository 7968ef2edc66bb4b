"""Overdue requests under supervision (督办): each becomes a ledger task (issue 15, point 3).

A request still open when its resolution limit has passed is handed to the key-task ledger
as a supervised task assigned to the unit handling it, so the ledger's own rules take over —
its status lights, its reminders (催办) and red-light notices through the notification
channels, its assessment — rather than a second set of hotline reminders. Idempotent: a
request is supervised once.
"""

from __future__ import annotations

from django.db import transaction

from shuzheng import clock
from shuzheng.audit.services import record_change
from shuzheng.hotline import deadlines, selectors
from shuzheng.hotline.choices import CLOSED_STATES
from shuzheng.hotline.models import ServiceRequest
from shuzheng.tasks.services.supervision import assign, create_task

#: Working days the supervised unit is given to finish once the request is overdue.
SUPERVISION_WORKING_DAYS = 3
#: The ledger category of the supervised tasks.
LEDGER_CATEGORY = "12345热线督办"


def overdue_requests(now=None):
    """Open requests past their resolution limit and not yet under supervision (a merged
    request is not: its master carries the work)."""
    now = now or clock.now()
    return (
        selectors.requests_with_lead()
        .filter(resolution_due_at__lt=now, supervised_task__isnull=True, master__isnull=True)
        .exclude(state__in=CLOSED_STATES)
        .order_by("resolution_due_at", "pk")
    )


def supervise_overdue(*, actor=None) -> int:
    """Turn every overdue request into a supervised ledger task; the number turned."""
    turned = 0
    for request in overdue_requests():
        unit = selectors.current_lead_unit(request)
        if unit is None:
            continue  # waiting for a dispute's decision: the disputes list shows it
        with transaction.atomic():
            locked = ServiceRequest.objects.select_for_update().get(pk=request.pk)
            if locked.supervised_task_id is not None:
                continue
            due = deadlines.add_working_days(clock.today(), SUPERVISION_WORKING_DAYS)
            task = create_task(
                category=LEDGER_CATEGORY,
                content=(
                    f"12345热线诉求{request.number}逾期未办结（{request.category.name}，"
                    f"{request.region.name}），请于{due.year}年{due.month}月{due.day}日前"
                    "办结并答复来电人。"
                ),
                responsibility=unit.name,
                deadline=f"{due.year}年{due.month}月{due.day}日",
                actor=actor,
            )
            assign(task, unit, actor=actor)
            locked.supervised_task = task
            locked.save(update_fields=["supervised_task"])
            record_change(
                actor=actor,
                action="hotline.supervise",
                obj=locked,
                after={"task": task.pk, "unit": unit.code},
            )
            turned += 1
    return turned
