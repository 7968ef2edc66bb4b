"""The ledger's JSON API (issue 5, item 5): a supervisor and a unit run the cycle by token."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shuzheng.accounts.services import create_token
from shuzheng.tasks.models import KeyTask
from shuzheng.tasks.services.lights import refresh_stale_lights
from tests.tasks.factories import PDF

pytestmark = pytest.mark.django_db


def bearer(user):
    _token, secret = create_token(user, name="api-test", scopes=["read", "write"], actor=None)
    return {"Authorization": f"Bearer {secret}"}


def test_the_cycle_by_token(task37, yinchuan, supervisor, staff, client, at):
    at(dt.date(2024, 3, 1))
    boss, unit = bearer(supervisor), bearer(staff)
    url = f"/api/v1/tasks/{task37.pk}"
    body = client.post(
        f"{url}/assign", {"unit": yinchuan.code}, content_type="application/json", headers=boss
    ).json()
    assert body["assignments"][0]["unit"]["name"] == "银川市人民政府"
    assert body["assignments"][0]["due_on"] == "2024-12-31"

    early = client.post(f"{url}/reports", {"text": "x", "percent": 5}, headers=unit)
    assert early.status_code == 409 and "Accept the task" in early.json()["detail"]
    client.post(f"{url}/undertake", {}, content_type="application/json", headers=unit)
    reported = client.post(
        f"{url}/reports",
        {"text": "完成一半", "percent": 50, "evidence": SimpleUploadedFile("a.pdf", PDF)},
        headers=unit,
    )
    assert reported.status_code == 201
    report = reported.json()["reports"][0]
    assert (report["percent"], report["evidence"][0]["name"]) == (50, "a.pdf")

    at(dt.date(2025, 1, 2))
    refresh_stale_lights(dt.date(2025, 1, 2))  # the scheduled refresh of the new day
    listed = client.get("/api/v1/tasks/", {"light": "red", "unit": yinchuan.code}, headers=boss)
    row = next(item for item in listed.json()["items"] if item["id"] == task37.pk)
    assert row["status"] == {
        "light": "red",
        "reason": "overdue",
        "text": "2024年: Was due on 2024-12-31; overdue by 2 days.",
    }
    assert row["last_percent"] == 50

    claimed = client.post(
        f"{url}/claim", {"text": "完成"}, content_type="application/json", headers=unit
    )
    assert claimed.json()["closure"] == "claimed"
    closed = client.post(
        f"{url}/close", {"rating": 5}, content_type="application/json", headers=boss
    )
    assert closed.json()["closure"] == "confirmed" and closed.json()["status"]["light"] == "grey"


def test_refused_steps_answer_409_and_change_nothing(task37, supervisor, client):
    response = client.post(
        f"/api/v1/tasks/{task37.pk}/reject",
        {"reason": "x"},
        content_type="application/json",
        headers=bearer(supervisor),
    )
    assert response.status_code == 409
    assert response.json() == {"detail": "Only a claimed completion can be rejected."}
    assert KeyTask.objects.get(pk=task37.pk).closure == "open"


def test_unknown_unit_is_a_clear_422(task37, supervisor, client):
    response = client.post(
        f"/api/v1/tasks/{task37.pk}/assign",
        {"unit": "no-such-unit"},
        content_type="application/json",
        headers=bearer(supervisor),
    )
    assert response.status_code == 422 and "no-such-unit" in response.json()["detail"]


def test_decompose_creates_rows_for_each_unit(sample, supervisor, client):
    from tests.tasks.conftest import table_task

    task = table_task(6)
    response = client.post(
        f"/api/v1/tasks/{task.pk}/decompose",
        {"groups": ["all-cities-and-counties"], "per_year": False},
        content_type="application/json",
        headers=bearer(supervisor),
    )
    assert response.status_code == 201
    rows = response.json()
    assert len(rows) == task.subtasks.count() and {row["parent_id"] for row in rows} == {task.pk}


def test_public_callers_see_public_tasks_without_reports(task37, client):
    assert client.get(f"/api/v1/tasks/{task37.pk}").status_code == 401
    KeyTask.objects.filter(pk=task37.pk).update(is_public=True)
    body = client.get(f"/api/v1/tasks/{task37.pk}").json()
    assert body["milestones"][0]["text"] == "2024年" and body["reports"] == []


def test_reminders_run_by_api(task37, supervisor, client):
    response = client.post("/api/v1/tasks/reminders", headers=bearer(supervisor))
    assert response.status_code == 200 and response.json()["tasks"] == 0
