"""``shuzheng loadorgs [FILE]``: load a registry of regions, units and unit groups.

Without FILE, the shipped Ningxia sample registry.  Idempotent; bad data changes nothing and
every problem is listed (docs/orgs.md describes the format).
"""

from django.core.management.base import BaseCommand, CommandError

from shuzheng.orgs.resolution import RegistryDataError
from shuzheng.orgs.services import SAMPLE_REGISTRY, load_registry_file


class Command(BaseCommand):
    help = "Load administrative regions, government units and unit groups from a JSON file."

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            nargs="?",
            default=str(SAMPLE_REGISTRY),
            help="registry JSON file (default: the shipped Ningxia sample registry)",
        )

    def handle(self, *args, **options):
        try:
            summary = load_registry_file(options["file"])
        except RegistryDataError as error:
            problems = "\n".join(f"  - {problem}" for problem in error.problems)
            raise CommandError(
                f"{options['file']}: nothing was loaded, the registry has problems:\n{problems}"
            ) from error
        self.stdout.write(self.style.SUCCESS(f"Registry loaded: {summary}"))
