"""The periodic jobs call the apps' services with the platform clock's day."""

import datetime as dt

import pytest

from shuzheng import clock
from shuzheng.accounts.choices import Role
from shuzheng.accounts.models import User
from shuzheng.dashboard.models import DashboardSnapshot
from shuzheng.dashboard.tasks import refresh_dashboard
from shuzheng.notifications.models import Notification
from shuzheng.notifications.tasks import deliver_notifications
from shuzheng.orgs.models import Region, Unit
from shuzheng.tasks.tasks import refresh_lights, send_reminders
from tests.tasks.factories import assign, make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    region = Region.objects.create(code="640100", name="银川市", level="city")
    unit = Unit.objects.create(
        code="yc-gov", name="银川市人民政府", kind="government", region=region
    )
    assign(make_task(37, unit, due=dt.date(2024, 12, 31)), unit)
    return User.objects.create_user(
        "yc_staff", role=Role.UNIT_STAFF, unit=unit, email="yc@example.org"
    )


def test_reminders_wait_for_office_hours_of_the_clocks_day(staff, settings):
    settings.LEDGER_REMIND_HOUR = 8
    with clock.frozen_at(dt.datetime(2024, 12, 30, 7, 59)):
        assert send_reminders.call() == "waiting until 8:00"
    assert not Notification.objects.exists()
    with clock.frozen_at(dt.datetime(2024, 12, 30, 8, 0)):
        assert "1 reminders" in send_reminders.call()
        assert "0 reminders" in send_reminders.call()  # the service dedupes a second run
    assert Notification.objects.get(recipient=staff).dedupe_key.endswith(":2024-12-30")


def test_the_lights_and_the_dashboard_are_judged_on_the_clocks_day(staff):
    with clock.frozen_at(dt.date(2025, 1, 2)):
        assert "as of 2025-01-02" in refresh_lights.call()
        assert refresh_dashboard.call().startswith("2025-01-02")
    assert DashboardSnapshot.objects.get().as_of == dt.date(2025, 1, 2)


def test_the_delivery_job_sends_the_queued_mail(staff, smtp_server):
    with clock.frozen_at(dt.datetime(2024, 12, 30, 9, 0)):
        send_reminders.call()
        assert deliver_notifications.call() == {"claimed": 1, "sent": 1, "failed": 0, "dead": 0}
    assert len(smtp_server.received) == 1
