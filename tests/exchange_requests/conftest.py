import pytest

from shuzheng.accounts.choices import Role
from tests.exchange_requests.factories import make_resource, make_units, make_user


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def units(db):
    return make_units()


@pytest.fixture
def people(units):
    provider, consumer, other = units
    return {
        "consumer_staff": make_user("xr_consumer", Role.UNIT_STAFF, consumer),
        "consumer_head": make_user("xr_consumer_head", Role.UNIT_HEAD, consumer),
        "provider_staff": make_user("xr_provider", Role.UNIT_STAFF, provider),
        "provider_head": make_user("xr_provider_head", Role.UNIT_HEAD, provider),
        "other_head": make_user("xr_other_head", Role.UNIT_HEAD, other),
        "office": make_user("xr_office", Role.SUPERVISOR),
        "citizen": make_user("xr_citizen", Role.CITIZEN),
    }


@pytest.fixture
def conditional(units):
    return make_resource(units[0], share_type="conditional")


@pytest.fixture
def unconditional(units):
    return make_resource(units[0], share_type="unconditional")
