"""Reads of ecological compensation: who sees which rule sets and runs, allocation tables
with their parts by component, section water quality by month."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet

from shuzheng.accounts.authorization import has_perm, role_of
from shuzheng.accounts.permissions import UNIT_BOUND_ROLES
from shuzheng.ecocomp import horizontal, rendering, rules
from shuzheng.ecocomp.choices import RunKind, RunState
from shuzheng.ecocomp.factors import KEY_FUNCTION_COUNTY
from shuzheng.ecocomp.models import (
    AllocationRuleSet,
    AllocationRun,
    BasinAgreement,
    CountyAllocation,
    CountyEvaluation,
    CountyFactor,
    MonitoringSection,
    Settlement,
    WaterQualityReading,
)
from shuzheng.orgs.choices import RegionLevel
from shuzheng.orgs.models import Region
from shuzheng.tasks.models import KeyTask
from shuzheng.tasks.selectors import LedgerFilters, ledger_rows, responsible_units

ZERO = Decimal(0)
#: The indicators a river section's class is judged on: 《地表水环境质量评价办法（试行）》
#: (环办〔2011〕22号) leaves 总氮 out for rivers (GB 3838 gives it for lakes and reservoirs).
RIVER_CLASS_INDICATORS = frozenset({"codmn", "cod", "nh3n", "tp"})


def _own_units(user, rows: QuerySet, field: str = "owner") -> QuerySet:
    """``rows`` whose owner unit the user acts for: their own unit for unit members,
    every unit for the roles that hold the permission for all."""
    if role_of(user) in UNIT_BOUND_ROLES:
        return rows.filter(**{f"{field}_id": user.unit_id})
    return rows


def rule_sets(user) -> QuerySet[AllocationRuleSet]:
    return (
        _own_units(user, AllocationRuleSet.objects.select_related("owner"))
        .annotate(run_count=Count("runs"))
        .order_by("-year", "fund_name", "-version")
    )


def manages(user, obj) -> bool:
    return has_perm(user, "manage_ecocomp", obj.owner_id)


def approves(user, obj) -> bool:
    return has_perm(user, "approve_for_unit", obj.owner_id)


def reads_run(user, run: AllocationRun) -> bool:
    """The finance unit reads every run; a final run is public."""
    return run.state == RunState.FINAL or manages(user, run.rule_set)


def county_code_of(user) -> str:
    """The county-level division a unit member works in ("" for none)."""
    unit = getattr(user, "unit", None)
    region = getattr(unit, "region", None)
    return region.code if region is not None and region.level == "county" else ""


def reads_county(user, code: str) -> bool:
    """A county's own people read its allocations (approved and final); supervisors and
    administrators every county's (``view_unit_work``)."""
    if not has_perm(user, "view_unit_work"):
        return False
    return role_of(user) not in UNIT_BOUND_ROLES or county_code_of(user) == code


def final_runs() -> QuerySet[AllocationRun]:
    return (
        AllocationRun.objects.filter(state=RunState.FINAL, kind=RunKind.RUN)
        .select_related("rule_set")
        .order_by("-rule_set__year", "-finalised_at")
    )


def runs_of(rule_set: AllocationRuleSet) -> QuerySet[AllocationRun]:
    return rule_set.runs.select_related("base", "created_by").order_by("-created_at", "-id")


@dataclass(frozen=True)
class Segment:
    key: str
    name: str
    amount: Decimal
    percent: Decimal  # of the largest county's total, for the bar's width
    index: int  # the component's colour


@dataclass(frozen=True)
class AllocationRow:
    code: str
    name: str
    amount: Decimal
    parts: list[Decimal]  # by component, in the rule set's order
    segments: list[Segment]
    before: Decimal | None = None

    @property
    def delta(self) -> Decimal | None:
        return None if self.before is None else self.amount - self.before


