"""``loadsample`` writes the demonstration history (演示数据, issue 14) — deterministic, through
the services, in one transaction — leaves it out with ``--no-demo``, and refuses it on an
installation that passes ``check --deploy``."""

import datetime as dt
import io
import os

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shuzheng import clock
from shuzheng.accounts.models import User
from shuzheng.audit.models import AuditEvent
from shuzheng.dashboard import demo, services
from shuzheng.dashboard.models import AssessmentRules
from shuzheng.tasks.models import Assignment, Evidence, KeyTask, Milestone, ProgressReport

pytestmark = pytest.mark.django_db(transaction=False)

TODAY = "2026-12-02"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def frozen():
    clock.set_now(dt.date.fromisoformat(TODAY))
    yield
    clock.set_now(None)


def history():
    """What the demo wrote, in comparable form."""
    return (
        sorted(
            Assignment.objects.values_list(
                "task__number", "task__form", "unit__code", "assigned_on", "state", "rating"
            )
        ),
        sorted(ProgressReport.objects.values_list("task__number", "unit__code", "reported_on")),
        sorted(KeyTask.objects.values_list("number", "form", "closure", "closed_on", "light")),
    )


def test_loadsample_writes_a_living_seeded_demo_through_the_services(media, frozen):
    out = io.StringIO()
    call_command("loadsample", stdout=out)
    assert "Demonstration history (演示数据)" in out.getvalue()
    lights = set(KeyTask.objects.filter(parent__isnull=True).values_list("light", flat=True))
    assert lights == {"red", "yellow", "green", "grey"}  # the ledger shows all four lights
    assert Evidence.objects.exists() and KeyTask.objects.filter(closure="confirmed").exists()
    assert ProgressReport.objects.filter(text__startswith=demo.LABEL).count() > 50
    report_years = {
        day.year for day in ProgressReport.objects.values_list("reported_on", flat=True)
    }
    assert {2024, 2025, 2026} <= report_years
    actor = User.objects.get(username=demo.DEMO_USERNAME)
    # Every write is audited, by the demonstration supervisor.
    for action in ("tasks.assign", "tasks.report", "tasks.claim", "tasks.close", "tasks.reject"):
        assert AuditEvent.objects.filter(action=action, actor=actor).exists(), action
    assert AuditEvent.objects.filter(action="tasks.send_due_reminders").exists()
    # Each year's assessment ranks units with explained scores.
    assert set(AssessmentRules.objects.values_list("year", flat=True)) == {2023, 2024, 2025, 2026}
    for year in (2023, 2024, 2025, 2026):
        result = services.assess(year)
        totals = {ranked.entry.total for ranked in result.units}
        assert len(result.units) >= 5 and len(totals) >= 3, year
    # This year's rules score the hotline's rates as well (issue 15, point 4).
    lines = [line for ranked in services.assess(2026).units for line in ranked.entry.lines]
    hotline = [line for line in lines if str(line.kind).startswith("hotline.")]
    assert {str(line.kind) for line in hotline} == {
        "hotline.response_rate",
        "hotline.resolution_rate",
        "hotline.satisfaction_rate",
    }
    # The trend line moves: the on-time rate differs between periods.
    summary = services.summary_of(services.refresh_snapshot())
    rates = {rate.rate for rate in summary.trends["quarter"] if rate.due}
    assert len(rates) >= 2

    # Run again: nothing more is written (make run calls loadsample every time).
    first = history()
    again = io.StringIO()
    call_command("loadsample", stdout=again)
    assert "loaded before, kept" in again.getvalue()
    assert history() == first

    # Seeded: remove the history (not the gazette), write it again, the same rows come out.
    Evidence.objects.all().delete()
    ProgressReport.objects.all().delete()
    Assignment.objects.all().delete()
    KeyTask.objects.filter(parent__isnull=False).delete()
    KeyTask.objects.filter(form="manual").delete()
    KeyTask.objects.update(closure="open", closed_on=None, report_cycle="monthly")
    Milestone.objects.update(achieved_on=None)
    User.objects.filter(username=demo.DEMO_USERNAME).delete()
    AssessmentRules.objects.exclude(year=2023).delete()
    demo.load_demo()
    assert history() == first


def test_no_demo_leaves_the_history_out(media, frozen):
    call_command("loadsample", "--no-demo", stdout=io.StringIO())
    assert KeyTask.objects.count() > 100
    assert not Assignment.objects.exists() and not demo.demo_loaded()


def test_the_demo_is_refused_where_check_deploy_passes(media, frozen, settings, monkeypatch):
    """A production setup (here: the settings ``check --deploy`` asks for, the embedded
    database's warning silenced as an operator may) gets no demonstration data."""
    monkeypatch.setitem(os.environ, "SHUZHENG_SECRET_KEY", "k" * 64)
    settings.DEBUG = False
    settings.SECRET_KEY = "p" * 40 + "-production-key-" + "q" * 20
    settings.ALLOWED_HOSTS = ["gov.example"]
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend"}}
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.CLOCK = ""
    settings.TRUST_KEK = "t" * 40
    # async.E001: the browser tests of the same test process set DJANGO_ALLOW_ASYNC_UNSAFE for
    # Playwright's event loop (which stays in the thread, so it cannot be unset here either).
    settings.SILENCED_SYSTEM_CHECKS = [
        *settings.SILENCED_SYSTEM_CHECKS,
        "shuzheng.W001",
        "async.E001",
    ]
    call_command("check", "--deploy", "--fail-level", "WARNING", stdout=io.StringIO())
    with pytest.raises(CommandError, match="check --deploy"):
        call_command("loadsample", stdout=io.StringIO())
    assert not KeyTask.objects.exists() and not demo.demo_loaded()
    call_command("loadsample", "--no-demo", stdout=io.StringIO())
    assert KeyTask.objects.exists() and not Assignment.objects.exists()
