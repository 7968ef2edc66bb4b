"""A worker killed with SIGKILL in the middle of a job (issue 8): a second worker, started
later, sees that the first is gone once the lease has run out and runs the job again.

Real ``shuzheng worker`` processes on the test database (tests.processes), with a lease of
two seconds.
"""

import os
import signal
import subprocess
import sys
import time

import pytest
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.processes import DatabaseForProcesses
from tests.worker import jobs

pytestmark = pytest.mark.django_db(transaction=True)

#: A ceiling for a loaded machine; on an idle one each step takes a second or two.
WAIT_SECONDS = 60


def start_worker(database: DatabaseForProcesses, tmp_path) -> subprocess.Popen:
    env = {
        **os.environ,
        "SHUZHENG_DATABASE_URL": database.url(),
        "SHUZHENG_VAR_DIR": str(tmp_path / "var"),
        "SHUZHENG_WORKER_LEASE": "2",
        "DJANGO_SETTINGS_MODULE": "shuzheng.settings",
    }
    command = [sys.executable, "-m", "shuzheng", "worker", "--no-schedule"]
    return subprocess.Popen(
        [*command, "--tick", "0.5", "--interval", "0.2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_for(condition, process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if process.poll() is not None:
            pytest.fail(f"the worker exited early:\n{process.stdout.read()}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"{what} after {WAIT_SECONDS} s:\n{process.communicate()[0]}")
        time.sleep(0.2)


def test_the_job_of_a_killed_worker_is_run_again_by_the_next(tmp_path):
    marker = tmp_path / "started"
    job_id = jobs.hang_the_first_time.enqueue(str(marker)).id
    database = DatabaseForProcesses(tmp_path)
    table = DBTaskResult._meta.db_table
    job = f"id = '{str(job_id).replace('-', '')}' OR id = '{job_id}'"

    first = start_worker(database, tmp_path)
    try:
        wait_for(marker.exists, first, "the job did not start")
        wait_for(
            lambda: database.count(table, f"({job}) AND status = 'RUNNING'") == 1,
            first,
            "the job was not marked running",
        )
    finally:
        first.send_signal(signal.SIGKILL)
    first.wait(timeout=15)

    second = start_worker(database, tmp_path)
    try:
        wait_for(
            lambda: database.count(table, f"({job}) AND status = 'SUCCESSFUL'") == 1,
            second,
            "the abandoned job was not run again",
        )
    finally:
        second.send_signal(signal.SIGTERM)
    output = second.communicate(timeout=15)[0]
    assert second.returncode == 0, output
    assert "queued again" in output

    database.read_back()
    row = DBTaskResult.objects.get(pk=job_id)
    assert row.status == TaskResultStatus.SUCCESSFUL and len(row.worker_ids) == 2
