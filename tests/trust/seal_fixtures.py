"""Shared objects of the seal page tests."""

from shuzheng.trust.choices import SealKind
from shuzheng.trust.services import create_seal


def budget_seals(world, n):
    """``n`` business seals of the world's unit."""
    for index in range(n):
        create_seal(world.unit, SealKind.BUSINESS, f"{world.unit.name}专用章{index}", by=None)


def budget_revoked_seals(world, n):
    """``n`` revoked seals of the world's unit (the CA page's revoked seals)."""
    from shuzheng.trust.services import revoke_seal

    for index in range(n):
        seal = create_seal(world.unit, SealKind.BUSINESS, f"{world.unit.name}旧章{index}", by=None)
        revoke_seal(seal, "印章停用", by=None)


def budget_seal(world):
    """The seal whose page lists its uses (one per test database)."""
    from shuzheng.trust.models import Seal

    name = f"{world.unit.name}用章记录专用章"
    return Seal.objects.filter(name=name).first() or create_seal(
        world.unit, SealKind.BUSINESS, name, by=None
    )


def budget_seal_uses(world, n):
    """``n`` signatures by :func:`budget_seal` (its page's usage log)."""
    from shuzheng.trust.services import sign

    seal = budget_seal(world)
    start = seal.signatures.count()
    for index in range(start, start + n):
        sign(seal, f"文件{index}".encode(), by=None, subject_kind="test", subject_ref=str(index))
