"""``shuzheng loadsample``: fill an empty installation with the shipped sample data.

Idempotent, so ``make run`` can call it every time: what is already there is kept. Besides
the registry, the gazette and the rules it writes the demonstration history (演示数据,
``dashboard.demo``) unless ``--no-demo`` is given; the history is refused on an installation
that passes ``shuzheng check --deploy``, so it never mixes into a production database.
"""

from django.core import checks
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from shuzheng.accounts import services
from shuzheng.accounts.choices import Role
from shuzheng.accounts.models import User
from shuzheng.catalog.samples import load_sample_catalog
from shuzheng.dashboard.demo import load_demo
from shuzheng.dashboard.samples import load_sample_rules
from shuzheng.documents.samples import ingest_sample_gazette
from shuzheng.ecocomp.samples import load_sample_ecocomp
from shuzheng.exchange.samples import load_sample_exchange
from shuzheng.hotline.samples import load_sample_hotline, load_sample_requests
from shuzheng.orgs.services import load_sample_registry
from shuzheng.trust.samples import load_sample_licences

DEMO_ADMIN = "admin"


class Command(BaseCommand):
    help = (
        "Load the sample registry, gazette and assessment rules, a demonstration history of the "
        "ledger (演示数据; refused on a production installation), and create the demo "
        "administrator."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-demo",
            action="store_true",
            help="leave out the demonstration history (assignments, reports, closures)",
        )

    def handle(self, *args, **options):
        demo = not options["no_demo"]
        if demo and passes_deploy_checks():
            raise CommandError(
                "This installation passes `shuzheng check --deploy` (a production setup): the "
                "demonstration history is not loaded into it. Run `shuzheng loadsample --no-demo`."
            )
        summary = load_sample_registry()
        self.stdout.write(f"Registry: {summary}")
        self.stdout.write(f"Sample gazette: {ingest_sample_gazette()}")
        self.stdout.write(f"Assessment rules: {load_sample_rules()}")
        self.stdout.write(f"Sample data catalog: {load_sample_catalog()}")
        self.stdout.write(f"Ecological compensation (示例数据): {load_sample_ecocomp()}")
        self.stdout.write(f"Electronic licences (示例数据): {load_sample_licences()}")
        self.stdout.write(f"12345 hotline (示例数据): {load_sample_hotline()}")
        self.stdout.write(f"Data exchange (示例数据): {load_sample_exchange()}")
        if demo:
            self.stdout.write(f"12345 hotline requests (示例数据): {load_sample_requests()}")
            history = load_demo()
            self.stdout.write(
                f"Demonstration history (演示数据): {history}"
                if history is not None
                else "Demonstration history (演示数据): loaded before, kept"
            )
        self.create_demo_administrator()

    @transaction.atomic
    def create_demo_administrator(self) -> None:
        if User.objects.filter(username=DEMO_ADMIN).exists():
            self.stdout.write(
                f"Demo administrator '{DEMO_ADMIN}' exists already "
                f"(forgot the password? run: shuzheng changepassword {DEMO_ADMIN})"
            )
            return
        password = services.generate_password(DEMO_ADMIN)
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


def passes_deploy_checks() -> bool:
    """Whether ``shuzheng check --deploy`` would pass: no deployment problem of warning
    level or above that the operator did not silence (the command fails on warnings too)."""
    problems = checks.run_checks(include_deployment_checks=True)
    return not [
        problem
        for problem in problems
        if problem.level >= checks.WARNING and not problem.is_silenced()
    ]
