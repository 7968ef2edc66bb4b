"""``shuzheng exchange verify-log|seal-log``: check the data exchange's message log, or seal
its chain head now (issue 16, point 3; the worker seals it every quarter of an hour,
``exchange.log_tasks``).

``verify-log`` reads the entries in batches, in sequence order, and stops at the first that
does not hold, naming it and what is wrong (altered, inserted, removed, forged seal); the
exit status is then 1. Messages are in the language of the ``LANGUAGE`` environment
variable (e.g. ``LANGUAGE=en``), else the site's (Chinese).
"""

import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext

from shuzheng.exchange import log_services
from shuzheng.text.translation import offered_language


class Command(BaseCommand):
    help = "The data exchange: verify its message log, or seal the log's chain head now."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        verify = actions.add_parser(
            "verify-log",
            help="Check every message log entry and seal; exit status 1 at the first bad one.",
        )
        verify.add_argument(
            "--progress", action="store_true", help="print a count every 100,000 entries"
        )
        actions.add_parser(
            "seal-log", help="Sign the message log's chain head now (the worker does it often)."
        )

    def handle(self, *args, action, **options):
        offered = [code for code, _name in settings.LANGUAGES]
        language = offered_language(os.environ.get("LANGUAGE", ""), offered)
        with translation.override(language or settings.LANGUAGE_CODE):
            getattr(self, "handle_" + action.replace("-", "_"))(**options)

    def handle_verify_log(self, progress=False, **options):
        def report(count):
            sys.stderr.write(gettext("Entries checked: %(count)s") % {"count": count} + "\n")

        walk = log_services.verify_log(progress=report if progress else None)
        if walk.broken is None:
            self.stdout.write(
                gettext("The message log holds (entries checked: %(entries)s, seals: %(seals)s).")
                % {"entries": walk.entries, "seals": walk.seals}
            )
            return
        raise CommandError(log_services.describe_break(walk), returncode=1)

    def handle_seal_log(self, **options):
        seal = log_services.seal_log_head()
        if seal is None:
            self.stdout.write(gettext("The message log's chain head is sealed already."))
        else:
            self.stdout.write(
                gettext("Sealed the message log's chain head: entry #%(sequence)s, %(hash)s.")
                % {"sequence": seal.sequence, "hash": seal.head_hash}
            )
