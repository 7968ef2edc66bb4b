"""``shuzheng createsuperuser``: Django's command, creating an administrator whose password
passes the password rules however it is given (issue 9) — Django's own skips them with
``--noinput`` and lets them be bypassed interactively. ``shuzheng.accounts`` is listed before
``django.contrib.auth`` so that this command is the one run.
"""

from django.contrib.auth.management.commands import createsuperuser

from shuzheng.accounts.models import PASSWORD_RULES_WITHOUT_BYPASS


class Command(createsuperuser.Command):
    help = "Create an administrator; the password rules apply, also with --noinput."

    def handle(self, *args, **options):
        enforced = PASSWORD_RULES_WITHOUT_BYPASS.set(True)
        try:
            return super().handle(*args, **options)
        finally:
            PASSWORD_RULES_WITHOUT_BYPASS.reset(enforced)
