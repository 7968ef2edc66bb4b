"""The change feed's API (issue 16, point 4: "a cursor API: changes since cursor, exactly once
by cursor"; "a dead-letter queue both sides can see"), under /api/v1/exchange/feed/.

``GET /api/v1/exchange/feed/{subscription}?cursor=…&limit=…`` answers the changes after the
cursor (after the subscription's start without one) as the consumer's grant shows them, and
the cursor to send next. Who: staff of the subscribing unit (``read_exchange_feed`` for that
unit), signed in or with an API token — or the consumer system itself with the data API's
token (``Authorization: Bearer szx_…``) of that unit, naming the table's resource, under a
live grant. ``GET``/``POST /feed/subscriptions`` list the unit's subscriptions and subscribe
a grant's table (a webhook's signing secret is in the answer, once);
``POST /feed/deliveries/{id}/redeliver`` queues a dead letter again. Errors a client must handle are problem+json
(RFC 9457; docs/exchange-feed.md lists them): ``malformed-cursor`` (400), ``grant-missing``
and ``core-data`` (403), ``subscription-paused`` (409).
"""

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import HttpBearer

from shuzheng.accounts.api_auth import SIGNED_IN
from shuzheng.accounts.authorization import api_principal, check_api_perm, has_perm
from shuzheng.api_contract import Id
from shuzheng.exchange import feed_cursor, feed_selectors, token_services
from shuzheng.exchange import feed_services as services
from shuzheng.exchange.choices import FeedChannel, FeedError
from shuzheng.exchange.feed_models import FeedDelivery, FeedSubscription
from shuzheng.exchange.models import AccessToken, PublishedTable
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


class FeedSubscriptionOut(Schema):
    id: int
    resource: str = Field(description="the resource's catalog name")
    consumer: str = Field(description="the consumer unit's code")
    channel: str
    webhook_url: str
    active: bool
    received_up_to: int
    last_received_at: dt.datetime | None
    created_at: dt.datetime
    dead_letters: int


class FeedSubscribeIn(Schema):
    grant: Id = Field(description="a live grant of your unit whose resource is a published table")
    channel: str = Field(FeedChannel.PULL, description="pull (by cursor) or push (webhook)")
    webhook_url: str = Field("", max_length=500)


class FeedSubscribedOut(Schema):
    subscription: FeedSubscriptionOut
    secret: str | None = Field(
        None, description="a webhook's HMAC-SM3 signing secret: shown this once, never again"
    )


class FeedDeliveryOut(Schema):
    id: int
    subscription: int
    status: str
    first_position: int
    last_position: int
    attempts: int
    next_attempt_at: dt.datetime | None


class FeedDataToken(HttpBearer):
    """The data API's token (``szx_…``) for the pull, ahead of the platform's own bearer
    tokens and sessions: another bearer token is left to those (None)."""

    def authenticate(self, request, token):
        if not token.startswith(f"{token_services.PREFIX}_"):
            return None
        return token_services.authenticate(token)


def _subscription_out(subscription: FeedSubscription, dead: int = 0) -> dict:
    return {
        "id": subscription.pk,
        "resource": subscription.table.resource.name,
        "consumer": subscription.consumer.code,
        "channel": subscription.channel,
        "webhook_url": subscription.webhook_url,
        "active": subscription.active,
        "received_up_to": subscription.acked_position,
        "last_received_at": subscription.last_received_at,
        "created_at": subscription.created_at,
        "dead_letters": dead,
    }


class FeedQuery(Schema):
    cursor: str = Field("", max_length=feed_cursor.MAX_LENGTH)
    limit: int = Field(services.DEFAULT_PAGE, ge=1, le=services.MAX_PAGE)


@router.get(
    "/feed/subscriptions",
    response=list[FeedSubscriptionOut],
    operation_id="exchange_feed_subscriptions",
    summary="The change-feed subscriptions of your unit (the exchange office: all)",
)
def list_subscriptions(request):
    user = api_principal(request)
    check_api_perm(request, "read_exchange_feed", unit=user.unit_id)
    if user.unit_id is not None:
        found = feed_selectors.subscriptions_of(user.unit_id)
    else:
        found = feed_selectors.all_subscriptions()
    found = list(found)
    dead = feed_selectors.dead_counts([subscription.pk for subscription in found])
    return [_subscription_out(s, dead.get(s.pk, 0)) for s in found]


@router.post(
    "/feed/subscriptions",
    response={201: FeedSubscribedOut},
    operation_id="exchange_feed_subscribe",
    summary="Subscribe a granted table's change feed (pulled, or pushed to a webhook)",
)
def subscribe(request, payload: FeedSubscribeIn):
    grant = feed_selectors.subscribable_grants_any().filter(pk=payload.grant).first()
    check_api_perm(request, "manage_exchange_feed", unit=grant.consumer_id if grant else None)
    if grant is None:
        raise HttpError(422, "no live grant of a published table has this id")
    try:
        subscription, secret = services.subscribe(
            consumer=grant.consumer,
            table=PublishedTable.objects.get(resource_id=grant.resource_id),
            channel=payload.channel,
            webhook_url=payload.webhook_url,
            actor=api_principal(request),
        )
    except services.FeedInputError as error:
        raise HttpError(422, str(error)) from None
    return Status(201, {"subscription": _subscription_out(subscription), "secret": secret})


@router.post(
    "/feed/deliveries/{delivery_id}/redeliver",
    response=FeedDeliveryOut,
    operation_id="exchange_feed_redeliver",
    summary="Queue a dead letter of the change feed for delivery again",
)
def redeliver(request, delivery_id: Id):
    delivery = get_object_or_404(
        FeedDelivery.objects.select_related("subscription"), pk=delivery_id
    )
    user = api_principal(request)
    if not has_perm(user, "oversee_exchange"):
        check_api_perm(request, "manage_exchange_feed", unit=delivery.subscription.consumer_id)
    try:
        delivery = services.redeliver(delivery, actor=user)
    except services.FeedInputError as error:
        raise HttpError(409, str(error)) from None
    return {
        "id": delivery.pk,
        "subscription": delivery.subscription_id,
        "status": delivery.status,
        "first_position": delivery.first_position,
        "last_position": delivery.last_position,
        "attempts": delivery.attempts,
        "next_attempt_at": delivery.next_attempt_at,
    }


def _check_reader(request, subscription: FeedSubscription) -> None:
    """A data-API token of the subscribing unit that names the table's resource (its grant
    is checked by the pull itself), or a platform caller allowed to read the unit's feed."""
    if isinstance(request.auth, AccessToken):
        token = request.auth
        if (
            token.consumer_id != subscription.consumer_id
            or not token.resources.filter(pk=subscription.table.resource_id).exists()
        ):
            raise ExchangeProblem("grant-missing", "this token does not read this subscription")
        return
    check_api_perm(request, "read_exchange_feed", unit=subscription.consumer_id)


@router.get(
    "/feed/{subscription_id}",
    response={200: FeedPageOut, 400: ProblemOut, 403: ProblemOut, 409: ProblemOut},
    operation_id="exchange_feed_pull",
    summary="Changes of a subscribed table since a cursor",
    auth=[FeedDataToken(), *SIGNED_IN],
)
def pull_feed(request, subscription_id: Id, query: Query[FeedQuery]):
    subscription = get_object_or_404(
        FeedSubscription.objects.select_related("table__resource"), pk=subscription_id
    )
    _check_reader(request, subscription)
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
