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


def make_grant(resource, consumer_unit, columns, row_filters=(), days=30, **extra):
    """A grant as the requests part issues them (``grant_services``), written directly: the
    data API's enforcement is what these tests prove."""
    import datetime as dt

    from shuzheng import clock
    from shuzheng.exchange.models import Grant

    return Grant.objects.create(
        consumer=consumer_unit,
        resource=resource,
        columns=list(columns),
        row_filters=list(row_filters),
        purpose="测试用途",
        expires_at=clock.now() + dt.timedelta(days=days),
        granted_at=clock.now(),
        **extra,
    )


YINCHUAN = {"column": "county", "op": "in", "value": ["银川市兴庆区", "银川市金凤区"]}


@pytest.fixture
def grant(schools_table, consumer_unit):
    """The culture department reads name, county and students of Yinchuan's schools only."""
    return make_grant(
        schools_table.resource, consumer_unit, ["name", "county", "students"], [YINCHUAN]
    )


@pytest.fixture
def token_secret(grant, consumer):
    from shuzheng.exchange import token_services

    token, secret = token_services.create_access_token(
        consumer.unit, name="文旅系统", resources=[grant.resource], actor=consumer
    )
    return token, secret
