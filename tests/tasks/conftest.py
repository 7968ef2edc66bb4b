"""Fixtures of the ledger tests: the sample gazette's key tasks, people, a settable clock."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings

from shuzheng import clock
from shuzheng.accounts.choices import Role
from shuzheng.accounts.models import User
from shuzheng.documents.services import ingest_file
from shuzheng.orgs.models import Unit
from shuzheng.orgs.services import load_sample_registry
from shuzheng.tasks.models import KeyTask

SAMPLE = Path(settings.BASE_DIR) / "data" / "samples" / "ningxia-gazette-2023-10.txt"
OPINION = "宁政发〔2023〕17号"
YINCHUAN = "银川市人民政府"


@pytest.fixture
def sample(db):
    """The sample gazette ingested: 124 table tasks of 宁政发〔2023〕17号 and 20 measures."""
    load_sample_registry()
    ingest_file(SAMPLE.read_bytes(), SAMPLE.name, actor=None)


def table_task(number: int) -> KeyTask:
    return KeyTask.objects.get(document__doc_number=OPINION, form="table", number=number)


@pytest.fixture
def task37(sample):
    """Task 37 (数据分钟级共享), 2024年, owned by 自治区各部门（单位） and 各地级市."""
    return table_task(37)


@pytest.fixture
def yinchuan(sample):
    return Unit.objects.get(name=YINCHUAN)


def make_user(username, role, unit=None, email=""):
    user = User(username=username, role=role, unit=unit, email=email or f"{username}@example.org")
    user.set_password("Shuzheng-2023!")
    user.save()
    return user


@pytest.fixture
def supervisor(db):
    return make_user("dc_supervisor", Role.SUPERVISOR)


@pytest.fixture
def staff(yinchuan):
    return make_user("yc_staff", Role.UNIT_STAFF, yinchuan)


@pytest.fixture
def head(yinchuan):
    return make_user("yc_head", Role.UNIT_HEAD, yinchuan)


@pytest.fixture
def other_staff(sample):
    return make_user("sz_staff", Role.UNIT_STAFF, Unit.objects.get(name="石嘴山市人民政府"))


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Evidence files of every ledger test go to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def at():
    """``at(date)`` sets the platform clock for the rest of the test."""

    def set_clock(day: dt.date):
        clock.set_now(day)

    yield set_clock
    clock.set_now(None)
