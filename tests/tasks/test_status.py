"""The status-light rule set (tasks.status; issue 5), one test per branch of the decision table.

Examples are tasks from the sample gazette's list (宁政发〔2023〕17号, attachment 2), assigned on
the document's date, 16 May 2023, reporting monthly; windows are 30 days unless said.
"""

from datetime import date

import pytest

from shuzheng.documents.parsing.model import MilestoneKind
from shuzheng.tasks.deadlines import ReportCycle
from shuzheng.tasks.status import (
    REASON_TEXT,
    Closure,
    Light,
    LightPolicy,
    MilestoneFacts,
    Reason,
    Report,
    TaskFacts,
    Verdict,
    task_status,
)

ASSIGNED = date(2023, 5, 16)
POLICY = LightPolicy(yellow_window_days=30, recent_report_days=30)
START, COMPLETE, EFFECTIVE, ONGOING = (
    MilestoneKind.START,
    MilestoneKind.COMPLETE,
    MilestoneKind.EFFECTIVE,
    MilestoneKind.ONGOING,
)


def ms(kind, year=None, achieved_on=None, text=""):
    return MilestoneFacts.from_deadline(kind, year, achieved_on=achieved_on, text=text)


def task(*milestones, reports=(), closure=Closure.OPEN, cycle=ReportCycle.MONTHLY):
    return TaskFacts(tuple(milestones), tuple(reports), ASSIGNED, cycle, closure)


def monthly_reports(until, day=20):
    """One report on ``day`` of every month from June 2023 up to ``until``."""
    reports, year, month = [], 2023, 6
    while date(year, month, day) <= until:
        reports.append(Report(date(year, month, day), percent=50))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return reports


def task_19(**kwargs):
    """19. 建设政务信创云 — "2023年启动，2024年建成"."""
    return task(ms(START, 2023, text="2023年启动"), ms(COMPLETE, 2024, text="2024年建成"), **kwargs)


def task_18(achieved_on=None, **kwargs):
    """18. 数字政府安全技术保障体系 — "2023年形成机制，长期坚持"."""
    return task(
        ms(COMPLETE, 2023, achieved_on, text="2023年形成机制"),
        ms(ONGOING, text="长期坚持"),
        **kwargs,
    )


def task_1(**kwargs):
    """1. "西部数谷" — "持续推进，2025年取得明显成效"."""
    return task(
        ms(ONGOING, text="持续推进"), ms(EFFECTIVE, 2025, text="2025年取得明显成效"), **kwargs
    )


def task_121(**kwargs):
    """121. 常态化考核和以奖代补工作机制 — "长期坚持"."""
    return task(ms(ONGOING, text="长期坚持"), **kwargs)


class TestInputs:
    def test_from_deadline_computes_the_due_date(self):
        assert ms(COMPLETE, 2024).due_on == date(2024, 12, 31)
        assert ms(ONGOING).due_on is None

    def test_dated_milestone_without_due_date_is_refused(self):
        with pytest.raises(ValueError, match="only ongoing milestones have no due date"):
            MilestoneFacts(COMPLETE, None, text="2024年建成")

    def test_ongoing_milestone_with_due_date_is_refused(self):
        with pytest.raises(ValueError, match="only ongoing milestones have no due date"):
            MilestoneFacts(ONGOING, date(2024, 12, 31))

    @pytest.mark.parametrize(
        "kwargs",
        [{"yellow_window_days": -1}, {"recent_report_days": 1.5}, {"report_grace_days": True}],
    )
    def test_bad_policy_is_refused(self, kwargs):
        with pytest.raises(ValueError, match="must be a whole number of days"):
            LightPolicy(**kwargs)

    def test_every_reason_has_a_human_text(self):
        assert set(REASON_TEXT) == set(Reason)
        for reason in Reason:
            text = Verdict(Light.RED, reason, date(2024, 12, 31), 3).text
            assert text and "{" not in text


