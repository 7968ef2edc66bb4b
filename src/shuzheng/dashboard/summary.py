"""The numbers of the leadership dashboard (驾驶舱, 一屏统览), from plain rows; no Django.

Issue 5, item 3: tasks by status light (counts and share), by category, by responsible unit
(牵头 and 负责, not 配合), by deadline year, and the trend of the on-time rate per month or
quarter computed from milestones and their achievement dates. Seed task 23 asks for the
ledger to be seen "一览无余" at a glance. The lights themselves come from ``tasks.status``;
this module only counts them, so the dashboard and the ledger can never disagree.

A summary is stored as JSON (the dashboard's per-day snapshot), hence ``to_json`` and
``from_json`` with plain types only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from shuzheng.tasks.status import Light

#: The lights of ``tasks.status``, most urgent first, as the dashboard lists them.
LIGHTS = tuple(str(light) for light in (Light.RED, Light.YELLOW, Light.GREEN, Light.GREY))
ONGOING = "ongoing"  # deadline-year key of tasks whose only milestones are 持续推进 / 长期坚持
UNREAD = "none"  # deadline-year key of tasks whose 完成时限 gave no milestone
UNCATEGORISED = ""
MONTH = "month"
QUARTER = "quarter"
PERIODS = (QUARTER, MONTH)
TREND_LENGTH = {QUARTER: 12, MONTH: 12}  # three years of quarters, one year of months


@dataclass(frozen=True, slots=True)
class TaskRow:
    """What the dashboard needs of one task, as of the summary's day."""

    task_id: int
    light: str  # a tasks.status.Light value
    category: str = UNCATEGORISED
    units: tuple[tuple[str, str], ...] = ()  # (unit code, name) of the lead and owner units
    milestones: tuple[tuple[date, date | None], ...] = ()  # dated ones: (due_on, achieved_on)
    has_ongoing: bool = False

    def __post_init__(self) -> None:
        if self.light not in LIGHTS:
            raise ValueError(f"task {self.task_id}: unknown light {self.light!r}")

    @property
    def deadline_year(self) -> str:
        """The year the task is due in full: its last dated milestone's year."""
        if self.milestones:
            return str(max(due_on for due_on, _ in self.milestones).year)
        return ONGOING if self.has_ongoing else UNREAD


@dataclass(slots=True)
class Breakdown:
    """The tasks of one category, unit or deadline year, counted by light."""

    key: str
    label: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LIGHTS, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True, slots=True)
class PeriodRate:
    """Dated milestones that fell due in a period, and how many were achieved by then."""

    period: str  # "2023-Q4" or "2023-10"
    due: int
    on_time: int

    @property
    def rate(self) -> float | None:
        return self.on_time / self.due if self.due else None


@dataclass(frozen=True, slots=True)
class Summary:
    as_of: date
    lights: dict[str, int]
    categories: tuple[Breakdown, ...]
    units: tuple[Breakdown, ...]
    years: tuple[Breakdown, ...]
    trends: dict[str, tuple[PeriodRate, ...]]  # QUARTER and MONTH

    @property
    def total(self) -> int:
        return sum(self.lights.values())

    def share(self, light: str) -> float:
        return self.lights[light] / self.total if self.total else 0.0

    def to_json(self) -> dict:
        return {
            "as_of": self.as_of.isoformat(),
            "lights": dict(self.lights),
            "categories": [_breakdown_json(entry) for entry in self.categories],
            "units": [_breakdown_json(entry) for entry in self.units],
            "years": [_breakdown_json(entry) for entry in self.years],
            "trends": {
                period: [[rate.period, rate.due, rate.on_time] for rate in rates]
                for period, rates in self.trends.items()
            },
        }

    @classmethod
    def from_json(cls, data: dict) -> Summary:
        return cls(
            date.fromisoformat(data["as_of"]),
            {light: data["lights"][light] for light in LIGHTS},
            tuple(_breakdown_from(entry) for entry in data["categories"]),
            tuple(_breakdown_from(entry) for entry in data["units"]),
            tuple(_breakdown_from(entry) for entry in data["years"]),
            {
                period: tuple(PeriodRate(*rate) for rate in rates)
                for period, rates in data["trends"].items()
            },
        )


