"""Fixtures of the hotline tests: the registry with the sample bureaus, the sample catalog."""

import pytest

from shuzheng.accounts.choices import Role
from shuzheng.accounts.models import User
from shuzheng.hotline.services import load_sample_catalog
from shuzheng.orgs.models import Unit
from shuzheng.orgs.services import load_sample_registry


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Attachments of every hotline test go to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def catalog(db):
    load_sample_registry()
    load_sample_catalog()


def make_user(username, role, unit=None):
    user = User(username=username, role=role, unit=unit, email=f"{username}@example.org")
    user.set_password("Shuzheng-2023!")
    user.save()
    return user


@pytest.fixture
def operator(catalog):
    return make_user("operator", Role.SUPERVISOR)


@pytest.fixture
def unit_staff(catalog):
    """Staff of 兴庆区人力资源和社会保障局."""
    return make_user(
        "xqrs", Role.UNIT_STAFF, Unit.objects.get(code="xingqing-human-resources-social-security")
    )
