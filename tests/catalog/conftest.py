"""Fixtures of the catalog tests: the registry, the sample catalog, a provider's staff and
the catalog office."""

import pytest

from shuzheng.accounts.choices import Role
from shuzheng.accounts.models import User
from shuzheng.catalog.samples import load_sample_catalog
from shuzheng.orgs.models import Unit
from shuzheng.orgs.services import load_sample_registry


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Distribution files of every catalog test go to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def registry(db):
    load_sample_registry()


@pytest.fixture
def sample_catalog(registry):
    load_sample_catalog()


def make_user(username, role, unit=None):
    user = User(username=username, role=role, unit=unit, email=f"{username}@example.org")
    user.set_password("Shuzheng-2023!")
    user.save()
    return user


@pytest.fixture
def provider_staff(registry):
    """Staff of 自治区文化和旅游厅."""
    return make_user("wlt", Role.UNIT_STAFF, Unit.objects.get(code="nx-culture-tourism"))


@pytest.fixture
def other_staff(registry):
    """Staff of 自治区教育厅."""
    return make_user("jyt", Role.UNIT_STAFF, Unit.objects.get(code="nx-education"))


@pytest.fixture
def office(registry):
    """The catalog office (编目审核)."""
    return make_user("office", Role.SUPERVISOR)
