"""``shuzheng catalog import|export|template|packages``: the catalog workbook from the
command line (issue 11, item 2; the layout: docs/catalog-workbook.md), and the stored CKAN
package texts (``catalog.packages``).

``import FILE`` reads an .xlsx or CSV workbook with a progress bar and prints every problem
by row and column; the exit status is 1 when any row was refused. ``--all-or-nothing``
imports nothing when any row has a problem. ``export FILE`` writes the whole catalog (.xlsx
or .csv by the name; ``--public`` only what the public may see), ``template FILE.xlsx`` the
empty workbook with one filled example. ``packages`` writes every entry's stored package
text again (after an upgrade, or entries loaded in bulk past the services). Messages are in the language of the ``LANGUAGE``
environment variable (e.g. ``LANGUAGE=en``), else the site's (Chinese).
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext, ngettext
from tqdm import tqdm

from shuzheng.catalog import imports, packages, workbook
from shuzheng.orgs.models import Unit
from shuzheng.orgs.services import get_resolver
from shuzheng.text.translation import offered_language


class Command(BaseCommand):
    help = "Import or export the catalog workbook, or write its empty template."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        read = actions.add_parser(
            "import", help="Import a catalog workbook (.xlsx or CSV); exit status 1 on problems."
        )
        read.add_argument("file", help="the workbook")
        read.add_argument(
            "--all-or-nothing",
            action="store_true",
            help="import nothing when any row has a problem",
        )
        read.add_argument(
            "--unit", help="the only provider unit the rows may name (its name or code)"
        )
        read.add_argument("--no-progress", action="store_true", help="no progress bar")
        write = actions.add_parser(
            "export", help="Write the catalog as a workbook (.xlsx or .csv)."
        )
        write.add_argument("file", help="the file to write; .csv for CSV, else .xlsx")
        write.add_argument(
            "--public",
            action="store_true",
            help="only the entries open to the public (never core or important data)",
        )
        template = actions.add_parser(
            "template", help="Write the empty workbook with its headers and one example."
        )
        template.add_argument("file", help="the .xlsx file to write")
        stored = actions.add_parser(
            "packages", help="Write every entry's stored CKAN package text again."
        )
        stored.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, action, **options):
        offered = [code for code, _name in settings.LANGUAGES]
        language = offered_language(os.environ.get("LANGUAGE", ""), offered)
        with translation.override(language or settings.LANGUAGE_CODE):
            getattr(self, f"handle_{action}")(**options)

    def handle_import(self, *, file, all_or_nothing, unit=None, no_progress=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(gettext("No such file: %(path)s") % {"path": file})
        provider = _unit(unit) if unit else None
        with (
            path.open("rb") as handle,
            tqdm(disable=no_progress, file=self.stderr._out) as bar,
        ):

            def progress(phase, done, total):
                bar.total = total
                bar.set_description(gettext("Reading") if phase == "read" else gettext("Writing"))
                bar.n = done
                bar.refresh()

            report = imports.run_import(
                handle,
                path.name,
                path.stat().st_size,
                actor=None,
                unit=provider,
                all_or_nothing=all_or_nothing,
                progress=progress,
            )
        for problem in report.problems:
            self.stderr.write(imports.describe(problem))
        self.stdout.write(summary(report))
        if report.problems:
            raise CommandError(refusal(report), returncode=1)

    def handle_export(self, *, file, public, **options):
        resources = imports.exportable(None, public=public)
        rows = imports.export_rows(resources)
        path = Path(file)
        if path.suffix.lower() == ".csv":
            with path.open("w", encoding="utf-8", newline="") as handle:
                workbook.write_csv(handle, rows)
        else:
            imports.write_xlsx(path, rows, title=workbook.TITLE)
        self.stdout.write(
            gettext("Wrote %(count)s resources to %(path)s.")
            % {"count": resources.count(), "path": file}
        )

    def handle_template(self, *, file, **options):
        imports.write_xlsx(Path(file), workbook.example_rows(), title=workbook.TITLE)
        self.stdout.write(
            gettext("Wrote the catalog workbook template to %(path)s.") % {"path": file}
        )

    def handle_packages(self, *, no_progress=False, **options):
        with tqdm(disable=no_progress, file=self.stderr._out) as bar:

            def progress(done, total):
                bar.total = total
                bar.n = done
                bar.refresh()

            with transaction.atomic():
                count = packages.refresh_all(progress=progress)
        self.stdout.write(
            gettext("Wrote the stored packages of %(count)s resources.") % {"count": count}
        )


def summary(report: imports.ImportReport) -> str:
    """One line: what landed, what was refused."""
    if report.all_or_nothing and report.problems and not report.landed:
        return gettext(
            "Nothing imported (all or nothing): %(rows)s rows read, %(invalid)s with problems."
        ) % {"rows": report.rows, "invalid": len(report.invalid_rows)}
    return gettext(
        "%(rows)s rows read: %(created)s resources registered, %(updated)s updated, "
        "%(invalid)s rows with problems."
    ) % {
        "rows": report.rows,
        "created": report.created,
        "updated": report.updated,
        "invalid": len(report.invalid_rows),
    }


def refusal(report: imports.ImportReport) -> str:
    """Why the exit status is 1."""
    count = len(report.invalid_rows)
    if not count:
        return gettext("The file was not imported.")
    return ngettext("%(count)s row has problems.", "%(count)s rows have problems.", count) % {
        "count": count
    }


def _unit(text: str) -> Unit:
    unit = Unit.objects.filter(code=text).first()
    if unit is not None:
        return unit
    resolution = get_resolver().resolve(text)
    if resolution.resolved and resolution.group is None:
        return Unit.objects.get(code=resolution.unit_codes[0])
    raise CommandError(gettext("The registry has no unit named %(name)s.") % {"name": text})
