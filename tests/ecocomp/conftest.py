"""Fixtures of the ecocomp tests: the registry, the finance and environment units' people,
a small rule set and the sample data."""

import pytest

from shuzheng.accounts.choices import Role
from shuzheng.accounts.models import User
from shuzheng.ecocomp import services
from shuzheng.ecocomp.samples import load_sample_ecocomp
from shuzheng.orgs.models import Unit
from shuzheng.orgs.services import load_sample_registry

COMPONENTS = [
    {"key": "base", "kind": "equal", "share": "0.2"},
    {
        "key": "guidance",
        "kind": "factors",
        "share": "0.8",
        "weights": {"population": "0.5", "forest_area": "0.5"},
    },
]
SOURCES = {"fund": "测试", "base": "测试", "guidance": "测试"}


def make_user(username, role, unit=None):
    user = User(username=username, role=role, unit=unit, email=f"{username}@example.org")
    user.set_password("Shuzheng-2023!")
    user.save()
    return user


@pytest.fixture
def registry(db):
    load_sample_registry()


@pytest.fixture
def finance(registry):
    return Unit.objects.get(code="nx-finance")


@pytest.fixture
def environment(registry):
    return Unit.objects.get(code="nx-ecology-environment")


@pytest.fixture
def clerk(finance):
    return make_user("finance-clerk", Role.UNIT_STAFF, finance)


@pytest.fixture
def head(finance):
    return make_user("finance-head", Role.UNIT_HEAD, finance)


@pytest.fixture
def monitor(environment):
    return make_user("env-clerk", Role.UNIT_STAFF, environment)


@pytest.fixture
def rule_set(finance):
    return services.create_rule_set(
        actor=None,
        owner=finance,
        year=2024,
        fund_name="测试资金",
        name="测试方案",
        fund="22000000",
        components=COMPONENTS,
        sources=SOURCES,
    )


@pytest.fixture
def sample_data(registry):
    load_sample_ecocomp()
