"""Rows of the requests part's lists for the query-budget test: each row with a resource and
a unit of its own, so that reading them per row (N+1) would show."""

from shuzheng.orgs.models import Unit
from tests.exchange_requests.factories import make_resource
from tests.exchange_requests.world import _request, grant, objection


def _unit(world, number):
    return Unit.objects.create(
        code=f"xr-budget-{number}", name=f"单位 {number}", kind="department", region=world.region
    )


def _rows(world, n, make):
    start = Unit.objects.count()
    for number in range(start, start + n):
        make(_unit(world, number))


def consumer_requests(world, n):
    _rows(world, n, lambda unit: _request(world.unit, unit, make_resource(unit), "submitted"))


def provider_requests(world, n):
    _rows(world, n, lambda unit: _request(unit, world.unit, make_resource(world.unit), "submitted"))


def demands(world, n):
    _rows(world, n, lambda unit: _request(unit, None, None, "routing", demand="需求"))


def grants(world, n):
    _rows(world, n, lambda unit: grant(world.unit, make_resource(unit)))


def objections(world, n):
    _rows(world, n, lambda unit: objection(make_resource(world.unit), unit))