class TestClosedTasks:
    def test_confirmed_closure_turns_the_task_and_open_milestones_grey(self):
        # task 122 "2023 年完成，长期坚持", confirmed closed
        status = task_status(
            task(ms(COMPLETE, 2023, date(2023, 11, 1)), ms(ONGOING), closure=Closure.CONFIRMED),
            date(2024, 3, 1),
            POLICY,
        )
        assert (status.light, status.reason) == (Light.GREY, Reason.TASK_CLOSED)
        assert [v.reason for v in status.milestones] == [Reason.ACHIEVED, Reason.TASK_CLOSED]
        assert status.text == "The task's completion has been confirmed (办结)."

    def test_confirmed_closure_wins_over_overdue_milestones(self):
        status = task_status(task_19(closure=Closure.CONFIRMED), date(2026, 1, 1), POLICY)
        assert status.light == Light.GREY
        assert {v.light for v in status.milestones} == {Light.GREY}


class TestTaskAggregation:
    def test_task_without_milestones_is_yellow(self):
        status = task_status(task(), date(2023, 6, 1), POLICY)
        assert (status.light, status.reason, status.milestones) == (
            Light.YELLOW,
            Reason.NO_MILESTONES,
            (),
        )

    def test_all_milestones_achieved_but_not_closed_is_green(self):
        status = task_status(
            task(ms(START, 2023, date(2023, 7, 1)), ms(COMPLETE, 2024, date(2024, 10, 1))),
            date(2024, 11, 1),
            POLICY,
        )
        assert (status.light, status.reason) == (Light.GREEN, Reason.ALL_ACHIEVED)
        assert status.deciding is None

    def test_task_takes_the_worst_open_milestone(self):
        # task 19 on 10 Dec 2024: the 2023 start was never recorded (red), 2024 completion
        # is due in 21 days (yellow without a report)
        status = task_status(task_19(), date(2024, 12, 10), POLICY)
        assert [v.light for v in status.milestones] == [Light.RED, Light.YELLOW]
        assert (status.light, status.reason) == (Light.RED, Reason.OVERDUE)
        assert status.deciding.text == "2023年启动"
        assert status.text == "2023年启动: Was due on 2023-12-31; overdue by 345 days."

    def test_achieved_milestones_do_not_count_for_the_task(self):
        status = task_status(
            task(ms(START, 2023, date(2024, 2, 1), text="2023年启动"), ms(COMPLETE, 2024)),
            date(2024, 3, 1),
            POLICY,
        )
        assert status.milestones[0].reason == Reason.ACHIEVED_LATE
        assert status.reason == Reason.REPORT_MISSING  # from the 2024 milestone

    def test_on_equal_lights_the_earlier_due_date_decides(self):
        status = task_status(
            task(
                ms(COMPLETE, 2025, text="2025"),
                ms(START, 2024, text="2024"),
                reports=[Report(date(2023, 6, 20))],
            ),
            date(2023, 7, 1),
            POLICY,
        )
        assert [v.light for v in status.milestones] == [Light.GREEN, Light.GREEN]
        assert status.deciding.text == "2024"

    def test_on_equal_lights_an_ongoing_milestone_decides_last(self):
        # task 1 in July 2023 with June reported: both milestones green
        status = task_status(task_1(reports=[Report(date(2023, 6, 20))]), date(2023, 7, 1), POLICY)
        assert [v.light for v in status.milestones] == [Light.GREEN, Light.GREEN]
        assert status.deciding.text == "2025年取得明显成效"

    def test_an_ongoing_milestone_decides_when_it_is_worse(self):
        # task 1 in July 2023, the June report missing: ongoing red, 2025 yellow
        status = task_status(task_1(), date(2023, 7, 1), POLICY)
        assert [v.reason for v in status.milestones] == [
            Reason.REPORT_OVERDUE,
            Reason.REPORT_MISSING,
        ]
        assert status.deciding.text == "持续推进"
        assert status.light == Light.RED

    def test_task_text_without_milestone_text_is_the_verdict_text(self):
        status = task_status(task(ms(COMPLETE, 2023)), date(2024, 1, 2), POLICY)
        assert status.text == "Was due on 2023-12-31; overdue by 2 days."


