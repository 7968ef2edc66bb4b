"""``shuzheng audit verify|seal``: check the audit trail's hash chain, or seal its head now
(the worker seals it every hour, ``worker.tasks``).

``verify`` reads the events in batches, in sequence order, and stops at the first that does
not hold, naming it and what is wrong (altered, inserted, removed, forged seal); the exit
status is then 1. Messages are in the language of the ``LANGUAGE`` environment variable
(e.g. ``LANGUAGE=en``), else the site's (Chinese).
"""

import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext

from shuzheng.audit import services
from shuzheng.text.translation import offered_language


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain and seals, or seal the chain head now."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        verify = actions.add_parser(
            "verify", help="Check every event and seal; exit status 1 at the first bad one."
        )
        verify.add_argument(
            "--progress", action="store_true", help="print a count every 100,000 events"
        )
        actions.add_parser("seal", help="Sign the chain head now (the worker does it hourly).")

    def handle(self, *args, action, **options):
        offered = [code for code, _name in settings.LANGUAGES]
        language = offered_language(os.environ.get("LANGUAGE", ""), offered)
        with translation.override(language or settings.LANGUAGE_CODE):
            getattr(self, f"handle_{action}")(**options)

    def handle_verify(self, progress, **options):
        def report(count):
            sys.stderr.write(gettext("Events checked: %(count)s") % {"count": count} + "\n")

        walk = services.verify_chain(progress=report if progress else None)
        if walk.broken is None:
            self.stdout.write(
                gettext("The audit chain holds (events checked: %(entries)s, seals: %(seals)s).")
                % {"entries": walk.entries, "seals": walk.seals}
            )
            return
        broken = walk.broken
        where = (
            gettext("event #%(sequence)s (id %(id)s)")
            if broken.ident
            else gettext("event #%(sequence)s")
        )
        raise CommandError(
            gettext("%(kind)s: %(where)s: %(reason)s (events checked before it: %(entries)s).")
            % {
                "kind": gettext(broken.kind),
                "where": where % {"sequence": broken.sequence, "id": broken.ident},
                "reason": broken.describe(gettext),
                "entries": walk.entries,
            },
            returncode=1,
        )

    def handle_seal(self, **options):
        seal = services.seal_chain_head()
        if seal is None:
            self.stdout.write(gettext("The chain head is sealed already."))
        else:
            self.stdout.write(
                gettext("Sealed the chain head: event #%(sequence)s, %(hash)s.")
                % {"sequence": seal.sequence, "hash": seal.head_hash}
            )
