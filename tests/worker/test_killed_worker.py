"""A worker killed with SIGKILL in the middle of a job (issue 8): a second worker, started
later, sees that the first is gone once the lease has run out and runs the job again.

Real ``shuzheng worker`` processes on the test database (tests.processes), with a lease of
two seconds.
"""

import signal

import pytest
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.processes import DatabaseForProcesses, platform_env, start_worker, wait_for
from tests.worker import jobs

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_job_of_a_killed_worker_is_run_again_by_the_next(tmp_path):
    marker = tmp_path / "started"
    job_id = jobs.hang_the_first_time.enqueue(str(marker)).id
    database = DatabaseForProcesses(tmp_path)
    table = DBTaskResult._meta.db_table
    job = f"id = '{str(job_id).replace('-', '')}' OR id = '{job_id}'"

    env = platform_env(database, tmp_path, SHUZHENG_WORKER_LEASE="2")
    first = start_worker(env, "--no-schedule")
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

    second = start_worker(env, "--no-schedule")
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
