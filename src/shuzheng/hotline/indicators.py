"""The hotline's rates as indicators of the ledger's assessment (issue 15, point 4: "响应率,
解决率, 满意率 per unit and region, feeding the ledger's assessment as indicators").

Registered on ``tasks.indicators`` by ``hotline.hooks``; the assessment rules name them by
code with a weight (docs/ledger-rules.md). Each measures the requests a unit led that were
received in the assessed year, by the formulas of ``hotline.rates``; a region's score is the
mean of its units' totals, as for every indicator.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from shuzheng.hotline import selectors
from shuzheng.hotline.rates import Rates
from shuzheng.tasks.scoring import ExternalKind, Share
from shuzheng.text.translation import gettext_noop

RESPONSE = ExternalKind(
    "hotline.response_rate",
    gettext_noop("12345 hotline: response rate (signed for within the response limit)"),
    gettext_noop("{met} of {due} hotline requests signed for within the response limit"),
)
RESOLUTION = ExternalKind(
    "hotline.resolution_rate",
    gettext_noop("12345 hotline: resolution rate (resolved within the resolution limit)"),
    gettext_noop("{met} of {due} hotline requests resolved within the resolution limit"),
)
SATISFACTION = ExternalKind(
    "hotline.satisfaction_rate",
    gettext_noop("12345 hotline: satisfaction rate (satisfied or basically satisfied)"),
    gettext_noop("{met} of {due} callbacks satisfied or basically satisfied"),
)

#: Each kind and the part of :class:`~shuzheng.hotline.rates.Rates` it scores (met, due).
SHARES: dict[ExternalKind, Callable[[Rates], tuple[int, int]]] = {
    RESPONSE: lambda found: (found.responded_in_time, found.due_response),
    RESOLUTION: lambda found: (found.resolved_in_time, found.due_resolution),
    SATISFACTION: lambda found: (found.satisfied, found.rated),
}


def measurer(kind: ExternalKind) -> Callable[[int, dt.date], dict[int, Share]]:
    """The function ``tasks.indicators`` calls for ``kind``: every lead unit's share."""
    part = SHARES[kind]

    def measure(year: int, as_of: dt.date) -> dict[int, Share]:
        return {
            unit_id: Share(*part(found))
            for unit_id, found in selectors.year_rates_by_unit_id(year, as_of).items()
        }

    return measure
