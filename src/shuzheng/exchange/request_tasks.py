"""The requests part's background jobs: reminders (催办) of answers falling due."""

import datetime as dt

from django.tasks import task
from django.utils.translation import gettext_lazy as _

from shuzheng.exchange.objection_services import send_objection_reminders
from shuzheng.exchange.request_services import send_request_reminders
from shuzheng.worker.periodic import periodic


@periodic(every=dt.timedelta(hours=1), label=_("Remind of data requests and objections due"))
@task
def remind_exchange_answers_due() -> str:
    """Requests and objections whose answer is due within a day or overdue: one reminder
    each per step and urgency (idempotent)."""
    requests = send_request_reminders()
    objections = send_objection_reminders()
    return f"{requests} request reminders, {objections} objection reminders sent"
