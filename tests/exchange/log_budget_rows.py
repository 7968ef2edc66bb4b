"""Rows of the exchange office's message log for the query-budget test: each call from a
consumer unit of its own, so that naming the consumers per row (N+1) would show."""

from django.utils import timezone

from shuzheng.exchange import hooks
from shuzheng.exchange.hooks import AnsweredCall
from shuzheng.orgs.models import Unit


def message_log_entries(world, n):
    start = Unit.objects.count()
    for number in range(start, start + n):
        unit = Unit.objects.create(
            code=f"log-budget-{number}", name=f"使用方 {number}", kind="department",
            region=world.region,
        )  # fmt: skip
        hooks.call_answered(
            AnsweredCall(
                at=timezone.now(),
                consumer_id=unit.pk,
                token_id=number,
                grant_id=number,
                resource_code=f"NX-{number}",
                method="GET",
                path="/api/v1/exchange/rows",
                query="",
                status=200,
                response_digest="0" * 64,
                rows=1,
            )
        )
