"""``shuzheng worker``: run the background jobs — the queue and the periodic schedule.

One process: a scheduler thread enqueues the periodic jobs each app declares in its
``tasks.py`` (reminders, deliveries, lights, the dashboard snapshot; see ``shuzheng.worker``),
and the main loop runs whatever is queued, with retries (docs/operations.md). A heartbeat
thread records that the worker is alive and gives back the jobs of workers that died while
running them (``shuzheng.worker.leases``). Several workers may run side by side. It stops cleanly on Ctrl-C or SIGTERM, finishing the job at hand.
``make run`` and ``make dev`` start one beside the web server.
"""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from shuzheng.worker import leases
from shuzheng.worker.scheduler import Scheduler


class Command(BaseCommand):
    help = (
        "Run the background worker: queued jobs and the periodic schedule (reminders, "
        "deliveries, lights, dashboard); stop with Ctrl-C or SIGTERM."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="seconds between looks at an empty queue (default 1)",
        )
        parser.add_argument(
            "--tick",
            type=float,
            default=5.0,
            help="seconds between looks at the periodic schedule (default 5)",
        )
        parser.add_argument(
            "--no-schedule",
            action="store_true",
            help="run queued jobs only; another worker enqueues the periodic ones",
        )
        parser.add_argument(
            "--reload",
            action="store_true",
            help="restart when the code changes (development; `make dev`)",
        )

    def handle(self, *args, interval, tick, no_schedule, reload, **options):
        if interval <= 0 or tick <= 0:
            raise CommandError("--interval and --tick must be positive")
        if settings.WORKER_LEASE <= 0:
            raise CommandError("SHUZHENG_WORKER_LEASE must be a positive number of seconds")
        worker = Worker(
            queue_names=["*"],
            excluded_queue_names=[],
            interval=interval,
            batch=False,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=None,
            worker_id=get_random_string(32),
        )

        def run():
            # Well inside the lease, so a live worker is never taken for a dead one.
            heartbeat = leases.Heartbeat(
                worker.worker_id, every=min(tick, settings.WORKER_LEASE / 3)
            )
            heartbeat.start()
            if not no_schedule:
                Scheduler(tick).start()
            self.stdout.write(f"worker {worker.worker_id} running; stop with Ctrl-C or SIGTERM")
            try:
                worker.run()
            finally:
                heartbeat.stop()
                leases.forget(worker.worker_id)

        if not reload:
            worker.configure_signals()
            run()
            return
        # The reloader runs `run` in a thread of its child process, where signals cannot be
        # set: that child is stopped by the reloader's own handlers instead.
        if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            worker.configure_signals()
        run_with_reloader(run)
