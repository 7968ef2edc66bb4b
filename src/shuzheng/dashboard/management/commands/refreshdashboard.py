"""``shuzheng refreshdashboard``: recompute the dashboard's snapshot of the ledger.

Run it daily after midnight (lights depend on the day) and after bulk imports; a large
ledger's dashboard shows the last snapshot with its time until this runs (docs/dashboard.md).
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from shuzheng.dashboard.services import refresh_snapshot


class Command(BaseCommand):
    help = "Recompute every task's status light and the dashboard's numbers."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="the day to judge the ledger on (YYYY-MM-DD)")

    def handle(self, *args, as_of=None, **options):
        try:
            today = date.fromisoformat(as_of) if as_of else None
        except ValueError:
            raise CommandError(
                f"--as-of: expected a date such as 2024-03-01, got {as_of!r}"
            ) from None
        snapshot = refresh_snapshot(today)
        total = sum(snapshot.summary["lights"].values())
        self.stdout.write(
            f"Dashboard as of {snapshot.as_of}: {total} tasks in {snapshot.duration_ms} ms"
        )