def summarise(rows: Iterable[TaskRow], today: date) -> Summary:
    """Count the tasks by light, category, unit and deadline year, and the on-time trends.

    A task with two responsible units counts once for each unit but once in the totals.
    Categories and units are listed with the most red tasks first (what a leader looks at),
    then by size and name; deadline years in calendar order, ongoing and unread last.
    """
    lights = dict.fromkeys(LIGHTS, 0)
    categories: dict[str, Breakdown] = {}
    units: dict[str, Breakdown] = {}
    years: dict[str, Breakdown] = {}
    milestones: list[tuple[date, date | None]] = []
    for row in rows:
        lights[row.light] += 1
        _count(categories, row.category, row.category, row.light)
        for code, name in dict(row.units).items():
            _count(units, code, name, row.light)
        year = row.deadline_year
        _count(years, year, year, row.light)
        milestones.extend(row.milestones)
    return Summary(
        today,
        lights,
        _by_urgency(categories.values()),
        _by_urgency(units.values()),
        tuple(sorted(years.values(), key=_year_order)),
        {period: on_time_trend(milestones, today, period) for period in PERIODS},
    )


def on_time_trend(
    milestones: Iterable[tuple[date, date | None]], today: date, period: str
) -> tuple[PeriodRate, ...]:
    """Per period, the dated milestones due in it (up to today) and those achieved on time.

    Issue 5: the trend of the on-time rate, "computed from milestones and their achievement
    dates". A milestone counts in the period of its due date once that date has passed or is
    today; it is on time when achieved on or before its due date (an achievement recorded
    after ``today`` does not exist yet). The last ``TREND_LENGTH`` periods up to today's are
    returned, empty periods included, so the time axis is even.
    """
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}; choose from {', '.join(PERIODS)}")
    due: dict[str, int] = {}
    on_time: dict[str, int] = {}
    for due_on, achieved_on in milestones:
        if due_on > today:
            continue
        key = period_of(due_on, period)
        due[key] = due.get(key, 0) + 1
        if achieved_on is not None and achieved_on <= due_on and achieved_on <= today:
            on_time[key] = on_time.get(key, 0) + 1
    keys = _last_periods(today, period, TREND_LENGTH[period])
    first_with_data = next((index for index, key in enumerate(keys) if key in due), len(keys))
    return tuple(
        PeriodRate(key, due.get(key, 0), on_time.get(key, 0)) for key in keys[first_with_data:]
    )


def period_of(day: date, period: str) -> str:
    if period == MONTH:
        return f"{day.year}-{day.month:02d}"
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _last_periods(today: date, period: str, length: int) -> list[str]:
    months_per_step = 1 if period == MONTH else 3
    index = today.year * 12 + today.month - 1
    keys = []
    for step in range(length - 1, -1, -1):
        month_index = index - step * months_per_step
        keys.append(period_of(date(month_index // 12, month_index % 12 + 1, 1), period))
    return keys


def _count(table: dict[str, Breakdown], key: str, label: str, light: str) -> None:
    entry = table.get(key)
    if entry is None:
        entry = table[key] = Breakdown(key, label)
    entry.counts[light] += 1


def _by_urgency(entries: Iterable[Breakdown]) -> tuple[Breakdown, ...]:
    return tuple(
        sorted(entries, key=lambda entry: (-entry.counts[Light.RED], -entry.total, entry.label))
    )


def _year_order(entry: Breakdown) -> tuple[int, str]:
    if entry.key.isdigit():
        return (0, entry.key)
    return (1 if entry.key == ONGOING else 2, entry.key)


def _breakdown_json(entry: Breakdown) -> list:
    return [entry.key, entry.label, [entry.counts[light] for light in LIGHTS]]


def _breakdown_from(data: list) -> Breakdown:
    key, label, counts = data
    return Breakdown(key, label, dict(zip(LIGHTS, counts, strict=True)))
