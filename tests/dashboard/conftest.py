"""Fixtures of the dashboard tests: the sample ledger, a supervisor, a settable clock."""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from shuzheng import clock
from shuzheng.accounts.choices import Role
from shuzheng.accounts.models import User
from shuzheng.dashboard.samples import load_sample_rules, sample_rules_data
from shuzheng.documents.services import ingest_file
from shuzheng.orgs.services import load_sample_registry
from shuzheng.tasks.models import KeyTask
from shuzheng.tasks.services.lights import refresh_stale_lights

SAMPLE = Path(settings.BASE_DIR) / "data" / "samples" / "ningxia-gazette-2023-10.txt"
OPINION = "宁政发〔2023〕17号"
#: The dashboard's day in these tests: 2023 milestones are overdue, 2024 ones are not yet.
TODAY = dt.date(2024, 3, 1)


@pytest.fixture
def sample_ledger(db):
    """The sample gazette's 144 key tasks (宁政发〔2023〕17号 and the eco-compensation measures)."""
    load_sample_registry()
    ingest_file(SAMPLE.read_bytes(), SAMPLE.name, actor=None)


@pytest.fixture
def today():
    """The clock on TODAY, and the lights brought up to date for it as the scheduled
    refresh does at the start of a day (a GET never refreshes them)."""
    clock.set_now(TODAY)
    refresh_stale_lights(TODAY)
    yield TODAY
    clock.set_now(None)


def table_task(number: int) -> KeyTask:
    return KeyTask.objects.get(document__doc_number=OPINION, form="table", number=number)


def make_user(username, role, unit=None):
    user = User(username=username, role=role, unit=unit)
    user.set_password("Shuzheng-2023!")
    user.save()
    return user


@pytest.fixture
def supervisor(db):
    return make_user("dash_supervisor", Role.SUPERVISOR)


@pytest.fixture
def assessed(sample_ledger, supervisor):
    """Two units with a year of supervision in 2023, written as the cycle leaves it.

    自治区政府办公厅 was assigned task 19 on 2023-06-10, reported monthly June to October,
    claimed completion on 2023-11-20 and was rated 4 at the closure on 2023-11-30; 银川市人民政府
    was assigned task 37 on 2023-06-10 and reported in June, July and September only. The
    2023 rules are the sample's, stored as ``shuzheng loadsample`` stores them.
    """
    load_sample_rules()
    from shuzheng.orgs.models import Unit
    from shuzheng.tasks.models import Assignment, ProgressReport

    office = Unit.objects.get(code="nx-general-office")
    yinchuan = Unit.objects.get(name="银川市人民政府")
    task19, task37 = table_task(19), table_task(37)
    Assignment.objects.create(
        task=task19, unit=office, assigned_on=dt.date(2023, 6, 10), state="undertaken", rating=4
    )
    Assignment.objects.create(
        task=task37, unit=yinchuan, assigned_on=dt.date(2023, 6, 10), state="undertaken"
    )
    reports = [(task19, office, dt.date(2023, month, 25), False) for month in range(6, 11)]
    reports.append((task19, office, dt.date(2023, 11, 20), True))
    reports += [(task37, yinchuan, dt.date(2023, month, 28), False) for month in (6, 7, 9)]
    for task, unit, day, claim in reports:
        ProgressReport.objects.create(
            task=task,
            unit=unit,
            reported_on=day,
            created_at=dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC),
            text="进展",
            claims_completion=claim,
        )
    KeyTask.objects.filter(pk=task19.pk).update(
        closure="confirmed", closed_on=dt.date(2023, 11, 30)
    )
    # As tasks.services.close does: the open milestones count as achieved on the claim's day.
    task19.milestones.filter(achieved_on__isnull=True).update(achieved_on=dt.date(2023, 11, 20))
    return {"office": office, "yinchuan": yinchuan}


@pytest.fixture
def faulty_rules_upload():
    """The sample rules with two faults: weights summing to 120 and an unknown tie-break id."""
    data = sample_rules_data()
    data["indicators"][0]["weight"] = 70
    data["tie_break"] = ["nobody"]
    return SimpleUploadedFile("rules.json", json.dumps(data).encode(), "application/json")
