"""The rules of 供需对接 (data requests) and 数据异议 (objections), no Django.

Sources:

* 《政务信息资源共享管理暂行办法》(国发〔2016〕51号): 无条件共享 resources are obtained
  directly on the sharing platform (第十二条); for 有条件共享 resources the consumer applies
  and the provider answers within 10 working days, giving its reasons when it refuses
  (第十四条); 不予共享 resources are not shared, the catalog saying why (第九条). A consumer
  who finds shared data wrong reports it to the provider for checking and correction
  (第十八条, "使用部门对获取的共享信息有疑义或发现有明显错误的，应及时反馈提供部门予以校核").
* GB/T 43697-2024 and ``catalog.grading``: core data never leaves through any path, so a
  request for core data is refused whatever its share type; important data only through a
  grant.
* Issue 16, points 1 and 5: a demand for data not yet in the catalog is routed by the catalog
  office to a likely provider; every step has a deadline; an objection must be answered
  within a deadline (confirm and correct, or reject with a reason).

Deadlines are counted in working days on the statutory calendar (the same reading as
``hotline.deadlines``: the day a step starts does not count, make-up days count, holidays do
not; a year the ``chinese-calendar`` package does not cover yet counts Monday to Friday).
The numbers of days are parameters (``Deadlines``) with the sources' values as defaults.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

import chinese_calendar

ONE_DAY = dt.timedelta(days=1)


class RequestState(StrEnum):
    DRAFT = "draft"
    #: A demand for data not in the catalog, waiting for the catalog office (需求分派).
    ROUTING = "routing"
    #: Waiting for the provider's decision (待审批).
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REFUSED = "refused"
    #: Sent back to the consumer to amend and submit again.
    RETURNED = "returned"


class Action(StrEnum):
    SUBMIT = "submit"
    ROUTE = "route"
    APPROVE = "approve"
    REFUSE = "refuse"
    RETURN = "return"


#: The states each action may start from.
ALLOWED_FROM: dict[Action, frozenset[RequestState]] = {
    Action.SUBMIT: frozenset({RequestState.DRAFT, RequestState.RETURNED}),
    Action.ROUTE: frozenset({RequestState.ROUTING}),
    Action.APPROVE: frozenset({RequestState.SUBMITTED}),
    Action.REFUSE: frozenset({RequestState.SUBMITTED, RequestState.ROUTING}),
    Action.RETURN: frozenset({RequestState.SUBMITTED, RequestState.ROUTING}),
}
#: The states in which someone other than the consumer owes an answer.
WAITING_STATES = frozenset({RequestState.ROUTING, RequestState.SUBMITTED})
CLOSED_STATES = frozenset({RequestState.APPROVED, RequestState.REFUSED})
#: Where a request stands when the consumer may still change it.
EDITABLE_STATES = frozenset({RequestState.DRAFT, RequestState.RETURNED})


def may(action: Action | str, state: RequestState | str) -> bool:
    """Whether ``action`` is possible for a request in ``state``."""
    return RequestState(state) in ALLOWED_FROM[Action(action)]


class Outcome(StrEnum):
    """What submitting (or routing) a request for a catalog resource leads to."""

    #: 无条件共享: granted at once (国发〔2016〕51号 第十二条).
    GRANT_AT_ONCE = "grant"
    #: 有条件共享: the provider decides (第十四条).
    TO_PROVIDER = "provider"
    #: 不予共享: refused with the catalog's reason (第九条).
    REFUSE_NOT_SHARED = "not-shared"
    #: Core data (GB/T 43697-2024): refused always.
    REFUSE_CORE = "core-data"
    #: A resource that is not published in the catalog cannot be requested.
    REFUSE_UNPUBLISHED = "unpublished"
    #: No catalog resource named: the catalog office routes the demand.
    TO_OFFICE = "office"


def outcome(*, share_type: str | None, grade: str | None, published: bool = True) -> Outcome:
    """What a request for a resource of ``share_type`` and ``grade`` leads to; both None for a
    demand naming no resource. Core data is refused before the share type is looked at."""
    if share_type is None:
        return Outcome.TO_OFFICE
    if grade == "core":
        return Outcome.REFUSE_CORE
    if not published:
        return Outcome.REFUSE_UNPUBLISHED
    if share_type == "none":
        return Outcome.REFUSE_NOT_SHARED
    if share_type == "unconditional" and grade != "important":
        return Outcome.GRANT_AT_ONCE
    # 有条件共享, and important data even when catalogued as unconditional: it leaves only
    # through a grant its provider signed (catalog.grading).
    return Outcome.TO_PROVIDER


@dataclass(frozen=True)
class Item:
    """An information item as the grant rules see it."""

    column: str
    grade: str
    share_type: str = ""


def shareable_columns(items: Iterable[Item], resource_share_type: str) -> list[str]:
    """The columns a grant may name: an item's own share type (blank: the resource's) must not
    be 不予共享, and a core item never leaves (GB/T 43697-2024, 就高从严 per item)."""
    columns = []
    for item in items:
        share_type = item.share_type or resource_share_type
        if item.column and share_type != "none" and item.grade != "core":
            columns.append(item.column)
    return columns


@dataclass(frozen=True)
class Deadlines:
    """Working days for each step; defaults from 国发〔2016〕51号 (provider's answer: 10) and the
    platform's own practice for routing a demand and answering an objection."""

    routing_days: int = 5
    review_days: int = 10
    objection_days: int = 5


def is_working_day(day: dt.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def add_working_days(day: dt.date, days: int) -> dt.date:
    """The ``days``-th working day after ``day`` (``day`` itself not counted)."""
    if days < 0:
        raise ValueError("a limit cannot be negative")
    while days:
        day += ONE_DAY
        if is_working_day(day):
            days -= 1
    return day


class Urgency(StrEnum):
    ON_TIME = "on-time"
    DUE_SOON = "due-soon"
    OVERDUE = "overdue"


def urgency(now: dt.datetime, due_at: dt.datetime | None, *, soon=dt.timedelta(days=1)) -> Urgency:
    """Whether an open step is on time, due within ``soon`` (a reminder, 催办) or overdue."""
    if due_at is None or now + soon < due_at:
        return Urgency.ON_TIME
    if now <= due_at:
        return Urgency.DUE_SOON
    return Urgency.OVERDUE


class ObjectionState(StrEnum):
    OPEN = "open"
    #: The provider confirmed the objection and corrected the record.
    CONFIRMED = "confirmed"
    #: The provider rejected it, with a reason.
    REJECTED = "rejected"


@dataclass(frozen=True)
class UnitFigures:
    """What a provider unit's answers to requests add up to (issue 16, point 1: response
    time and approval rate per unit)."""

    decided: int
    approved: int
    on_time: int
    total_hours: float

    @property
    def approval_rate(self) -> float | None:
        return self.approved / self.decided if self.decided else None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.decided if self.decided else None

    @property
    def mean_hours(self) -> float | None:
        return self.total_hours / self.decided if self.decided else None
