"""The hotline's rates per unit and per region: 响应率, 解决率, 满意率 (issue 15, point 4).

Plain Python, no Django: callers hand in one :class:`Outcome` per request and unit (what the
unit was given and what it did), read from the assignments, replies and callbacks.

A request counts for a rate once it is *due* for it — its limit has passed at ``now`` — or once
the unit has already done what the rate measures; a request still within its limit and not yet
handled counts for neither side, so a unit is not marked down for time it still has.

* 响应率 (response rate) = requests signed for (签收) by the response limit
  ÷ requests due for a response (signed for, or past the response limit).
* 解决率 (resolution rate) = requests resolved by the resolution limit
  ÷ requests due for resolution (resolved, or past the resolution limit).
  A request reopened after a 不满意 callback is not resolved until it is resolved again.
* 满意率 (satisfaction rate) = callbacks answered 满意 or 基本满意
  ÷ callbacks answered; only the latest callback of a request counts.

A rate with nothing to count is ``None`` (shown as "—"), never 0 or 100 %.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

SATISFIED = frozenset({"satisfied", "basically_satisfied"})
ANSWERS = SATISFIED | {"dissatisfied"}


@dataclass(frozen=True)
class Outcome:
    unit: str
    region: str
    response_due_at: dt.datetime
    resolution_due_at: dt.datetime
    #: When the unit signed for the request (签收); None: not yet.
    responded_at: dt.datetime | None = None
    #: When the request was last resolved; None: not resolved or reopened since.
    resolved_at: dt.datetime | None = None
    #: The latest callback's answer ("satisfied", "basically_satisfied", "dissatisfied").
    satisfaction: str | None = None


@dataclass(frozen=True)
class Rates:
    requests: int = 0
    due_response: int = 0
    responded_in_time: int = 0
    due_resolution: int = 0
    resolved_in_time: int = 0
    rated: int = 0
    satisfied: int = 0

    @staticmethod
    def _ratio(part: int, whole: int) -> float | None:
        return part / whole if whole else None

    @property
    def response_rate(self) -> float | None:
        return self._ratio(self.responded_in_time, self.due_response)

    @property
    def resolution_rate(self) -> float | None:
        return self._ratio(self.resolved_in_time, self.due_resolution)

    @property
    def satisfaction_rate(self) -> float | None:
        return self._ratio(self.satisfied, self.rated)

    def add(self, outcome: Outcome, now: dt.datetime) -> Rates:
        """These rates with ``outcome`` counted as well (see the module docstring)."""
        if outcome.satisfaction is not None and outcome.satisfaction not in ANSWERS:
            raise ValueError(f"unknown satisfaction {outcome.satisfaction!r}")
        responded = outcome.responded_at is not None
        resolved = outcome.resolved_at is not None
        rated = outcome.satisfaction is not None
        return Rates(
            requests=self.requests + 1,
            due_response=self.due_response + (responded or outcome.response_due_at <= now),
            responded_in_time=self.responded_in_time
            + (responded and outcome.responded_at <= outcome.response_due_at),
            due_resolution=self.due_resolution + (resolved or outcome.resolution_due_at <= now),
            resolved_in_time=self.resolved_in_time
            + (resolved and outcome.resolved_at <= outcome.resolution_due_at),
            rated=self.rated + rated,
            satisfied=self.satisfied + (outcome.satisfaction in SATISFIED),
        )


def summarise(
    outcomes: Iterable[Outcome], now: dt.datetime, key: Callable[[Outcome], Hashable]
) -> dict[Hashable, Rates]:
    """The rates of ``outcomes`` grouped by ``key`` (e.g. ``by_unit``), in first-seen order."""
    result: dict[Hashable, Rates] = {}
    for outcome in outcomes:
        group = key(outcome)
        result[group] = result.get(group, Rates()).add(outcome, now)
    return result


def by_unit(outcome: Outcome) -> str:
    return outcome.unit


def by_region(outcome: Outcome) -> str:
    return outcome.region