def allocation_table(run: AllocationRun, compared: AllocationRun | None = None):
    """Per county its amount and its parts by component (the lines summed; the bound and
    rounding lines join the component list as their own columns when a run has them), and
    the bar segments of the chart. ``compared``: the amounts of another run (a what-if's
    base, last year's final run) beside them."""
    components = run.rule_set.components
    keys = [entry["key"] for entry in components]
    entries = list(run.counties.select_related("region"))
    extra = sorted({line[0] for entry in entries for line in entry.lines} - set(keys))
    names = rendering.component_names(components)
    columns = [(key, names.get(key, rendering.factor_label(key))) for key in keys + extra]
    before = {}
    if compared is not None:
        before = dict(compared.counties.values_list("region__code", "amount"))
    largest = max((entry.amount for entry in entries), default=ZERO) or Decimal(1)
    rows = []
    for entry in entries:
        sums = dict.fromkeys(keys + extra, ZERO)
        for line in entry.lines:
            sums[line[0]] += Decimal(line[5])
        parts = [sums[key] for key, _name in columns]
        segments = [
            Segment(key, name, part, (part / largest * 100).quantize(Decimal("0.1")), index)
            for index, ((key, name), part) in enumerate(zip(columns, parts, strict=True))
            if part > 0
        ]
        rows.append(
            AllocationRow(
                entry.region.code,
                entry.region.name,
                entry.amount,
                parts,
                segments,
                before.get(entry.region.code) if compared is not None else None,
            )
        )
    return columns, rows


def county_entry(run: AllocationRun, code: str) -> CountyAllocation | None:
    return run.counties.select_related("region").filter(region__code=code).first()


def previous_final(run: AllocationRun) -> AllocationRun | None:
    """Last year's final run of the same fund (the comparison with last year)."""
    return (
        final_runs()
        .filter(rule_set__fund_name=run.rule_set.fund_name, rule_set__year=run.rule_set.year - 1)
        .first()
    )


def county_allocations(code: str) -> QuerySet[CountyAllocation]:
    """A county's amounts in approved and final runs, newest first."""
    return (
        CountyAllocation.objects.filter(
            region__code=code,
            run__kind=RunKind.RUN,
            run__state__in=[RunState.APPROVED, RunState.FINAL],
        )
        .select_related("run__rule_set", "region")
        .order_by("-run__rule_set__year", "-run__created_at")
    )


def sections(user) -> QuerySet[MonitoringSection]:
    return (
        _own_units(user, MonitoringSection.objects.select_related("region", "owner"))
        .annotate(
            reading_count=Count("readings", filter=Q(readings__value__isnull=False)),
            gap_count=Count("readings", filter=Q(readings__value__isnull=True)),
        )
        .order_by("river", "code")
    )


@dataclass(frozen=True)
class MonthRow:
    month: str
    values: list[tuple[Decimal | None, bool]]  # by indicator: value, suspect
    water_class: int | None
    worst: str


def section_months(section: MonitoringSection, indicators: list[str]) -> list[MonthRow]:
    """The section's months with each indicator's value and the month's GB 3838 class."""
    limits = horizontal.load_limits()
    by_month: dict[str, dict[str, WaterQualityReading]] = {}
    for reading in WaterQualityReading.objects.filter(section=section).order_by("month"):
        by_month.setdefault(reading.month, {})[reading.indicator] = reading
    rows = []
    for month, readings in sorted(by_month.items()):
        usable = {
            key: reading.value
            for key, reading in readings.items()
            if reading.value is not None
            and not reading.suspect
            and key in limits
            and key in RIVER_CLASS_INDICATORS
        }
        klass, worst = horizontal.water_class(usable, limits) if usable else (None, "")
        rows.append(
            MonthRow(
                month,
                [
                    (readings[key].value, readings[key].suspect)
                    if key in readings
                    else (None, False)
                    for key in indicators
                ],
                klass,
                worst,
            )
        )
    return rows


def agreements(user) -> QuerySet[BasinAgreement]:
    return _own_units(
        user, BasinAgreement.objects.select_related("section", "owner")
    ).prefetch_related(Prefetch("settlements", queryset=Settlement.objects.order_by("-period")))


def stored_lines(entry: CountyAllocation):
    return [rules.line_from_data(line) for line in entry.lines]


# --- the assessment link (考评挂钩) ----------------------------------------------------------


def evaluations(year: int) -> QuerySet[CountyEvaluation]:
    return CountyEvaluation.objects.filter(year=year).select_related("region")


def measure_tasks(document: str, measures) -> QuerySet[KeyTask]:
    """The ledger's tasks of the gazette document numbered ``document`` under the sections
    whose headings start with one of ``measures`` (e.g. "（十九）"), sub-tasks excluded (they
    come with their parent's row)."""
    under = Q()
    for label in measures:
        under |= Q(section__heading__startswith=label)
    return KeyTask.objects.filter(under, document__doc_number=document, parent__isnull=True)


def _county_of(regions: dict, region_id) -> str | None:
    """The county-level code of a region or of the county it lies in."""
    seen = 0
    while region_id is not None and seen < 10:
        level, parent, code = regions[region_id]
        if level == RegionLevel.COUNTY:
            return code
        region_id, seen = parent, seen + 1
    return None


