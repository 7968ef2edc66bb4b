"""The exchange's per-unit request statistics as indicators of the ledger's assessment
(issue 16, point 1: "statistics per unit — response time, approval rate — for the ledger's
assessment"), registered on ``tasks.indicators`` by ``ExchangeConfig.ready``.

Both read ``request_selectors.unit_statistics`` for the assessed year: the requests a
provider unit decided itself in that year (not those decided by rule or by the office),
answered within the step's limit, and approved (docs/exchange-requests.md).
"""

from __future__ import annotations

import datetime as dt

from shuzheng.exchange.request_selectors import unit_statistics
from shuzheng.tasks.indicators import register_indicator
from shuzheng.tasks.scoring import ExternalKind, Share
from shuzheng.text.translation import gettext_noop

ON_TIME = ExternalKind(
    "exchange.requests_on_time",
    gettext_noop("Data exchange: requests answered within the limit"),
    gettext_noop("{met} of {due} data-sharing requests decided within the limit"),
)
APPROVAL = ExternalKind(
    "exchange.approval_rate",
    gettext_noop("Data exchange: approval rate of sharing requests"),
    gettext_noop("{met} of {due} data-sharing requests approved"),
)


def requests_on_time(year: int, as_of: dt.date) -> dict[int, Share]:
    return {row["unit_id"]: Share(row["on_time"], row["decided"]) for row in unit_statistics(year)}


def approvals(year: int, as_of: dt.date) -> dict[int, Share]:
    return {row["unit_id"]: Share(row["approved"], row["decided"]) for row in unit_statistics(year)}


def register() -> None:
    register_indicator(ON_TIME, requests_on_time)
    register_indicator(APPROVAL, approvals)
