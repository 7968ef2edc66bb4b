"""``shuzheng remind``: the daily reminder job of the key-task ledger (催办).

Run it once a day from cron or a systemd timer (docs/ledger.md); it is idempotent, so an
extra run sends nothing twice. It first brings the stored status lights up to date, as
``shuzheng refreshlights`` does, so the ledger is current even where only this job runs. ``shuzheng deliver`` (notifications) sends the queued mail.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from shuzheng import clock
from shuzheng.tasks.services.lights import refresh_stale_lights
from shuzheng.tasks.services.reminders import send_due_reminders


class Command(BaseCommand):
    help = (
        "Remind units of assigned key tasks before and after their due dates and notify red "
        "lights (催办); safe to run repeatedly."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            help="judge as of this day (YYYY-MM-DD) instead of today",
        )

    def handle(self, *args, **options):
        today = clock.today()
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(
                    f"--date {options['date']!r} is not a date such as 2024-03-01"
                ) from None
        lights = refresh_stale_lights(today)
        self.stdout.write(f"{today.isoformat()}: {lights}")
        summary = send_due_reminders(today)
        self.stdout.write(f"{today.isoformat()}: {summary}")
