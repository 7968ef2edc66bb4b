"""The periodic jobs: each app's ``tasks.py`` declares its own with :func:`periodic`.

The worker's scheduler (``scheduler.enqueue_due_jobs``) enqueues every declared job once per
its interval; the jobs themselves judge "today" by the platform clock (``shuzheng.clock``),
never by the interval's wall-clock time, so a demo clock moves what they do, not how often.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.tasks import Task
from django.utils.functional import Promise


@dataclass(frozen=True)
class PeriodicJob:
    task: Task
    every: dt.timedelta
    label: str | Promise

    @property
    def name(self) -> str:
        """The job's stable name: its task's import path (what the queue stores)."""
        return self.task.module_path


#: Every declared periodic job by name, filled as the apps' ``tasks.py`` modules are imported
#: (the worker imports them all at start, ``autodiscover_modules("tasks")``).
PERIODIC_JOBS: dict[str, PeriodicJob] = {}


def periodic(*, every: dt.timedelta, label: str | Promise) -> Callable[[Task], Task]:
    """Declare a task (``@task``) a periodic job run every ``every`` by the worker.

    ``label`` names it on the admin page of failed jobs. Jobs must be idempotent: a job runs
    again at its next interval after a failure, and after a restart of the worker."""
    if every <= dt.timedelta(0):
        raise ValueError("a periodic job needs a positive interval")

    def declare(task: Task) -> Task:
        job = PeriodicJob(task=task, every=every, label=label)
        PERIODIC_JOBS[job.name] = job
        return task

    return declare


def label_of(task_path: str) -> str:
    """The job's label for people, or its import path for a job that is not periodic."""
    job = PERIODIC_JOBS.get(task_path)
    return str(job.label) if job else task_path
