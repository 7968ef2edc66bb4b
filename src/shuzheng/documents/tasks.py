"""The documents app's background job, run by ``shuzheng worker``: ingest a large upload
(issue 9, item 5). The upload page and the API queue it and show its progress."""

from django.tasks import task

from shuzheng.documents.services import run_ingest_job


@task
def ingest_upload(job_id: int) -> str:
    """Idempotent: a job that finished already (a retry after a crash) is left as it is."""
    return run_ingest_job(job_id)
