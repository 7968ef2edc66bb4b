"""``shuzheng ingest PATH…``: store official documents from files and directories.

Each file is ingested in its own transaction (issue 3, item 7): a file that fails is
reported and the others proceed; the exit status is non-zero when any file failed. The
summary is worded in the language of ``--language``, else of the ``LANGUAGE`` environment
variable, else the site's (Chinese), with proper plurals (issue 14: "0 error", "file(s)").
"""

import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext, ngettext
from tqdm import tqdm

from shuzheng.documents.choices import Outcome
from shuzheng.documents.reports import BatchReport, IngestionReport
from shuzheng.documents.services import expand_paths, ingest_paths
from shuzheng.text.translation import join_list, offered_language

SEVERITY_WORDS = {
    "error": lambda n: ngettext("%(count)s error", "%(count)s errors", n),
    "warning": lambda n: ngettext("%(count)s warning", "%(count)s warnings", n),
    "info": lambda n: ngettext("%(count)s note", "%(count)s notes", n),
}


class Command(BaseCommand):
    help = "Ingest official documents (txt, md, docx, pdf, html) from files and directories."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="files, or directories to walk")
        parser.add_argument(
            "--user", help="username the ingestion is recorded for (default: system)"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")
        parser.add_argument(
            "--language",
            default="",
            help="zh-hans or en (default: the LANGUAGE environment variable, else Chinese)",
        )

    def handle(self, *args, language="", **options):
        with translation.override(_language(language)):
            self._ingest(**options)

    def _ingest(self, *, paths, user=None, no_progress=False, **options):
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
            total = len(batch.reports)
            raise CommandError(
                ngettext(
                    "%(failed)s of %(total)s file failed.",
                    "%(failed)s of %(total)s files failed.",
                    total,
                )
                % {"failed": len(batch.failed), "total": total}
            )

    def actor(self, username):
        if not username:
            return None
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None


def _language(requested: str) -> str:
    offered = [code for code, _name in settings.LANGUAGES]
    if requested:
        if requested not in offered:
            raise CommandError(
                gettext("--language must be one of %(languages)s.")
                % {"languages": join_list(offered, gettext)}
            )
        return requested
    return offered_language(os.environ.get("LANGUAGE", ""), offered) or settings.LANGUAGE_CODE


def summary(batch: BatchReport) -> str:
    """The end-of-run summary: files, documents by outcome, tasks, findings by severity."""
    findings = join_list(
        [
            SEVERITY_WORDS.get(severity, lambda n, s=severity: f"{n} {s}")(count) % {"count": count}
            for severity, count in batch.findings_by_severity().items()
        ],
        gettext,
    )
    created, versions = batch.count(Outcome.CREATED), batch.count(Outcome.NEW_VERSION)
    unchanged = batch.count(Outcome.UNCHANGED)
    documents = join_list(
        [
            ngettext("%(count)s created", "%(count)s created", created) % {"count": created},
            ngettext("%(count)s new version", "%(count)s new versions", versions)
            % {"count": versions},
            ngettext("%(count)s unchanged", "%(count)s unchanged", unchanged)
            % {"count": unchanged},
        ],
        gettext,
    )
    lines = [
        gettext("Files: %(files)s (%(failed)s failed)")
        % {"files": len(batch.reports), "failed": len(batch.failed)},
        gettext("Documents: %(outcomes)s") % {"outcomes": documents},
        gettext("Key tasks stored: %(count)s") % {"count": batch.tasks},
        gettext("Findings: %(findings)s") % {"findings": findings},
    ]
    for report in batch.failed:
        lines.append(
            gettext("Failed: %(file)s: %(error)s")
            % {"file": report.filename, "error": report.error}
        )
    return "\n".join(lines)
