"""The catalog's background jobs, run by ``shuzheng worker``: import an uploaded catalog
workbook (issue 11, item 2), run a resource's quality checks over its data and queue the
scheduled quality runs (item 4). The pages and the API queue the first two and show them."""

import datetime as dt

from django.tasks import task
from django.utils.translation import gettext_lazy as _

from shuzheng.catalog.imports import run_import_job
from shuzheng.catalog.quality_services import queue_due_runs, run_quality_job
from shuzheng.worker.periodic import periodic


@task
def run_catalog_import(job_id: int) -> str:
    """Idempotent: a job that finished already (a retry after a crash) is left as it is."""
    return run_import_job(job_id)


@task
def run_quality_check(run_id: int) -> str:
    """Idempotent: a finished run (a retry after a crash) is left as it is."""
    return run_quality_job(run_id)


@periodic(every=dt.timedelta(hours=1), label=_("Run the scheduled data-quality checks"))
@task
def queue_scheduled_quality_runs() -> str:
    """Each resource's checks once per its update frequency (更新周期)."""
    return f"{queue_due_runs()} quality runs queued"
