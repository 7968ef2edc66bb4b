"""The sample compensation data (示例数据): ``shuzheng loadsample`` loads it, and
``shuzheng ecocomp allocate|settle --sample`` computes on it without storing anything.
Everything is marked ``is_sample``; the figures are for demonstration, except the 五佛寺
agreement's amount and class, as published (its source in ``data/sample.json``)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from shuzheng.ecocomp import horizontal, imports, rules, services
from shuzheng.ecocomp.allocation import Allocation, County, allocate
from shuzheng.ecocomp.models import AllocationRuleSet, BasinAgreement, MonitoringSection
from shuzheng.orgs.models import Region, Unit

DATA = Path(__file__).resolve().parent / "data"
SAMPLE = DATA / "sample.json"


def sample() -> dict:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


def sample_file(name: str) -> bytes:
    return (DATA / name).read_bytes()


def _sample_counties(table: imports.Table) -> dict[str, str]:
    """The county-level divisions the sample file names (Ningxia's 22, as the registry
    has them), so that the command computes without a database."""
    code_at, name_at = table.headers.index("区划代码"), table.headers.index("县（区）")
    return {row[code_at]: row[name_at] for row in table.rows}


def sample_allocation() -> Allocation:
    """The sample rule set on the sample factors, computed in memory."""
    data = sample()
    entry = data["rule_set"]
    table = imports.read_table(data["factors_file"], sample_file(data["factors_file"]))
    names = _sample_counties(table)
    rows = imports.factor_rows(table, names)
    ruleset = rules.rule_set(
        entry["fund"], entry["components"], entry.get("cap"), entry.get("floor")
    )
    counties = [
        County(code, names[code], {key: value for key, (value, _row) in values.items()})
        for code, values in rows.values.items()
    ]
    return allocate(ruleset, counties)


def sample_settlement(
    section_code: str = "wufosi", year: str = "2024"
) -> tuple[dict, horizontal.Settlement]:
    """The sample agreement of ``section_code`` settled on the sample monitoring file."""
    data = sample()
    agreement = next(item for item in data["agreements"] if item["section"] == section_code)
    table = imports.read_table(data["monitoring_file"], sample_file(data["monitoring_file"]))
    rows = imports.monitoring_rows(table, [section["code"] for section in data["sections"]])
    samples = {
        indicator: [
            horizontal.Sample(reading.month, reading.value, reading.suspect)
            for reading in rows.readings
            if reading.section == section_code
            and reading.indicator == indicator
            and reading.month.startswith(year)
        ]
        for indicator in agreement["indicators"]
    }
    names = {section["code"]: section["name"] for section in data["sections"]}
    parameters = agreement["parameters"]
    settlement = horizontal.class_threshold(
        names[section_code],
        horizontal.Sides(agreement["upstream"], agreement["downstream"]),
        samples,
        horizontal.load_limits(),
        int(parameters["threshold_class"]),
        Decimal(agreement["amount"]),
        int(parameters.get("min_samples", 12)),
        bool(parameters.get("neutral_at_threshold", False)),
    )
    return agreement, settlement


@transaction.atomic
def load_sample_ecocomp() -> str:
    """Store the sample rule set, factors, sections, monitoring data and agreements, run the
    allocation (a draft) and settle 2024; kept when loaded before."""
    if AllocationRuleSet.objects.filter(is_sample=True).exists():
        return "loaded before, kept"
    data = sample()
    finance = Unit.objects.get(code=data["finance_unit"])
    environment = Unit.objects.get(code=data["environment_unit"])
    entry = data["rule_set"]
    rule_set = services.create_rule_set(
        actor=None,
        owner=finance,
        year=entry["year"],
        fund_name=entry["fund_name"],
        name=entry["name"],
        fund=entry["fund"],
        cap=entry.get("cap"),
        floor=entry.get("floor"),
        components=entry["components"],
        sources=entry["sources"],
        is_sample=True,
    )
    rule_set = services.review_rule_set(actor=None, rule_set=rule_set)
    services.import_factors(
        actor=None,
        rule_set=rule_set,
        file_name=data["factors_file"],
        data=sample_file(data["factors_file"]),
        source=data["factors_source"],
    )
    run = services.run_allocation(actor=None, rule_set=rule_set, note="示例数据")
    sections: dict[str, MonitoringSection] = {}
    for item in data["sections"]:
        sections[item["code"]] = services.create_section(
            actor=None,
            owner=environment,
            code=item["code"],
            name=item["name"],
            river=item["river"],
            kind=item["kind"],
            region=Region.objects.filter(code=item["region"]).first() if item["region"] else None,
            inbound=sections.get(item.get("inbound", "")),
            is_sample=True,
        )
    services.import_monitoring(
        actor=None,
        file_name=data["monitoring_file"],
        data=sample_file(data["monitoring_file"]),
        source=data["monitoring_source"],
    )
    settled = []
    for item in data["agreements"]:
        agreement = services.create_agreement(
            actor=None,
            owner=environment,
            **{key: value for key, value in item.items() if key != "section"},
            section=sections[item["section"]],
            is_sample=True,
        )
        settled.append(services.settle(actor=None, agreement=agreement, period="2024"))
    return (
        f"rule set {rule_set}, {run.counties.count()} counties allocated (draft run #{run.pk}), "
        f"{len(sections)} sections, {BasinAgreement.objects.filter(is_sample=True).count()} "
        f"agreements, {len(settled)} settlements for 2024 (示例数据)"
    )
