"""``shuzheng loadsample``: fill an empty installation with the shipped sample data.

Idempotent, so ``make run`` can call it every time: what is already there is kept.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from shuzheng.accounts import services
from shuzheng.accounts.choices import Role
from shuzheng.accounts.models import User
from shuzheng.dashboard.samples import load_sample_rules
from shuzheng.documents.samples import ingest_sample_gazette
from shuzheng.orgs.services import load_sample_registry

DEMO_ADMIN = "admin"


class Command(BaseCommand):
    help = (
        "Load the sample registry, gazette and assessment rules, and create the demo administrator."
    )

    def handle(self, *args, **options):
        summary = load_sample_registry()
        self.stdout.write(f"Registry: {summary}")
        self.stdout.write(f"Sample gazette: {ingest_sample_gazette()}")
        self.stdout.write(f"Assessment rules: {load_sample_rules()}")
        self.create_demo_administrator()

    @transaction.atomic
    def create_demo_administrator(self) -> None:
        if User.objects.filter(username=DEMO_ADMIN).exists():
            self.stdout.write(
                f"Demo administrator '{DEMO_ADMIN}' exists already "
                f"(forgot the password? run: shuzheng changepassword {DEMO_ADMIN})"
            )
            return
        password = services.generate_password()
        # A generated password is replaced by its owner at the first login (issue 9).
        User.objects.create_superuser(
            username=DEMO_ADMIN,
            password=password,
            email="",
            role=Role.ADMINISTRATOR,
            must_change_password=True,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Created demo administrator '{DEMO_ADMIN}' with password: {password}\n"
                "(shown only this once)"
            )
        )
