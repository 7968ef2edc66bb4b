"""Due dates, report cycles and reminder schedules (tasks.deadlines; issue 5, seed tasks 109, 124)."""

from datetime import date

import pytest

from shuzheng.documents.parsing.model import MilestoneKind
from shuzheng.tasks.deadlines import (
    Reminder,
    ReminderPolicy,
    ReminderStage,
    ReportCycle,
    milestone_due_on,
    next_report_due,
    period_end,
    reminders_between,
)


class TestMilestoneDueOn:
    def test_year_only_milestone_is_due_at_the_end_of_that_year(self):
        # task 19 "2023年启动，2024年建成"
        assert milestone_due_on(MilestoneKind.START, year=2023) == date(2023, 12, 31)
        assert milestone_due_on(MilestoneKind.COMPLETE, year=2024) == date(2024, 12, 31)

    def test_full_date_is_due_that_day(self):
        assert milestone_due_on(MilestoneKind.COMPLETE, 2023, date(2023, 6, 30)) == date(
            2023, 6, 30
        )

    def test_effective_milestone_follows_the_same_rule(self):
        # task 1 "持续推进，2025年取得明显成效"
        assert milestone_due_on(MilestoneKind.EFFECTIVE, year=2025) == date(2025, 12, 31)

    def test_ongoing_milestone_has_no_due_date(self):
        # task 121 "长期坚持"
        assert milestone_due_on(MilestoneKind.ONGOING) is None
        assert milestone_due_on(MilestoneKind.ONGOING, year=2023) is None

    def test_plain_string_kinds_from_the_database_work(self):
        assert milestone_due_on("ongoing") is None
        assert milestone_due_on("complete", 2024) == date(2024, 12, 31)

    def test_dated_kind_without_year_or_date_is_an_error(self):
        with pytest.raises(ValueError, match="complete milestone needs a year or a date"):
            milestone_due_on(MilestoneKind.COMPLETE)


class TestPeriodEnd:
    @pytest.mark.parametrize(
        ("on", "expected"),
        [
            (date(2024, 1, 1), date(2024, 1, 31)),
            (date(2024, 2, 10), date(2024, 2, 29)),  # leap year
            (date(2023, 2, 10), date(2023, 2, 28)),
            (date(2023, 4, 30), date(2023, 4, 30)),
            (date(2023, 12, 5), date(2023, 12, 31)),
        ],
    )
    def test_monthly(self, on, expected):
        assert period_end(ReportCycle.MONTHLY, on) == expected

    @pytest.mark.parametrize(
        ("on", "expected"),
        [
            (date(2023, 1, 1), date(2023, 3, 31)),
            (date(2023, 3, 31), date(2023, 3, 31)),
            (date(2023, 4, 1), date(2023, 6, 30)),
            (date(2023, 8, 15), date(2023, 9, 30)),
            (date(2023, 11, 2), date(2023, 12, 31)),
        ],
    )
    def test_quarterly(self, on, expected):
        assert period_end(ReportCycle.QUARTERLY, on) == expected


class TestNextReportDue:
    def test_first_report_is_due_at_the_end_of_the_assignment_period(self):
        assert next_report_due(ReportCycle.MONTHLY, None, date(2023, 10, 12)) == date(2023, 10, 31)
        assert next_report_due(ReportCycle.QUARTERLY, None, date(2023, 10, 12)) == date(
            2023, 12, 31
        )

    def test_a_report_covers_its_period_so_the_next_is_due_at_the_end_of_the_following(self):
        since = date(2023, 6, 1)
        assert next_report_due(ReportCycle.MONTHLY, date(2023, 10, 3), since) == date(2023, 11, 30)
        assert next_report_due(ReportCycle.MONTHLY, date(2023, 12, 20), since) == date(2024, 1, 31)
        assert next_report_due(ReportCycle.QUARTERLY, date(2023, 10, 3), since) == date(2024, 3, 31)

    def test_a_report_older_than_the_assignment_does_not_count(self):
        assert next_report_due(ReportCycle.MONTHLY, date(2023, 5, 20), date(2023, 6, 1)) == date(
            2023, 6, 30
        )

    def test_grace_days_move_the_due_date(self):
        # "by the 5th of the next month"
        assert next_report_due(ReportCycle.MONTHLY, None, date(2023, 12, 1), 5) == date(2024, 1, 5)


class TestReminders:
    def test_policy_sorts_offsets(self):
        policy = ReminderPolicy(before_days=(1, 7, 3), after_days=(7, 1))
        assert policy.before_days == (1, 3, 7)
        assert policy.after_days == (1, 7)

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"before_days": (7, -1)}, "before_days must hold whole numbers"),
            ({"before_days": (7, 7)}, "before_days repeats an offset"),
            ({"after_days": (1.5,)}, "after_days must hold whole numbers"),
            ({"after_days": (0, 3)}, "after_days must be ≥ 1"),
            ({"repeat_every_days": -2}, "repeat_every_days must hold whole numbers"),
            ({"repeat_every_days": True}, "repeat_every_days must hold whole numbers"),
        ],
    )
    def test_bad_policy_is_refused(self, kwargs, message):
        with pytest.raises(ValueError, match=message):
            ReminderPolicy(**kwargs)

    def test_full_schedule_before_on_and_after_the_due_date(self):
        due = date(2024, 12, 31)  # task 23 "2024年"
        policy = ReminderPolicy(before_days=(7, 0), after_days=(1, 7), repeat_every_days=14)
        reminders = reminders_between(due, policy, None, date(2025, 2, 1))
        assert reminders == [
            Reminder(date(2024, 12, 24), -7),
            Reminder(date(2024, 12, 31), 0),
            Reminder(date(2025, 1, 1), 1),
            Reminder(date(2025, 1, 7), 7),
            Reminder(date(2025, 1, 21), 21),
        ]
        assert [r.stage for r in reminders] == [
            ReminderStage.BEFORE,
            ReminderStage.ON,
            ReminderStage.AFTER,
            ReminderStage.AFTER,
            ReminderStage.AFTER,
        ]

    def test_only_reminders_since_the_previous_run_are_returned(self):
        due = date(2024, 12, 31)
        policy = ReminderPolicy(before_days=(7, 1), after_days=(1,), repeat_every_days=0)
        assert reminders_between(due, policy, date(2024, 12, 24), date(2024, 12, 30)) == [
            Reminder(date(2024, 12, 30), -1)
        ]
        assert reminders_between(due, policy, date(2024, 12, 30), date(2024, 12, 31)) == []

    def test_without_repeat_the_schedule_ends_with_the_last_after_offset(self):
        policy = ReminderPolicy(before_days=(), after_days=(3,), repeat_every_days=0)
        assert reminders_between(date(2023, 12, 31), policy, None, date(2030, 1, 1)) == [
            Reminder(date(2024, 1, 3), 3)
        ]

    def test_repeat_without_after_offsets_starts_from_the_due_date(self):
        policy = ReminderPolicy(before_days=(), after_days=(), repeat_every_days=10)
        assert reminders_between(date(2023, 12, 31), policy, None, date(2024, 1, 25)) == [
            Reminder(date(2024, 1, 10), 10),
            Reminder(date(2024, 1, 20), 20),
        ]
