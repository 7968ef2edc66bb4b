"""The change feed's pull API (issue 16, point 4: "a cursor API: changes since cursor, exactly
once by cursor"), under /api/v1/exchange/feed/.

``GET /api/v1/exchange/feed/{subscription}?cursor=…&limit=…`` answers the changes after the
cursor (after the subscription's start without one) as the consumer's grant shows them, and
the cursor to send next. Who: staff of the subscribing unit (``read_exchange_feed`` for that
unit), signed in or with an API token. Errors a client must handle are problem+json
(RFC 9457; docs/exchange-feed.md lists them): ``malformed-cursor`` (400), ``grant-missing``
and ``core-data`` (403), ``subscription-paused`` (409).
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from shuzheng.accounts.authorization import check_api_perm
from shuzheng.api_contract import Id
from shuzheng.exchange import feed_cursor
from shuzheng.exchange import feed_services as services
from shuzheng.exchange.choices import FeedError
from shuzheng.exchange.feed_models import FeedSubscription
from shuzheng.exchange.problems import ExchangeProblem

router = Router(tags=["exchange"])

PROBLEM_TYPES = {
    FeedError.GRANT_MISSING: "grant-missing",
    FeedError.CORE_DATA: "core-data",
    FeedError.UNDELIVERED: "subscription-paused",
}


class FeedChangeOut(Schema):
    position: int
    op: str
    key: str
    values: dict
    written_at: str


class FeedPageOut(Schema):
    subscription: int
    changes: list[FeedChangeOut]
    cursor: str = Field(description="send it as ?cursor= to get the changes after this page")
    more: bool = Field(description="more changes wait: ask again at once")


class ProblemOut(Schema):
    type: str
    title: str
    status: int
    detail: str


class FeedQuery(Schema):
    cursor: str = Field("", max_length=feed_cursor.MAX_LENGTH)
    limit: int = Field(services.DEFAULT_PAGE, ge=1, le=services.MAX_PAGE)


@router.get(
    "/feed/{subscription_id}",
    response={200: FeedPageOut, 400: ProblemOut, 403: ProblemOut, 409: ProblemOut},
    operation_id="exchange_feed_pull",
    summary="Changes of a subscribed table since a cursor",
)
def pull_feed(request, subscription_id: Id, query: Query[FeedQuery]):
    subscription = get_object_or_404(
        FeedSubscription.objects.select_related("table__resource"), pk=subscription_id
    )
    check_api_perm(request, "read_exchange_feed", unit=subscription.consumer_id)
    try:
        page = services.pull(subscription, query.cursor or None, limit=query.limit)
    except feed_cursor.CursorError as error:
        raise ExchangeProblem(
            "malformed-cursor",
            _("The cursor is not one this platform issued for this subscription."),
        ) from error
    except services.FeedRefused as refused:
        kind = PROBLEM_TYPES.get(refused.kind, "grant-missing")
        paused = kind == "subscription-paused"
        detail = _("The subscription is paused.") if paused else refused.public_message
        raise ExchangeProblem(kind, detail) from refused
    return {
        "subscription": subscription.pk,
        "changes": page.changes,
        "cursor": page.cursor,
        "more": page.more,
    }
