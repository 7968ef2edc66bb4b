"""Rows of the consumer's and the provider's data pages for the query-budget test: each token,
grant and table with a resource (and a provider unit) of its own, so that reading them per
row (N+1) would show."""

from django.utils import timezone

from shuzheng.exchange import hooks, table_services, token_services
from shuzheng.exchange.hooks import AnsweredCall
from shuzheng.orgs.models import Unit
from tests.exchange_requests.factories import make_resource
from tests.exchange_requests.world import grant


def _provider(world, number):
    return Unit.objects.create(
        code=f"xd-budget-{number}", name=f"提供方 {number}", kind="department",
        region=world.region,
    )  # fmt: skip


def _numbers(n):
    start = Unit.objects.count()
    return range(start, start + n)


def tokens(world, n):
    for number in _numbers(n):
        resource = make_resource(_provider(world, number))
        token_services.create_access_token(world.unit, name=f"令牌 {number}", resources=[resource])


def usage(world, n):
    for number in _numbers(n):
        given = grant(world.unit, make_resource(_provider(world, number)))
        hooks.call_answered(
            AnsweredCall(
                at=timezone.now(),
                consumer_id=world.unit.pk,
                token_id=number,
                grant_id=given.pk,
                resource_code=given.resource.code,
                method="GET",
                path="/api/v1/exchange/data/x/rows",
                query="",
                status=200,
                response_digest="0" * 64,
                rows=1,
            )
        )


def tables(world, n):
    """``n`` published tables of the world's unit and ``n`` resources it may still publish."""
    for _number in _numbers(n):
        table_services.publish_table(make_resource(world.unit), primary_key=["id"])
        make_resource(world.unit)
