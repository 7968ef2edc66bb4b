"""Fixtures of the exchange-data tests (published tables, tokens, the data API): the sample
registry and catalog, the schools resource of 自治区教育厅 published with a few rows, its
provider's staff and a consumer unit's staff. Test modules import the fixtures they use."""

import pytest

from shuzheng.accounts.choices import Role
from shuzheng.accounts.models import User
from shuzheng.catalog.models import DataResource
from shuzheng.catalog.samples import load_sample_catalog
from shuzheng.exchange import table_services
from shuzheng.orgs.models import Unit
from shuzheng.orgs.services import load_sample_registry

SCHOOLS = "302001/000001"
SCHOOL_ROWS = [
    {
        "name": "银川一中",
        "stage": "高中",
        "ownership": "公办",
        "county": "银川市兴庆区",
        "students": 3600,
    },
    {
        "name": "育才中学",
        "stage": "高中",
        "ownership": "公办",
        "county": "银川市金凤区",
        "students": 8000,
    },
    {
        "name": "石嘴山三中",
        "stage": "高中",
        "ownership": "公办",
        "county": "大武口区",
        "students": 2900,
    },
]


def make_user(username, role, unit=None):
    user = User(username=username, role=role, unit=unit, email=f"{username}@example.org")
    user.set_password("Shuzheng-2023!")
    user.save()
    return user


@pytest.fixture
def catalog(db):
    load_sample_registry()
    load_sample_catalog()


@pytest.fixture
def schools(catalog):
    return DataResource.objects.get(code=SCHOOLS)


@pytest.fixture
def provider(catalog):
    """Staff of 自治区教育厅, the schools' provider."""
    return make_user("jyt", Role.UNIT_STAFF, Unit.objects.get(code="nx-education"))


@pytest.fixture
def consumer_unit(catalog):
    return Unit.objects.get(code="nx-culture-tourism")


@pytest.fixture
def consumer(consumer_unit):
    """Staff of 自治区文化和旅游厅, a consumer of the schools' data."""
    return make_user("wlt", Role.UNIT_STAFF, consumer_unit)


@pytest.fixture
def schools_table(schools, provider):
    table = table_services.publish_table(schools, primary_key=["name"], actor=provider)
    table_services.apply_row_changes(table, SCHOOL_ROWS, actor=provider)
    table.refresh_from_db()
    return table
