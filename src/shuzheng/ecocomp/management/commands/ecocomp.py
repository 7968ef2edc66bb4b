"""``shuzheng ecocomp allocate|settle``: print an allocation or a settlement, so that a script
can check it (issue 12). ``--sample`` computes on the shipped sample data (示例数据) in
memory; ``--run ID`` prints a stored run, ``--agreement ID --period P`` settles a stored
agreement on the stored readings without storing the statement. Nothing is written.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from shuzheng.ecocomp import samples, services
from shuzheng.ecocomp.models import AllocationRun, BasinAgreement


def _allocation_data(allocation) -> dict:
    return {
        "fund": str(allocation.fund),
        "total": str(sum(county.amount for county in allocation.counties)),
        "counties": [
            {
                "code": county.code,
                "name": county.name,
                "amount": str(county.amount),
                "lines": [
                    {
                        "component": line.component,
                        "factor": line.factor,
                        "value": str(line.value),
                        "share": str(line.share),
                        "weight": str(line.weight),
                        "amount": str(line.amount),
                    }
                    for line in county.lines
                ],
            }
            for county in allocation.counties
        ],
    }


def _settlement_data(name: str, period: str, settlement) -> dict:
    return {
        "agreement": name,
        "period": period,
        "payer": settlement.payer,
        "payee": settlement.payee,
        "amount": str(settlement.amount),
        "complete": settlement.complete,
        "lines": [list(line) for line in settlement.lines],
        "flags": [str(flag) for flag in settlement.flags],
    }


class Command(BaseCommand):
    help = "Print an ecological-compensation allocation or settlement (nothing is stored)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        allocate = actions.add_parser(
            "allocate", help="A county allocation with every county's explanation lines."
        )
        allocate.add_argument(
            "--sample", action="store_true", help="the sample rule set on the sample factors"
        )
        allocate.add_argument("--run", type=int, help="a stored allocation run, by id")
        allocate.add_argument("--json", action="store_true", help="print JSON")
        settle = actions.add_parser("settle", help="A horizontal settlement statement.")
        settle.add_argument(
            "--sample", action="store_true", help="the 五佛寺 sample agreement for 2024"
        )
        settle.add_argument("--agreement", type=int, help="a stored agreement, by id")
        settle.add_argument("--period", default="", help="a year (2024) or a month (2024-03)")
        settle.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, action, **options):
        data = getattr(self, f"handle_{action}")(**options)
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        elif action == "allocate":
            self.stdout.write(f"fund {data['fund']}, allocated {data['total']}")
            for county in data["counties"]:
                self.stdout.write(f"{county['code']} {county['name']}: {county['amount']}")
                for line in county["lines"]:
                    self.stdout.write(
                        "    {component} {factor}: {value} → {share} × {weight} → {amount}".format(
                            **line
                        )
                    )
        else:
            self.stdout.write(
                f"{data['agreement']} {data['period']}: {data['payer']} → {data['payee']} "
                f"{data['amount']}"
            )
            for label, value in data["lines"]:
                self.stdout.write(f"    {label}: {value}")
            for flag in data["flags"]:
                self.stdout.write(f"    ! {flag}")

    def handle_allocate(self, sample, run, **options):
        if sample == (run is not None):
            raise CommandError("give either --sample or --run ID")
        if sample:
            return _allocation_data(samples.sample_allocation())
        stored = AllocationRun.objects.select_related("rule_set").filter(pk=run).first()
        if stored is None:
            raise CommandError(f"no allocation run {run}")
        return _allocation_data(services.stored_allocation(stored))

    def handle_settle(self, sample, agreement, period, **options):
        if sample == (agreement is not None):
            raise CommandError("give either --sample or --agreement ID --period P")
        if sample:
            entry, settlement = samples.sample_settlement("wufosi", period or "2024")
            return _settlement_data(entry["name"], period or "2024", settlement)
        stored = BasinAgreement.objects.select_related("section").filter(pk=agreement).first()
        if stored is None:
            raise CommandError(f"no agreement {agreement}")
        if not period:
            raise CommandError("give --period (2024 or 2024-03)")
        return _settlement_data(stored.name, period, services.compute_settlement(stored, period))
