"""``shuzheng refreshlights``: bring the ledger's stored status lights up to date (红黄绿灯).

The services store a task's light whenever they change the task; time alone turns lights
yellow and red, so run this once a day from cron or a systemd timer, shortly after midnight
(docs/ledger.md, "Stored lights"). It recomputes only the lights whose change day has come
(``--all``: every light, e.g. after changing SHUZHENG_LEDGER_* windows) and is idempotent.
"""

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError

from shuzheng import clock
from shuzheng.tasks.services.lights import refresh_stale_lights


class Command(BaseCommand):
    help = (
        "Recompute the key tasks' stored status lights that may have changed by today "
        "(daily); safe to run repeatedly."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="judge as of this day (YYYY-MM-DD) instead of today")
        parser.add_argument(
            "--all",
            action="store_true",
            dest="everything",
            help="recompute every task's light, not only those that may have changed",
        )

    def handle(self, *args, **options):
        today = parse_day(options["date"]) if options["date"] else clock.today()
        started = time.perf_counter()
        done = refresh_stale_lights(today, everything=options["everything"])
        seconds = time.perf_counter() - started
        self.stdout.write(f"{done} in {seconds:.1f} s")


def parse_day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--date {text!r} is not a date such as 2024-03-01") from None
