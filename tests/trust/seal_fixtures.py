"""Shared objects of the seal page tests."""

from shuzheng.trust.choices import SealKind
from shuzheng.trust.services import create_seal


def budget_seals(world, n):
    """``n`` business seals of the world's unit."""
    for index in range(n):
        create_seal(world.unit, SealKind.BUSINESS, f"{world.unit.name}专用章{index}", by=None)
