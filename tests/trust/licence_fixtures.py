"""Shared objects of the licence tests: a unit with its seal, a licence type, a holder."""

import datetime as dt

from shuzheng.accounts.choices import Role
from shuzheng.accounts.models import User
from shuzheng.orgs.models import Region, Unit
from shuzheng.trust import licence_services
from shuzheng.trust.choices import SealKind
from shuzheng.trust.services import create_seal

CREDIT_CODE = "91350100M000100Y43"
IDENTITY = "11010519491231002X"
FIELDS = [
    {"name": "business_name", "label": "经营者名称", "kind": "text", "required": True},
    {"name": "premises", "label": "经营场所", "kind": "text", "required": True},
    {"name": "opened_on", "label": "开业日期", "kind": "date", "required": False},
]


def make_unit(code="licence-unit", name="银川市市场监督管理局") -> Unit:
    region, _created = Region.objects.get_or_create(
        code="640100", defaults={"name": "银川市", "level": "city"}
    )
    return Unit.objects.create(code=code, name=name, kind="department", region=region)


def make_user(username, role, unit=None) -> User:
    user = User(username=username, role=role, unit=unit)
    user.set_unusable_password()
    user.save()
    return user


def make_type(unit, *, code="SPJY", years=5, seal=None):
    seal = seal or create_seal(unit, SealKind.BUSINESS, f"{unit.name}行政审批专用章", by=None)
    return licence_services.save_licence_type(
        by=None,
        unit=unit,
        code=code,
        name="食品经营许可证",
        seal=seal,
        face_fields=FIELDS,
        validity_kind="years" if years else "none",
        validity_years=years,
    )


def draft(name="宁夏清真餐饮有限公司", code=CREDIT_CODE, kind="credit_code", **face):
    values = {"business_name": name, "premises": "银川市兴庆区解放西街1号", **face}
    return licence_services.LicenceDraft(
        holder_name=name,
        holder_kind=kind,
        holder_code=code,
        face=values,
        issued_on=dt.date(2026, 12, 1),
    )


def head_of(unit):
    return make_user(f"head-{unit.code}", Role.UNIT_HEAD, unit)


# -- rows for the query budgets (tests/test_query_budgets.py) --------------------------------


def budget_type(world):
    """The world's unit's licence type (one per test database)."""
    from shuzheng.trust.licence_models import LicenceType

    return LicenceType.objects.filter(issuer=world.unit).first() or make_type(world.unit)


def budget_licence_types(world, n):
    from shuzheng.trust.licence_models import LicenceType

    seal = budget_type(world).seal
    start = LicenceType.objects.count()
    for number in range(start, start + n):
        make_type(world.unit, code=f"BT{number}", seal=seal)


def budget_licences(world, n):
    """``n`` licences of the world's unit, each issued to the world's citizen."""
    from shuzheng.accounts.permissions import CITIZEN
    from shuzheng.trust.licence_models import HolderIdentity

    if not HolderIdentity.objects.filter(user=world.user(CITIZEN)).exists():
        licence_services.bind_holder(world.user(CITIZEN), "identity_card", IDENTITY, by=None)
    licence_services.issue_licences(
        budget_type(world), [draft("张三", IDENTITY, "identity_card") for _ in range(n)], by=None
    )
