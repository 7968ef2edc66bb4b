"""``shuzheng deliver [--once] [--interval 30]``: the notification delivery worker.

Sends due email and webhook deliveries (``services.deliver_due``) until stopped; with
``--once`` it makes one pass and exits (for cron, or a systemd timer). Several workers may run
side by side: claims keep them from sending the same delivery (docs/notifications.md).
"""

import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from shuzheng.notifications import services


class Command(BaseCommand):
    help = "Send due notification deliveries (email, webhooks); loops unless --once."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="make one pass and exit")
        parser.add_argument(
            "--interval", type=float, default=30.0, help="seconds between passes (default 30)"
        )
        parser.add_argument(
            "--limit",
            type=int,
            default=services.DEFAULT_BATCH,
            help=f"deliveries per pass at most (default {services.DEFAULT_BATCH})",
        )

    def handle(self, *args, once, interval, limit, **options):
        if interval <= 0 or limit <= 0:
            raise CommandError("--interval and --limit must be positive")
        if once:
            self.report(services.deliver_due(limit=limit))
            return
        stopping = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stopping.set())
        self.stdout.write(f"delivering every {interval:g} s; stop with Ctrl-C or SIGTERM")
        while not stopping.is_set():
            close_old_connections()
            stats = services.deliver_due(limit=limit)
            if stats.claimed:
                self.report(stats)
            # A full batch means more is waiting: go again at once.
            if stats.claimed < limit:
                stopping.wait(interval)

    def report(self, stats: services.DeliveryStats) -> None:
        self.stdout.write(
            f"claimed {stats.claimed}, sent {stats.sent}, "
            f"failed {stats.failed} (will retry), dead {stats.dead}"
        )
