"""Fixtures of the trust tests: two units, a seal administrator, a unit head of each unit."""

import pytest

from shuzheng.accounts.choices import Role
from shuzheng.accounts.models import User
from shuzheng.orgs.models import Region, Unit


def make_user(username, role, unit=None):
    user = User(username=username, role=role, unit=unit)
    user.set_unusable_password()
    user.save()
    return user


@pytest.fixture
def units(db):
    region = Region.objects.create(code="640000", name="宁夏回族自治区", level="province")
    return {
        "finance": Unit.objects.create(
            code="finance", name="宁夏回族自治区财政厅", kind="department", region=region
        ),
        "water": Unit.objects.create(
            code="water", name="宁夏回族自治区水利厅", kind="department", region=region
        ),
    }


@pytest.fixture
def admin_user(units):
    return make_user("seal-admin", Role.ADMINISTRATOR)


@pytest.fixture
def head(units):
    return make_user("finance-head", Role.UNIT_HEAD, units["finance"])


@pytest.fixture
def staff(units):
    return make_user("finance-staff", Role.UNIT_STAFF, units["finance"])


@pytest.fixture
def water_head(units):
    return make_user("water-head", Role.UNIT_HEAD, units["water"])


@pytest.fixture
def seal(units, admin_user):
    from shuzheng.trust.choices import SealKind
    from shuzheng.trust.services import create_seal

    return create_seal(units["finance"], SealKind.OFFICIAL, "宁夏回族自治区财政厅", by=admin_user)
