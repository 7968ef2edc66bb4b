import pytest

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
