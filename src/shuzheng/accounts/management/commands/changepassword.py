"""``shuzheng changepassword USERNAME``: Django's command, through the audited password service.

The password rules apply, the change is audited, and — a password set from the command line is
known to whoever typed it — its owner must choose a new one at the next login (issue 9).
``shuzheng.accounts`` is listed before ``django.contrib.auth`` so that this command is the one run.
"""

import getpass

from django.contrib.auth.management.commands import changepassword
from django.core.management.base import CommandError

from shuzheng.accounts import services
from shuzheng.accounts.models import User

MAX_TRIES = 3


class Command(changepassword.Command):
    help = (
        "Set a user's password (the password rules apply; audited). Its owner must change it "
        "at the next login."
    )

    def handle(self, *args, **options):
        username = options["username"] or getpass.getuser()
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"user '{username}' does not exist")
        self.stdout.write(f"Changing password for user '{user}'")
        for _try in range(MAX_TRIES):
            password = self._get_pass()
            if password != self._get_pass("Password (again): "):
                self.stdout.write("Passwords do not match. Please try again.")
                continue
            try:
                services.change_password(user, password, actor=None)
            except services.AccountError as error:
                self.stderr.write(str(error))
                continue
            return f"Password changed successfully for user '{user}'; they must change it at their next login."
        raise CommandError(f"Aborting password change for user '{user}' after {MAX_TRIES} attempts")
