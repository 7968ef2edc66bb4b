"""The dashboard snapshot and the assessment rules service (issue 5, items 3 and 5)."""

import json
from collections import Counter

import pytest

from shuzheng.audit.models import AuditEvent
from shuzheng.dashboard import samples, services
from shuzheng.dashboard.models import AssessmentRules, DashboardSnapshot
from shuzheng.dashboard.queries import due_in
from shuzheng.tasks.models import KeyTask
from shuzheng.tasks.scoring import RulesError
from shuzheng.tasks.selectors import LedgerFilters, ledger_rows, task_row
from shuzheng.tasks.services.lights import refresh_lights
from tests.dashboard.conftest import TODAY, table_task

pytestmark = pytest.mark.django_db


def test_the_snapshot_counts_exactly_the_ledger_s_lights(sample_ledger, today):
    snapshot = services.refresh_snapshot(TODAY)
    summary = services.summary_of(snapshot)
    ledger = Counter(str(row.light) for row in ledger_rows(LedgerFilters(), TODAY))
    assert summary.lights == {
        light: ledger.get(light, 0) for light in ("red", "yellow", "green", "grey")
    }
    assert summary.total == KeyTask.objects.filter(parent__isnull=True).count() == 144
    counted = KeyTask.objects.filter(parent__isnull=True).exclude(light="")
    assert counted.count() == 144
    assert Counter(counted.values_list("light", flat=True)) == ledger
    # 2023 milestones are overdue on 2024-03-01: task 19 "2023年启动，2024年建成" is red
    light = table_task(19)
    assert (light.light, light.light_reason) == ("red", "overdue")
    assert list(due_in(counted, "2024")).count(light) == 1
    assert task_row(light, TODAY).reason_text.startswith("2023年启动: Was due on 2023-12-31")
    assert light.light_days == 61


def test_units_count_their_lead_and_owner_tasks_not_supporting_ones(sample_ledger, today):
    summary = services.summary_of(services.refresh_snapshot(TODAY))
    office = next(entry for entry in summary.units if entry.key == "nx-general-office")
    assert table_task(19).responsibilities.filter(unit__code="nx-general-office", role="lead")
    yinchuan_city = next(entry for entry in summary.units if entry.key == "gov-640100")
    # task 23: 银川市 only supports (配合), so it is not counted for it
    assert not KeyTask.objects.filter(
        pk=table_task(23).pk,
        responsibilities__unit__code="gov-640100",
        responsibilities__role__in=["lead", "owner"],
    ).exists()
    assert office.total > 0 and yinchuan_city.total > 0


def test_a_ledger_change_marks_the_snapshot_stale_and_a_cheap_one_is_recomputed(
    sample_ledger, today, django_capture_on_commit_callbacks
):
    first = services.current_snapshot()
    assert not first.stale
    task = table_task(19)
    task.category = "changed"
    with django_capture_on_commit_callbacks(execute=True):
        # as the admin saves a task: the write, then its light, which announces the change
        task.save()
        refresh_lights([task.pk])
    assert DashboardSnapshot.objects.get().stale
    again = services.current_snapshot()
    assert not again.stale
    assert again.computed_at >= first.computed_at
    assert any(entry.key == "changed" for entry in services.summary_of(again).categories)


def test_an_expensive_stale_snapshot_is_served_as_it_is(sample_ledger, today, monkeypatch):
    services.current_snapshot()
    services.mark_snapshot_stale()
    monkeypatch.setattr(services, "RECOMPUTE_ON_VIEW_BELOW_MS", 0)
    assert services.current_snapshot().stale


def test_a_new_day_gets_a_new_snapshot_and_yesterday_s_is_dropped(sample_ledger):
    services.refresh_snapshot(TODAY)
    later = TODAY.replace(day=2)
    assert services.current_snapshot(later).as_of == later
    assert list(DashboardSnapshot.objects.values_list("as_of", flat=True)) == [later]


def test_the_sample_loader_stores_its_year_s_rules_and_keeps_uploaded_ones(db):
    assert services.rules_for_year(2023) is None  # product code reads no sample file
    assert samples.load_sample_rules() == "rules for 2023 stored"
    assert services.rules_for_year(2023).title.startswith("2023年度")
    assert services.rules_for_year(2024) is None
    assert services.rule_years() == [2023]
    assert samples.load_sample_rules() == "rules for 2023 exist already, kept"


def test_valid_rules_are_saved_with_an_audit_event(supervisor):
    samples.load_sample_rules()
    data = samples.sample_rules_data()
    data["year"] = 2024
    data["indicators"][0]["weight"] = 60
    data["indicators"][1]["weight"] = 10
    stored = services.save_rules(data, actor=supervisor)
    assert stored.year == 2024 and stored.updated_by == supervisor
    assert services.rules_for_year(2024).indicators[0].weight == 60
    assert services.rule_years() == [2024, 2023]
    event = AuditEvent.objects.filter(action="dashboard.save_rules").latest("id")
    assert event.actor == supervisor and event.before is None
    assert event.after["year"] == 2024

    data["title"] = "2024年度（修订）"
    services.save_rules(data, actor=supervisor)
    assert AssessmentRules.objects.filter(year=2024).count() == 1
    replaced = AuditEvent.objects.filter(action="dashboard.save_rules").latest("id")
    assert replaced.before["rules"]["title"] != replaced.after["rules"]["title"]


def test_invalid_rules_list_every_problem_and_store_nothing(supervisor):
    data = samples.sample_rules_data()
    data["indicators"][0]["weight"] = 70
    del data["indicators"][3]["params"]["points_per_item"]
    with pytest.raises(RulesError) as caught:
        services.save_rules(data, actor=supervisor)
    assert "indicators[3].params: missing 'points_per_item'" in caught.value.problems
    assert not AssessmentRules.objects.exists()
    assert not AuditEvent.objects.filter(action="dashboard.save_rules").exists()


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"\xff\xfe{", "the file is not UTF-8 text"),
        (
            b'{"year": 2023,',
            "not valid JSON: Expecting property name enclosed in double quotes (line 1)",
        ),
    ],
)
def test_an_unreadable_upload_is_explained(content, problem):
    with pytest.raises(RulesError) as caught:
        services.parse_rules_upload(content)
    assert caught.value.problems == [problem]


def test_an_upload_with_a_byte_order_mark_is_read():
    data = samples.sample_rules_data()
    assert services.parse_rules_upload(b"\xef\xbb\xbf" + json.dumps(data).encode()) == data


def test_assessing_a_year_without_rules_is_refused(db):
    with pytest.raises(services.NoRules):
        services.assess(2019, TODAY)
