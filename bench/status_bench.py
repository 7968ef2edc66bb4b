"""Micro-benchmark of the ledger's status-light rules (tasks.status; issue 5).

The dashboard computes the lights of every task in one request, so the pure rules must stay
cheap. This builds the dashboard's volume in memory — by default 100,000 tasks with
1,000,000 progress reports, milestones shaped like the sample task list's 完成时限 — and
times ``task_status`` alone (no database). Run:

    .venv/bin/python bench/status_bench.py [--tasks 100000] [--reports 1000000] [--repeat 3]

and record the figure in docs/benchmarks.md ("Ledger status rules").
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter
from datetime import date, timedelta

from shuzheng.documents.parsing.model import MilestoneKind
from shuzheng.tasks.deadlines import ReportCycle
from shuzheng.tasks.status import (
    Closure,
    LightPolicy,
    MilestoneFacts,
    Report,
    TaskFacts,
    task_status,
)

TODAY = date(2024, 6, 15)
ASSIGNED = date(2023, 5, 16)  # 宁政发〔2023〕17号 was issued on 16 May 2023

# (kind, year) patterns of the sample list's 完成时限 column
SHAPES = (
    ((MilestoneKind.COMPLETE, 2023),),  # "2023年"
    ((MilestoneKind.COMPLETE, 2024),),  # "2024年"
    ((MilestoneKind.COMPLETE, 2025),),  # "2025年"
    ((MilestoneKind.START, 2023), (MilestoneKind.COMPLETE, 2024)),  # task 19
    ((MilestoneKind.ONGOING, None), (MilestoneKind.EFFECTIVE, 2025)),  # task 1
    ((MilestoneKind.COMPLETE, 2023), (MilestoneKind.ONGOING, None)),  # task 18
    ((MilestoneKind.ONGOING, None),),  # task 121
)


def build_tasks(task_count: int, report_count: int, seed: int = 5) -> list[TaskFacts]:
    rng = random.Random(seed)
    span = (TODAY - ASSIGNED).days
    per_task, extra = divmod(report_count, task_count)
    tasks = []
    for index in range(task_count):
        milestones = []
        for kind, year in SHAPES[index % len(SHAPES)]:
            due = None if year is None else date(year, 12, 31)
            achieved = None
            if due is not None and due < TODAY and rng.random() < 0.7:
                achieved = due + timedelta(days=rng.randint(-60, 30))
            milestones.append(MilestoneFacts(kind, due, achieved))
        reports = tuple(
            Report(ASSIGNED + timedelta(days=rng.randint(0, span)), rng.randint(0, 100))
            for _ in range(per_task + (index < extra))
        )
        closure = Closure.CONFIRMED if rng.random() < 0.05 else Closure.OPEN
        cycle = ReportCycle.MONTHLY if index % 3 else ReportCycle.QUARTERLY
        tasks.append(TaskFacts(tuple(milestones), reports, ASSIGNED, cycle, closure))
    return tasks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    started = time.perf_counter()
    tasks = build_tasks(args.tasks, args.reports)
    print(
        f"built {len(tasks):,} tasks, {args.reports:,} reports in {time.perf_counter() - started:.1f} s"
    )

    policy = LightPolicy()
    best = float("inf")
    lights: Counter[str] = Counter()
    for _ in range(args.repeat):
        started = time.perf_counter()
        statuses = [task_status(task, TODAY, policy) for task in tasks]
        best = min(best, time.perf_counter() - started)
        lights = Counter(status.light.value for status in statuses)
    print(f"lights: {dict(sorted(lights.items()))}")
    print(f"best of {args.repeat}: {best:.3f} s = {len(tasks) / best:,.0f} tasks/s")


if __name__ == "__main__":
    main()
