"""The assessment end to end: the supervision cycle changes a unit's score on the dashboard,
on its score card and in the Excel export (issue 5, "the unit's score changes … after the
supervisor confirms completion")."""

import datetime as dt
from io import BytesIO

import pytest
from openpyxl import load_workbook

from shuzheng.accounts.choices import Role
from shuzheng.dashboard import samples, services
from shuzheng.orgs.models import Unit
from shuzheng.tasks.services import supervision as tasks
from tests.dashboard.conftest import make_user, table_task

pytestmark = pytest.mark.django_db
DAY = dt.date(2024, 2, 1)
YINCHUAN = "银川市人民政府"


@pytest.fixture
def rules_2024(supervisor):
    data = samples.sample_rules_data()
    data["year"] = 2024
    services.save_rules(data, actor=supervisor)


@pytest.fixture
def on_day():
    from shuzheng import clock

    clock.set_now(DAY)
    yield DAY
    clock.set_now(None)


def ranking_row(client, unit_name):
    response = client.get("/dashboard/assessment/2024/export.xlsx")
    sheet = load_workbook(BytesIO(response.content))["排名"]
    return next(row for row in sheet.iter_rows(min_row=3, values_only=True) if row[1] == unit_name)


def test_confirming_completion_changes_the_unit_s_score_everywhere(
    sample_ledger, rules_2024, supervisor, on_day, client, django_capture_on_commit_callbacks
):
    yinchuan = Unit.objects.get(name=YINCHUAN)
    head = make_user("yc_head", Role.UNIT_HEAD, yinchuan)
    task = table_task(37)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.assign(task, yinchuan, actor=supervisor)
        tasks.undertake(task, yinchuan, actor=head)
    client.force_login(supervisor)
    before = services.assess(2024, DAY).card_of(yinchuan.code).entry
    rating_before = before.lines[2]
    assert rating_before.explanation.startswith("not rated, no marks by rule")
    assert ranking_row(client, YINCHUAN)[3] == float(before.total)
    grey_before = services.summary_of(services.current_snapshot()).lights["grey"]

    with django_capture_on_commit_callbacks(execute=True):
        tasks.claim_completion(task, yinchuan, text="已建成", actor=head)
        tasks.close(task, actor=supervisor, rating=5)

    after = services.assess(2024, DAY).card_of(yinchuan.code).entry
    assert (
        after.lines[2].explanation
        == "mean of 1 ratings 5.00 on the 1–5 scale: 100.00% × 20 = 20.00 points"
    )
    assert after.total == before.total + 20
    assert ranking_row(client, YINCHUAN)[3] == float(after.total)
    page = client.get(f"/dashboard/assessment/2024/units/{yinchuan.code}/")
    assert f"{after.total}" in page.content.decode()
    # the dashboard: the closed task turned grey as soon as the ledger changed
    assert services.summary_of(services.current_snapshot()).lights["grey"] == grey_before + 1
