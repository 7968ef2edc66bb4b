"""The catalog's background job, run by ``shuzheng worker``: import an uploaded catalog
workbook (issue 11, item 2). The import page and the API queue it and show its progress."""

from django.tasks import task

from shuzheng.catalog.imports import run_import_job


@task
def run_catalog_import(job_id: int) -> str:
    """Idempotent: a job that finished already (a retry after a crash) is left as it is."""
    return run_import_job(job_id)
