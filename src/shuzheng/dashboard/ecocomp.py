"""The dashboard's ecological compensation panels (issue 12 point 4: "charts of allocation by
county and component and of section water quality over time, on the dashboard too").

The numbers come from ``shuzheng.ecocomp.selectors`` (a read model may read a domain app): the
newest final allocation run, its parts by component per county, and each monitoring
section's GB 3838 class per month; the charts are the dashboard's own (``charts``), so they
are accessible the same way (SVG with a title, every number in a table under ``<details>``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from shuzheng.dashboard.charts import (
    Bar,
    Chart,
    LevelSeries,
    Segment,
    Series,
    bar_chart,
    level_chart,
)
from shuzheng.ecocomp import rendering, selectors
from shuzheng.ecocomp.allocation import largest_remainder
from shuzheng.ecocomp.models import AllocationRun

#: Months of water quality shown.
MONTHS_SHOWN = 12
CLASSES = range(1, 7)


@dataclass(frozen=True, slots=True)
class EcocompPanels:
    run: AllocationRun | None
    total: int
    allocation: Chart | None
    periods: list[str]
    water: Chart | None


def whole_parts(parts: list[Decimal], keys: list[str], amount: Decimal) -> list[int]:
    """A county's parts by component in whole yuan that still sum to its amount (the lines
    are unrounded; largest remainder, as the allocation itself rounds)."""
    return [int(part) for part in largest_remainder(parts, keys, amount)]


def allocation_chart(run: AllocationRun) -> tuple[Chart, int]:
    columns, rows = selectors.allocation_table(run)
    keys = [key for key, _name in columns]
    # one colour per component (``series-c0`` … ``series-c9`` in dashboard.css)
    series = [Series(f"c{index}", name) for index, (_key, name) in enumerate(columns)]
    bars = []
    for row in sorted(rows, key=lambda row: (-row.amount, row.code)):
        href = reverse("ecocomp:explain", args=[run.pk, row.code])
        values = whole_parts(row.parts, keys, row.amount)
        bars.append(
            Bar(
                row.name,
                tuple(
                    Segment(entry.key, value, href)
                    for entry, value in zip(series, values, strict=True)
                ),
                href,
            )
        )
    title = _("%(year)s %(fund)s: allocation by county and component (yuan)") % {
        "year": run.rule_set.year,
        "fund": run.rule_set.fund_name,
    }
    return bar_chart(title, bars, series), int(sum(row.amount for row in rows))


def water_chart(periods: list[str], sections) -> Chart:
    levels = [rendering.class_name(number) for number in CLASSES]
    lines = [
        LevelSeries(
            f"{section.river} · {section.name}",
            tuple(None if klass is None else klass - 1 for klass in section.classes),
        )
        for section in sections
    ]
    title = _("Water quality of the monitoring sections by month (GB 3838 class)")
    return level_chart(title, periods, lines, levels)


def build_ecocomp_panels() -> EcocompPanels:
    run = selectors.latest_final_run()
    allocation, total = allocation_chart(run) if run is not None else (None, 0)
    periods, sections = selectors.water_quality_over_time(MONTHS_SHOWN)
    water = water_chart(periods, sections) if sections else None
    return EcocompPanels(run, total, allocation, periods, water)
