"""``shuzheng token create|list|revoke``: API tokens for programs, from the command line.

``create`` prints the token string as its last line, so scripts can take it with ``tail -1``.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from shuzheng.accounts import services
from shuzheng.accounts.models import User
from shuzheng.accounts.permissions import SCOPES


class Command(BaseCommand):
    help = "Create, list and revoke API tokens."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = actions.add_parser("create", help="Create a token; prints it as the last line.")
        create.add_argument("username")
        create.add_argument(
            "--scope",
            dest="scopes",
            action="append",
            choices=SCOPES,
            help="read (default) or write (implies read); repeatable",
        )
        create.add_argument("--name", default="command line", help="what uses the token")
        create.add_argument("--expires-days", type=int, help="days until the token expires")
        listing = actions.add_parser("list", help="List a user's tokens.")
        listing.add_argument("username")
        revoke = actions.add_parser("revoke", help="Revoke the token with this prefix.")
        revoke.add_argument("prefix")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"handle_{action}")(**options)
        except services.AccountError as error:
            raise CommandError(str(error)) from None

    def handle_create(self, username, scopes, name, expires_days, **options):
        user = self.user(username)
        expires_at = None
        if expires_days is not None:
            if expires_days < 1:
                raise CommandError("--expires-days must be at least 1")
            expires_at = timezone.now() + datetime.timedelta(days=expires_days)
        token, secret = services.create_token(user, name, scopes, expires_at, actor=None)
        expiry = f"expires {token.expires_at:%Y-%m-%d %H:%M}" if expires_at else "never expires"
        self.stdout.write(
            f"Created token {token.prefix} '{token.name}' for {username} "
            f"(scopes: {', '.join(token.scopes)}; {expiry}). It is shown only this once:"
        )
        self.stdout.write(secret)

    def handle_list(self, username, **options):
        tokens = services.tokens_of(self.user(username))
        if not tokens:
            self.stdout.write(f"{username} has no API tokens.")
        for token in tokens:
            expires = f"{token.expires_at:%Y-%m-%d}" if token.expires_at else "never"
            used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
            self.stdout.write(
                f"{token.prefix}  {token.state:<7}  {','.join(token.scopes):<10}  "
                f"expires {expires:<10}  last used {used:<16}  {token.name}"
            )

    def handle_revoke(self, prefix, **options):
        token = services.revoke_token(services.find_token(prefix), actor=None)
        self.stdout.write(f"Revoked token {token.prefix} '{token.name}' of {token.user}.")

    def user(self, username: str) -> User:
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"no user named {username!r}") from None
