"""``shuzheng reindex``: rebuild the policy library's search index from its registered
sources (after the domain dictionary grew, or after an upgrade changed what is indexed)."""

from django.core.management.base import BaseCommand

from shuzheng.search.models import SearchEntry
from shuzheng.search.sources import reindex


class Command(BaseCommand):
    help = "Rebuild the search index from every current document, its sections and key tasks."

    def handle(self, *args, **options):
        count = reindex()
        by_kind = {
            kind: SearchEntry.objects.filter(kind=kind).count()
            for kind in ("document", "section", "task")
        }
        details = ", ".join(f"{number} {kind}s" for kind, number in by_kind.items())
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} entries ({details})."))
