import datetime

import pytest
from django.utils import timezone

from shuzheng.accounts.models import User


@pytest.fixture
def citizen(db):
    return User.objects.create_user("alice", password="a-Long-enough-pass-42", role="citizen")


@pytest.fixture
def supervisor(db):
    return User.objects.create_user("sam", password="a-Long-enough-pass-42", role="supervisor")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2's deliberate slowness protects real passwords, not test fixtures."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def system_time(monkeypatch):
    """The system time, moved on by the test: login limits and session lifetimes follow it
    (like the audit trail's timestamps), not the platform clock a demo may freeze."""
    moment = SystemTime(timezone.now())
    monkeypatch.setattr(timezone, "now", lambda: moment.now)
    return moment


class SystemTime:
    def __init__(self, now):
        self.now = now

    def advance(self, **delta):
        self.now += datetime.timedelta(**delta)
