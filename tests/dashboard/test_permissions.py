"""Who may use the dashboard: supervisors and administrators; a unit head reads the score
card of their own unit (issue 5; accounts.permissions)."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from shuzheng.accounts.permissions import ADMINISTRATOR, SUPERVISOR, UNIT_HEAD
from shuzheng.dashboard import samples
from tests.permissions import SUPERVISORS, Case, matrix_test


def rules_upload(world):
    data = samples.sample_rules_data()
    data["year"] = 2030
    return {"rules": SimpleUploadedFile("r.json", json.dumps(data).encode(), "application/json")}


def assessed_units(world):
    """Both matrix units are assessed in 2023: each was assigned a task that year."""
    import datetime as dt

    from shuzheng.tasks.models import Assignment, KeyTask

    samples.load_sample_rules()
    for unit in (world.unit, world.other_unit):
        task = KeyTask.objects.create(number=1, content="示例任务", form="manual")
        Assignment.objects.create(task=task, unit=unit, assigned_on=dt.date(2023, 3, 1))
    return {}


MATRIX = [
    Case("dashboard:overview", allowed=SUPERVISORS),
    Case("dashboard:wall", allowed=SUPERVISORS),
    Case("dashboard:ecocomp", allowed=SUPERVISORS),
    Case("dashboard:hotline", allowed=SUPERVISORS),
    Case("dashboard:refresh", method="post", allowed=SUPERVISORS),
    Case("dashboard:tasks", allowed=SUPERVISORS),
    Case("dashboard:rules", allowed=SUPERVISORS),
    Case("dashboard:rules", method="post", data=rules_upload, allowed=SUPERVISORS),
    Case("dashboard:assessment", path="/dashboard/assessment/2023/", allowed=SUPERVISORS),
    Case(
        "dashboard:assessment",
        path="/dashboard/assessment/2031/",
        allowed=SUPERVISORS,
        label="year-without-rules",
    ),
    Case(
        "dashboard:start_rules",
        method="post",
        path="/dashboard/assessment/2031/start/",
        allowed=SUPERVISORS,
    ),
    Case(
        "dashboard:export_xlsx", path="/dashboard/assessment/2023/export.xlsx", allowed=SUPERVISORS
    ),
    Case("dashboard:export_pdf", path="/dashboard/assessment/2023/export.pdf", allowed=SUPERVISORS),
    # Sealed (issue 10, point 3): supervisors hold no unit's sealing right.
    Case(
        "dashboard:export_sealed_pdf",
        method="post",
        path="/dashboard/assessment/2023/export-sealed.pdf",
        data=lambda w: {"unit": w.unit.pk},
        allowed={ADMINISTRATOR},
    ),
    Case(
        "dashboard:scorecard",
        path=lambda w: f"/dashboard/assessment/2023/units/{w.unit.code}/",
        allowed={UNIT_HEAD, SUPERVISOR, ADMINISTRATOR},
        label="own-unit",
    ),
    Case(
        "dashboard:scorecard",
        path=lambda w: f"/dashboard/assessment/2023/units/{w.other_unit.code}/",
        allowed=SUPERVISORS,
        label="other-unit",
    ),
    Case("api:dashboard_summary", allowed=SUPERVISORS),
    Case("api:dashboard_summary", allowed=SUPERVISORS, auth="token"),
    Case("api:dashboard_assessment", path="/api/v1/dashboard/assessment/2023", allowed=SUPERVISORS),
]

test_matrix = matrix_test(MATRIX, setup=assessed_units)
