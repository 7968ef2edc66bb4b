"""Fixtures of the CKAN Action API tests: the sample catalog, its provider's staff, the
catalog office, and API tokens for them."""

import pytest

from shuzheng.accounts.choices import Role
from shuzheng.accounts.services import create_token
from tests.catalog.conftest import (  # noqa: F401
    make_user,
    media,
    other_staff,
    registry,
    sample_catalog,
)

BASE = "/api/3/action"


@pytest.fixture
def staff(registry):  # noqa: F811
    """Staff of 自治区应急管理厅, whose catalog has a submitted and a returned entry."""
    from shuzheng.orgs.models import Unit

    return make_user("yjt", Role.UNIT_STAFF, Unit.objects.get(code="nx-emergency-management"))


@pytest.fixture
def office(registry):  # noqa: F811
    return make_user("office", Role.SUPERVISOR)


def bearer(user, scopes=("read", "write")) -> dict:
    """The header ckanapi sends: the bare token in ``Authorization``."""
    _token, secret = create_token(user, name="ckan", scopes=list(scopes), actor=user)
    return {"Authorization": secret}
