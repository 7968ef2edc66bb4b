"""``shuzheng ingest PATH…``: store official documents from files and directories.

Each file is ingested in its own transaction (issue 3, item 7): a file that fails is
reported and the others proceed; the exit status is non-zero when any file failed.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from shuzheng.documents.choices import Outcome
from shuzheng.documents.reports import BatchReport, IngestionReport
from shuzheng.documents.services import expand_paths, ingest_paths


class Command(BaseCommand):
    help = "Ingest official documents (txt, md, docx, pdf, html) from files and directories."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="files, or directories to walk")
        parser.add_argument(
            "--user", help="username the ingestion is recorded for (default: system)"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, paths, user=None, no_progress=False, **options):
        actor = self.actor(user)
        files = expand_paths(paths)
        if not files:
            raise CommandError("No ingestible file found in the given paths.")
        with tqdm(total=len(files), unit="file", disable=no_progress, file=self.stderr._out) as bar:

            def progress(path, report: IngestionReport) -> None:
                bar.update(1)
                if report.failed:
                    tqdm.write(
                        self.style.ERROR(f"{path}: failed: {report.error}"), file=self.stderr._out
                    )

            batch = ingest_paths(files, actor, progress=progress)
        self.stdout.write(summary(batch))
        if batch.failed:
            raise CommandError(f"{len(batch.failed)} of {len(batch.reports)} file(s) failed.")

    def actor(self, username):
        if not username:
            return None
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None


def summary(batch: BatchReport) -> str:
    """The end-of-run summary: files, documents by outcome, tasks, findings by severity."""
    findings = ", ".join(
        f"{count} {severity}" for severity, count in batch.findings_by_severity().items()
    )
    lines = [
        f"Files: {len(batch.reports)} ({len(batch.failed)} failed)",
        f"Documents: {batch.count(Outcome.CREATED)} created, "
        f"{batch.count(Outcome.NEW_VERSION)} new versions, "
        f"{batch.count(Outcome.UNCHANGED)} unchanged",
        f"Key tasks stored: {batch.tasks}",
        f"Findings: {findings}",
    ]
    for report in batch.failed:
        lines.append(f"Failed: {report.filename}: {report.error}")
    return "\n".join(lines)