class TestAchievedMilestones:
    def test_achieved_on_time_is_grey(self):
        status = task_status(task_18(achieved_on=date(2023, 12, 31)), date(2024, 1, 10), POLICY)
        assert status.milestones[0] == Verdict(Light.GREY, Reason.ACHIEVED, date(2023, 12, 31))

    def test_achieved_late_is_grey_with_the_delay(self):
        status = task_status(task_18(achieved_on=date(2024, 1, 5)), date(2024, 1, 10), POLICY)
        assert status.milestones[0] == Verdict(
            Light.GREY, Reason.ACHIEVED_LATE, date(2024, 1, 5), 5
        )

    def test_an_achievement_after_today_is_not_known_yet(self):
        status = task_status(task_18(achieved_on=date(2024, 1, 5)), date(2024, 1, 2), POLICY)
        assert status.milestones[0].reason == Reason.OVERDUE

    def test_an_ongoing_milestone_can_be_ended(self):
        status = task_status(
            task(ms(ONGOING, achieved_on=date(2024, 6, 1))), date(2024, 7, 1), POLICY
        )
        assert status.milestones[0].reason == Reason.ACHIEVED
        assert status.reason == Reason.ALL_ACHIEVED


class TestDatedMilestones:
    """Seed task 23 "2024年" (一本账) through its year, reporting monthly on the 20th."""

    def status_on(self, today, reports=None, policy=POLICY):
        reports = monthly_reports(today) if reports is None else reports
        facts = task(ms(COMPLETE, 2024), reports=reports)
        return task_status(facts, today, policy).milestones[0]

    def test_far_from_due_with_reports_up_to_date_is_green(self):
        assert self.status_on(date(2024, 6, 1)) == Verdict(
            Light.GREEN, Reason.ON_TRACK, date(2024, 12, 31), 213
        )

    def test_far_from_due_with_a_missed_report_is_yellow(self):
        reports = monthly_reports(date(2024, 3, 31))  # nothing since March
        verdict = self.status_on(date(2024, 6, 1), reports)
        assert verdict == Verdict(Light.YELLOW, Reason.REPORT_MISSING, date(2024, 4, 30), 32)

    def test_due_within_the_window_with_a_recent_report_is_green(self):
        verdict = self.status_on(date(2024, 12, 1))  # reported 20 Nov
        assert verdict == Verdict(Light.GREEN, Reason.DUE_SOON_REPORTED, date(2024, 12, 31), 30)

    def test_due_within_the_window_without_a_recent_report_is_yellow(self):
        reports = monthly_reports(date(2024, 10, 31))  # last on 20 Oct, 42 days before
        verdict = self.status_on(date(2024, 12, 1), reports)
        assert verdict == Verdict(Light.YELLOW, Reason.DUE_SOON_UNREPORTED, date(2024, 12, 31), 30)

    def test_the_window_edges_are_inclusive(self):
        # 31 days left: outside the window; reports are up to date
        assert self.status_on(date(2024, 11, 30), []).reason == Reason.REPORT_MISSING
        assert self.status_on(date(2024, 11, 30)).reason == Reason.ON_TRACK
        # a report exactly 30 days old is still recent
        reports = [Report(date(2024, 11, 1))]
        assert self.status_on(date(2024, 12, 1), reports).reason == Reason.DUE_SOON_REPORTED
        reports = [Report(date(2024, 10, 31))]
        assert self.status_on(date(2024, 12, 1), reports).reason == Reason.DUE_SOON_UNREPORTED

    def test_on_the_due_date_it_is_not_overdue_yet(self):
        verdict = self.status_on(date(2024, 12, 31), [])
        assert verdict == Verdict(Light.YELLOW, Reason.DUE_SOON_UNREPORTED, date(2024, 12, 31), 0)

    def test_after_the_due_date_it_is_red_whatever_was_reported(self):
        verdict = self.status_on(date(2025, 1, 1))
        assert verdict == Verdict(Light.RED, Reason.OVERDUE, date(2024, 12, 31), 1)

    def test_a_wider_window_turns_yellow_earlier(self):
        wide = LightPolicy(yellow_window_days=90, recent_report_days=30)
        reports = monthly_reports(date(2024, 8, 31))
        assert self.status_on(date(2024, 10, 10), reports).reason == Reason.REPORT_MISSING
        verdict = self.status_on(date(2024, 10, 10), reports, wide)
        assert verdict.reason == Reason.DUE_SOON_UNREPORTED

    def test_reports_after_today_are_ignored(self):
        reports = [Report(date(2024, 12, 20))]
        assert self.status_on(date(2024, 12, 10), reports).reason == Reason.DUE_SOON_UNREPORTED

    def test_report_grace_days_delay_a_missing_report(self):
        reports = monthly_reports(date(2024, 4, 30))  # April reported, May not yet
        assert self.status_on(date(2024, 6, 3), reports).reason == Reason.REPORT_MISSING
        graceful = LightPolicy(report_grace_days=5)
        assert self.status_on(date(2024, 6, 3), reports, graceful).reason == Reason.ON_TRACK


