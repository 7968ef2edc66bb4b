"""The shipped sample gazette: the only documents code that reads data/samples/."""

from pathlib import Path

from django.conf import settings

from shuzheng.documents.choices import Outcome
from shuzheng.documents.services import ingest_file

SAMPLE_GAZETTE = "ningxia-gazette-2023-10.txt"


def ingest_sample_gazette(actor=None) -> str:
    """Ingest the shipped sample gazette (data/samples/); run by ``shuzheng loadsample`` on
    every ``make run``, so it relies on ingestion being idempotent. Returns a summary line."""
    path = Path(settings.BASE_DIR) / "data" / "samples" / SAMPLE_GAZETTE
    if not path.is_file():
        return f"{path} not found, skipped"
    report = ingest_file(path.read_bytes(), path.name, actor=actor)
    return (
        f"{report.status}: {report.count(Outcome.CREATED)} documents created, "
        f"{report.count(Outcome.NEW_VERSION)} new versions, "
        f"{report.count(Outcome.UNCHANGED)} unchanged, {report.tasks} key tasks stored"
    )
