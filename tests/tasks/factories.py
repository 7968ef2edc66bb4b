"""Small key tasks without the sample gazette, for permission and service tests.

They write rows directly, so each stores the task's light afterwards as the services do
(tasks.services.lights.refresh_lights, docs/ledger.md "Stored lights").
"""

import datetime as dt

from django.core.files.base import ContentFile

from shuzheng.tasks.choices import AssignmentState, Closure, TaskForm
from shuzheng.tasks.models import (
    Assignment,
    Evidence,
    KeyTask,
    Milestone,
    ProgressReport,
    TaskResponsibility,
)
from shuzheng.tasks.services.lights import refresh_lights

PDF = b"%PDF-1.4\n% evidence\n"


def make_task(number, *units, due=dt.date(2024, 12, 31), is_public=False, **fields):
    task = KeyTask.objects.create(
        number=number,
        content=f"测试任务 {number}",
        form=TaskForm.MANUAL,
        deadline_text=f"{due.year}年",
        is_public=is_public,
        registered_on=dt.date(2024, 1, 1),
        **fields,
    )
    for unit in units:
        TaskResponsibility.objects.create(task=task, unit=unit, role="owner", name=unit.name)
    Milestone.objects.create(task=task, kind="complete", year=due.year, text=f"{due.year}年")
    refresh_lights([task.pk])
    return task


def assign(task, unit, *, accepted=True, on=dt.date(2024, 1, 10)):
    assignment = Assignment.objects.create(
        task=task,
        unit=unit,
        assigned_on=on,
        state=AssignmentState.UNDERTAKEN if accepted else AssignmentState.ASSIGNED,
        undertaken_on=on if accepted else None,
    )
    refresh_lights([task.pk])
    return assignment


def add_report(task, unit, on, percent=50, *, claims=False, evidence=None):
    report = ProgressReport.objects.create(
        task=task,
        unit=unit,
        reported_on=on,
        created_at=dt.datetime.combine(on, dt.time(9), tzinfo=dt.UTC),
        text="进展",
        percent=percent,
        claims_completion=claims,
    )
    if claims:
        KeyTask.objects.filter(pk=task.pk).update(closure=Closure.CLAIMED)
    if evidence:
        item = Evidence(
            report=report,
            name=evidence,
            size=len(PDF),
            content_type="application/pdf",
            sha256="0" * 64,
        )
        item.file.save("evidence.pdf", ContentFile(PDF), save=True)
    refresh_lights([task.pk])
    return report
