"""Rows of the ecocomp list pages for the query budgets (tests/test_query_budgets.py)."""

import itertools

from shuzheng.ecocomp.choices import RunState
from shuzheng.ecocomp.models import (
    AllocationRuleSet,
    AllocationRun,
    BasinAgreement,
    MonitoringSection,
    Settlement,
)

_NUMBERS = itertools.count(1)


def _rule_set(world, number):
    return AllocationRuleSet.objects.create(
        year=2000 + number,
        fund_name=f"预算资金{number}",
        name=f"预算方案{number}",
        fund=1000,
        components=[{"key": "base", "kind": "equal", "share": "1"}],
        sources={"fund": "测试", "base": "测试"},
        owner=world.unit,
    )


def rule_sets(world, n):
    for _ in range(n):
        _rule_set(world, next(_NUMBERS))


def published(world, n):
    for _ in range(n):
        AllocationRun.objects.create(
            rule_set=_rule_set(world, next(_NUMBERS)), state=RunState.FINAL
        )


def _section(world, number):
    return MonitoringSection.objects.create(
        code=f"budget-{number}",
        name=f"断面{number}",
        river="黄河",
        kind="main_stream",
        region=world.region,
        owner=world.unit,
    )


def sections(world, n):
    for _ in range(n):
        _section(world, next(_NUMBERS))


def agreements(world, n):
    for _ in range(n):
        number = next(_NUMBERS)
        agreement = BasinAgreement.objects.create(
            name=f"协议{number}",
            upstream="甲",
            downstream="乙",
            section=_section(world, number),
            method="class_threshold",
            amount=100,
            start_year=2024,
            end_year=2024,
            source="测试",
            owner=world.unit,
        )
        Settlement.objects.create(agreement=agreement, period="2024", amount=100)
