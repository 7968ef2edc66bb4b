"""完成时限 → milestones.

GLOSSARY (key tasks): a deadline cell such as "2023年启动，2024年建成" names several dated steps.
Each clause gives one milestone; its kind comes from the verb (启动 → start; 完成, 建成, 形成, 出台,
实现 … → complete; 取得明显成效, 见效 → effective; 持续推进, 长期坚持 → ongoing) and a bare
year ("2025年") means the task is due then (complete).  A clause that names neither a verb we know
nor a date is returned as unparsed, so that the caller turns it into a "deadline-unparsed"
finding instead of dropping it.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date

from shuzheng.documents.parsing.lines import squeeze
from shuzheng.documents.parsing.model import Milestone, MilestoneKind

# Longest phrases first: "完成主要建设任务" must win over "完成".
_KIND_WORDS: list[tuple[str, MilestoneKind]] = [
    ("取得明显成效", MilestoneKind.EFFECTIVE),
    ("取得显著成效", MilestoneKind.EFFECTIVE),
    ("取得成效", MilestoneKind.EFFECTIVE),
    ("见成效", MilestoneKind.EFFECTIVE),
    ("见效", MilestoneKind.EFFECTIVE),
    ("持续推进", MilestoneKind.ONGOING),
    ("长期坚持", MilestoneKind.ONGOING),
    ("长期推进", MilestoneKind.ONGOING),
    ("持续开展", MilestoneKind.ONGOING),
    ("常态化推进", MilestoneKind.ONGOING),
    ("启动", MilestoneKind.START),
    ("开始", MilestoneKind.START),
    ("完成主要建设任务", MilestoneKind.COMPLETE),
    ("基本完成", MilestoneKind.COMPLETE),
    ("完成", MilestoneKind.COMPLETE),
    ("建成", MilestoneKind.COMPLETE),
    ("形成", MilestoneKind.COMPLETE),
    ("出台", MilestoneKind.COMPLETE),
    ("实现", MilestoneKind.COMPLETE),
    ("建立", MilestoneKind.COMPLETE),
    ("上线", MilestoneKind.COMPLETE),
]
_RECURRING = re.compile(r"^(每年|每季度|每月|每半年)")
_CLAUSE_SEPARATORS = re.compile(r"[，,；;、]|并(?=[^\d]*?(?:坚持|推进))")
_DATE = re.compile(
    r"(?P<year>\d{4})年"
    r"(?:(?P<month>\d{1,2})月(?:(?P<day>\d{1,2})[日号]|(?P<month_end>底|末))?"
    r"|(?P<year_end>底|末)|(?P<half>上半年|年中|下半年)|第?(?P<quarter>[一二三四1-4])季度)?"
)
_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


@dataclass
class Deadline:
    milestones: list[Milestone] = field(default_factory=list)
    unparsed: list[str] = field(default_factory=list)  # clauses nobody understood


def parse_deadline(text: str) -> Deadline:
    """Read a 完成时限 cell (see module docstring); never raises, never drops a clause."""
    result = Deadline()
    for clause in _clauses(text):
        milestone = _clause_milestone(clause)
        if milestone is None:
            result.unparsed.append(clause)
        else:
            result.milestones.append(milestone)
    return result


def _clauses(text: str) -> list[str]:
    normalized = squeeze(text)
    return [part for part in (p.strip() for p in _CLAUSE_SEPARATORS.split(normalized)) if part]


def _clause_milestone(clause: str) -> Milestone | None:
    found = _DATE.search(clause)
    kind = _kind_of(clause)
    if kind is None and _RECURRING.match(clause):
        kind = MilestoneKind.ONGOING
    if kind is None:
        if found is None or _has_unknown_words(clause, found):
            return None
        kind = MilestoneKind.COMPLETE  # a bare date: the task is due then
    if found is None:
        return Milestone(kind=kind, text=clause)
    return Milestone(kind=kind, year=int(found.group("year")), on=_day_of(found), text=clause)


def _kind_of(clause: str) -> MilestoneKind | None:
    for word, kind in _KIND_WORDS:
        if word in clause:
            return kind
    return None


def _has_unknown_words(clause: str, found: re.Match) -> bool:
    """A date with words we cannot place ("2023年试运行") is not a bare date."""
    rest = (clause[: found.start()] + clause[found.end() :]).strip()
    return rest not in ("", "前", "以前", "之前", "底前", "年底前")


def _day_of(found: re.Match) -> date | None:
    year = int(found.group("year"))
    if found.group("day"):
        try:
            return date(year, int(found.group("month")), int(found.group("day")))
        except ValueError:
            return None
    if found.group("month"):
        month = int(found.group("month"))
        if not 1 <= month <= 12:
            return None
        return date(year, month, calendar.monthrange(year, month)[1])
    if found.group("year_end"):
        return date(year, 12, 31)
    if found.group("half"):
        return date(year, 12, 31) if found.group("half") == "下半年" else date(year, 6, 30)
    if found.group("quarter"):
        month = _QUARTER[found.group("quarter")] * 3
        return date(year, month, calendar.monthrange(year, month)[1])
    return None