class TestOngoingMilestones:
    """Seed task 121 "长期坚持": no end date, followed through monthly reports."""

    def verdict(self, today, reports, cycle=ReportCycle.MONTHLY):
        return task_status(task_121(reports=reports, cycle=cycle), today, POLICY).milestones[0]

    def test_first_report_due_within_the_window_is_yellow(self):
        # assigned 16 May; the first report is due 31 May, 15 days later, and none yet
        assert self.verdict(date(2023, 5, 16), []) == Verdict(
            Light.YELLOW, Reason.REPORT_DUE_SOON, date(2023, 5, 31), 15
        )

    def test_reported_this_period_is_green_until_the_next_is_due(self):
        verdict = self.verdict(date(2023, 6, 25), [Report(date(2023, 6, 20))])
        assert verdict == Verdict(Light.GREEN, Reason.REPORTING_ON_SCHEDULE, date(2023, 7, 31), 36)

    def test_next_report_due_soon_with_a_recent_report_stays_green(self):
        # next report due 31 July (16 days); the June report is 25 days old, still recent
        verdict = self.verdict(date(2023, 7, 15), [Report(date(2023, 6, 20))])
        assert verdict == Verdict(Light.GREEN, Reason.REPORTING_ON_SCHEDULE, date(2023, 7, 31), 16)

    def test_next_report_due_soon_without_a_recent_report_is_yellow(self):
        verdict = self.verdict(date(2023, 7, 25), [Report(date(2023, 6, 20))])
        assert verdict == Verdict(Light.YELLOW, Reason.REPORT_DUE_SOON, date(2023, 7, 31), 6)

    def test_a_missed_report_is_red(self):
        verdict = self.verdict(date(2023, 8, 2), [Report(date(2023, 6, 20))])
        assert verdict == Verdict(Light.RED, Reason.REPORT_OVERDUE, date(2023, 7, 31), 2)

    def test_quarterly_reporting(self):
        reports = [Report(date(2023, 9, 28))]
        assert self.verdict(date(2023, 11, 1), reports, ReportCycle.QUARTERLY).light == Light.GREEN
        verdict = self.verdict(date(2024, 1, 3), reports, ReportCycle.QUARTERLY)
        assert verdict == Verdict(Light.RED, Reason.REPORT_OVERDUE, date(2023, 12, 31), 3)

    def test_task_18_after_its_2023_mechanism_is_judged_by_its_reports(self):
        # "2023年形成机制，长期坚持": mechanism formed on time, then reports every month
        facts = task_18(achieved_on=date(2023, 11, 30), reports=monthly_reports(date(2024, 2, 29)))
        status = task_status(facts, date(2024, 3, 5), POLICY)
        assert [v.reason for v in status.milestones] == [
            Reason.ACHIEVED,
            Reason.REPORTING_ON_SCHEDULE,
        ]
        assert (status.light, status.deciding.text) == (Light.GREEN, "长期坚持")
        late = task_status(facts, date(2024, 4, 2), POLICY)
        assert (late.light, late.reason) == (Light.RED, Reason.REPORT_OVERDUE)

    def test_task_18_before_its_mechanism_is_formed_is_led_by_the_year_end(self):
        status = task_status(
            task_18(reports=monthly_reports(date(2023, 11, 30))), date(2023, 12, 15), POLICY
        )
        assert [v.reason for v in status.milestones] == [
            Reason.DUE_SOON_REPORTED,
            Reason.REPORTING_ON_SCHEDULE,
        ]
        overdue = task_status(
            task_18(reports=monthly_reports(date(2024, 1, 31))), date(2024, 1, 31), POLICY
        )
        assert (overdue.light, overdue.deciding.text) == (Light.RED, "2023年形成机制")