def county_duties(document: str, measures, today) -> dict[str, dict[str, int]]:
    """Per county code, its compensation tasks counted by light as the ledger judges them
    today: a sub-task counts for the county of its unit; a task counts once for each county
    with a unit it is assigned to (交办) or that the gazette names responsible (责任单位)."""
    regions = {
        pk: (level, parent, code)
        for pk, level, parent, code in Region.objects.values_list("id", "level", "parent", "code")
    }
    counts: dict[str, dict[str, int]] = {}

    def count(code: str | None, light: str) -> None:
        if code is not None:
            lights = counts.setdefault(code, {})
            lights[light] = lights.get(light, 0) + 1

    for row in ledger_rows(LedgerFilters(), today, tasks=measure_tasks(document, measures)):
        done = set()
        for sub in row.subtasks:
            if sub.task.unit is not None:
                code = _county_of(regions, sub.task.unit.region_id)
                count(code, str(sub.light))
                done.add(code)
        units = [assignment.unit for assignment in row.assignments]
        units += [entry.unit for entry in responsible_units(row.task)]
        for code in {_county_of(regions, unit.region_id) for unit in units} - done:
            count(code, str(row.light))
    return counts


def county_quality(year: int, target_class: int) -> dict[str, tuple[int, int, int]]:
    """Per county code, of its sections' months in ``year``: (months with a class, months at
    or better than ``target_class``, months without a usable value)."""
    result: dict[str, tuple[int, int, int]] = {}
    prefix = f"{year}-"
    for section in MonitoringSection.objects.filter(region__isnull=False).select_related("region"):
        months, met, without = result.get(section.region.code, (0, 0, 0))
        for row in section_months(section, sorted(RIVER_CLASS_INDICATORS)):
            if not row.month.startswith(prefix):
                continue
            if row.water_class is None:
                without += 1
            else:
                months += 1
                met += row.water_class <= target_class
        result[section.region.code] = (months, met, without)
    return result


def latest_final_run() -> AllocationRun | None:
    """The newest final allocation (the leaders' dashboard shows it, issue 12 point 4)."""
    return final_runs().first()


@dataclass(frozen=True)
class SectionQuality:
    """A section's GB 3838 class per month (None: no usable value that month)."""

    code: str
    name: str
    river: str
    classes: list[int | None]


def water_quality_over_time(months: int = 12) -> tuple[list[str], list[SectionQuality]]:
    """The last ``months`` months that have readings, and per section its monthly class
    (the worst river indicator, suspect values and gaps left out, as on the section's page),
    in two queries whatever the number of sections (issue 12 point 4: the dashboard's chart of
    section water quality over time)."""
    latest = WaterQualityReading.objects.order_by("-month").values_list("month", flat=True)
    last = latest.first()
    if last is None:
        return [], []
    year, month = int(last[:4]), int(last[5:7])
    periods = []
    for _ in range(months):
        periods.append(f"{year:04}-{month:02}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    periods.reverse()
    limits = horizontal.load_limits()
    values: dict[tuple[int, str], dict[str, Decimal]] = {}
    readings = WaterQualityReading.objects.filter(
        month__gte=periods[0],
        month__lte=periods[-1],
        value__isnull=False,
        suspect=False,
        indicator__in=sorted(RIVER_CLASS_INDICATORS & limits.keys()),
    ).values_list("section_id", "month", "indicator", "value")
    for section_id, month_key, indicator, value in readings:
        values.setdefault((section_id, month_key), {})[indicator] = value
    measured = {section_id for section_id, _month in values}
    series = []
    for section in MonitoringSection.objects.filter(pk__in=measured).order_by("river", "code"):
        classes = []
        for period in periods:
            usable = values.get((section.pk, period))
            classes.append(horizontal.water_class(usable, limits)[0] if usable else None)
        series.append(SectionQuality(section.code, section.name, section.river, classes))
    return periods, series


def key_function_counties(year: int) -> list[CountyFactor]:
    """The counties designated key ecological-function counties for ``year`` (measure （八）;
    an imported 重点生态功能区县 column, 1 = designated), each with its provenance. Empty until
    the finance department fills the list: no public source naming all 12 was found."""
    return list(
        CountyFactor.objects.filter(year=year, factor=KEY_FUNCTION_COUNTY, value=1)
        .select_related("region", "import_job")
        .order_by("region__code")
    )
