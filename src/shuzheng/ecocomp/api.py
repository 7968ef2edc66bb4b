"""JSON API of ecological compensation: /api/v1/ecocomp/ (issue 12).

Published final allocations are public (``view_published``); a run that is not final is read
by its rule set's finance unit (``manage_ecocomp``), as on the pages
(``selectors.reads_run``). A county's amount comes with its explanation lines, each as
stored (component, factor, value, share, weight, amount as decimal strings, never floats)
and worded in the caller's language (``ecocomp.rendering``).
"""

import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.pagination import paginate

from shuzheng.accounts.api_auth import PUBLIC
from shuzheng.accounts.authorization import api_principal, api_requires
from shuzheng.api_contract import Id, Pagination
from shuzheng.ecocomp import rendering, selectors
from shuzheng.ecocomp.models import AllocationRun

router = Router(tags=["ecocomp"])


class EcocompRunOut(Schema):
    id: int
    year: int
    fund_name: str
    rule_set: str
    fund: str
    state: str
    kind: str
    finalised_at: datetime.datetime | None


class EcocompLineOut(Schema):
    component: str
    factor: str
    value: str
    share: str
    weight: str
    amount: str
    sentence: str


class EcocompCountyOut(Schema):
    code: str
    name: str
    amount: str
    lines: list[EcocompLineOut]


class EcocompRunDetailOut(EcocompRunOut):
    counties: list[EcocompCountyOut]


def _run_out(run: AllocationRun) -> dict:
    return {
        "id": run.pk,
        "year": run.rule_set.year,
        "fund_name": run.rule_set.fund_name,
        "rule_set": run.rule_set.name,
        "fund": str(run.rule_set.fund),
        "state": run.state,
        "kind": run.kind,
        "finalised_at": run.finalised_at,
    }


@router.get(
    "/allocations",
    response=list[EcocompRunOut],
    operation_id="ecocomp_allocations",
    auth=PUBLIC,
)
@api_requires("view_published")
@paginate(Pagination, page_size=50)
def allocations(request):
    """The published final allocations, newest year first."""
    return [_run_out(run) for run in selectors.final_runs()]


@router.get(
    "/runs/{run_id}",
    response=EcocompRunDetailOut,
    operation_id="ecocomp_run",
    auth=PUBLIC,
)
def run_detail(request, run_id: Id):
    """A run with every county's amount and its explanation lines: public when final, else
    for the rule set's finance unit."""
    run = get_object_or_404(AllocationRun.objects.select_related("rule_set"), pk=run_id)
    user = api_principal(request)
    if not selectors.reads_run(user, run):
        if not getattr(user, "is_authenticated", False):
            raise AuthenticationError()
        raise HttpError(403, "permission 'manage_ecocomp' required for this run")
    components = run.rule_set.components
    counties = []
    for entry in run.counties.select_related("region").order_by("region__code"):
        worded = rendering.worded_lines(entry.lines, components)
        counties.append(
            {
                "code": entry.region.code,
                "name": entry.region.name,
                "amount": str(entry.amount),
                "lines": [
                    {
                        **dict(
                            zip(
                                ("component", "factor", "value", "share", "weight", "amount"),
                                line,
                                strict=True,
                            )
                        ),
                        "sentence": words.sentence,
                    }
                    for line, words in zip(entry.lines, worded, strict=True)
                ],
            }
        )
    return {**_run_out(run), "counties": counties}