class TestCompletionClaims:
    """A report asking to close (申请办结) while the supervisor has not confirmed it."""

    def test_claim_before_the_due_date_is_green_while_awaiting_confirmation(self):
        reports = [Report(date(2024, 10, 8), 100, claimed_complete=True)]
        status = task_status(
            task_19(reports=reports, closure=Closure.CLAIMED), date(2025, 2, 1), POLICY
        )
        # the 2023 start was due before the claim: the claim came late for it
        assert status.milestones == (
            Verdict(Light.RED, Reason.CLAIMED_LATE, date(2024, 10, 8), 282),
            Verdict(Light.GREEN, Reason.CLOSURE_CLAIMED, date(2024, 10, 8)),
        )
        assert status.reason == Reason.CLAIMED_LATE

    def test_ongoing_milestones_need_no_reports_while_a_claim_is_pending(self):
        reports = [Report(date(2023, 6, 1), claimed_complete=True)]
        status = task_status(
            task_121(reports=reports, closure=Closure.CLAIMED), date(2024, 1, 1), POLICY
        )
        assert (status.light, status.reason) == (Light.GREEN, Reason.CLOSURE_CLAIMED)

    def test_the_latest_claim_counts(self):
        reports = [
            Report(date(2024, 11, 1), claimed_complete=True),
            Report(date(2025, 1, 5), claimed_complete=True),
            Report(date(2024, 12, 1)),
        ]
        status = task_status(
            task(ms(COMPLETE, 2024), reports=reports, closure=Closure.CLAIMED),
            date(2025, 1, 10),
            POLICY,
        )
        assert status.verdict == Verdict(Light.RED, Reason.CLAIMED_LATE, date(2025, 1, 5), 5)

    def test_a_claim_filed_after_today_does_not_exist_yet(self):
        reports = [Report(date(2024, 12, 20), claimed_complete=True)]
        status = task_status(
            task(ms(COMPLETE, 2024), reports=reports, closure=Closure.CLAIMED),
            date(2024, 12, 10),
            POLICY,
        )
        assert status.reason == Reason.DUE_SOON_UNREPORTED

    def test_a_rejected_claim_is_only_a_report(self):
        # the supervisor sent the task back: closure is open again
        reports = [Report(date(2024, 12, 5), 100, claimed_complete=True)]
        status = task_status(task(ms(COMPLETE, 2024), reports=reports), date(2024, 12, 10), POLICY)
        assert status.reason == Reason.DUE_SOON_REPORTED

    def test_claimed_closure_without_a_claiming_report_is_refused(self):
        with pytest.raises(ValueError, match="closure is claimed but no report claims completion"):
            task_status(
                task(
                    ms(COMPLETE, 2024), reports=[Report(date(2024, 6, 1))], closure=Closure.CLAIMED
                ),
                date(2024, 7, 1),
                POLICY,
            )
