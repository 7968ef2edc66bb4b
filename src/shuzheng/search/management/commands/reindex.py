"""``shuzheng reindex``: rebuild the policy library's search index from its registered
sources (after the domain dictionary grew, or after an upgrade changed what is indexed), and
``shuzheng reindex --verify``: compare the search engine with the database."""

from django.core.management.base import BaseCommand, CommandError

from shuzheng.search import services
from shuzheng.search.models import SearchEntry
from shuzheng.search.sources import reindex

#: Seconds ``reindex`` waits for another process's writer (the worker applying a change).
WRITER_WAIT = 60.0
#: Entry ids named per kind of difference.
SHOWN = 20


class Command(BaseCommand):
    help = (
        "Rebuild the search index from every current document, its sections and key tasks; "
        "with --verify, compare the search engine with the database instead and name every "
        "entry that differs (exit status 1 when any does)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--verify",
            action="store_true",
            help="change nothing: compare the search engine's entries with the database's",
        )

    def handle(self, *args, verify=False, **options):
        if verify:
            return self.verify()
        count = reindex()
        services.apply_outbox(wait=WRITER_WAIT)
        by_kind = {
            kind: SearchEntry.objects.filter(kind=kind).count()
            for kind in ("document", "section", "task")
        }
        details = ", ".join(f"{number} {kind}s" for kind, number in by_kind.items())
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} entries ({details})."))

    def verify(self):
        found = services.verify()
        if found.pending:
            self.stdout.write(f"{found.pending} change(s) in the outbox not applied yet.")
        if found.ok:
            self.stdout.write(
                self.style.SUCCESS(f"The search engine holds the {found.entries} entries.")
            )
            return
        for label, ids in (
            ("missing from the search engine", found.missing),
            ("in the search engine only", found.extra),
            ("differing from the database", found.differing),
        ):
            if ids:
                shown = ", ".join(str(entry_id) for entry_id in ids[:SHOWN])
                more = f" and {len(ids) - SHOWN} more" if len(ids) > SHOWN else ""
                self.stdout.write(f"{len(ids)} entries {label}: ids {shown}{more}")
        raise CommandError(
            "the search engine differs from the database: run `shuzheng reindex`", returncode=1
        )
