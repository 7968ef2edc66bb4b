"""The change feed's pages (issue 16, points 4 and 7): a consumer unit's subscriptions —
subscribe a grant's table (a webhook's signing secret shown once), pause and resume, its
deliveries and dead letters, redeliver one; a provider unit's subscribers and their dead
letters (both sides see a dead letter, per the issue); the exchange office's delays per
subscriber and day and every dead letter. Thin: reads through ``feed_selectors``, writes
through ``feed_services`` (transactional and audited)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuzheng.accounts.authorization import ensure_perm, has_perm, require_perm
from shuzheng.client_address import client_address
from shuzheng.exchange import feed_selectors as selectors
from shuzheng.exchange import feed_services as services
from shuzheng.exchange.feed_forms import SubscribeForm
from shuzheng.exchange.feed_models import FeedDelivery, FeedSubscription
from shuzheng.exchange.models import PublishedTable

READ = "read_exchange_feed"
MANAGE = "manage_exchange_feed"
OFFICE = "oversee_exchange"


def _list_context(request, form=None, secret=None, created=None) -> dict:
    unit_id = request.user.unit_id
    if unit_id is None:
        found, dead = selectors.all_subscriptions(), selectors.dead_letters()
    else:
        found, dead = (
            selectors.subscriptions_of(unit_id),
            selectors.dead_letters(consumer_id=unit_id),
        )
    manages = unit_id is not None and has_perm(request.user, MANAGE, unit_id)
    if form is None and manages:
        form = SubscribeForm(unit_id=unit_id)
    return {
        "subscriptions": found,
        "dead_letters": dead,
        "form": form if manages else None,
        "manages": manages,
        "secret": secret,
        "created": created,
    }


@require_perm(READ)
def subscriptions(request):
    """我的订阅: the unit's subscriptions and dead letters, and the form to subscribe."""
    return render(request, "exchange/feed/list.html", _list_context(request))


@require_POST
@require_perm(MANAGE)
def subscribe(request):
    """Subscribe a grant's table; a webhook's signing secret is shown on the answer, once."""
    unit_id = request.user.unit_id
    if unit_id is None:
        messages.error(request, _("Only a unit's staff subscribe their unit."))
        return redirect("exchange:feed")
    form = SubscribeForm(request.POST, unit_id=unit_id)
    if not form.is_valid():
        return render(request, "exchange/feed/list.html", _list_context(request, form))
    grant = form.cleaned_data["grant"]
    ensure_perm(request.user, MANAGE, grant.consumer_id)
    table = PublishedTable.objects.get(resource_id=grant.resource_id)
    try:
        created, secret = services.subscribe(
            consumer=grant.consumer,
            table=table,
            channel=form.cleaned_data["channel"],
            webhook_url=form.cleaned_data["webhook_url"],
            actor=request.user,
            remote_addr=client_address(request),
        )
    except services.FeedInputError as error:
        form.add_error(None, str(error))
        return render(request, "exchange/feed/list.html", _list_context(request, form))
    messages.success(request, _("Subscribed to the changes of %(title)s.") % {"title": table})
    context = _list_context(request, secret=secret, created=created)
    return render(request, "exchange/feed/list.html", context)


def _may_read(user, subscription: FeedSubscription) -> bool:
    """The consumer unit, the provider unit of the table, and the exchange office."""
    return (
        has_perm(user, READ, subscription.consumer_id)
        or has_perm(user, "publish_exchange_data", subscription.table.resource.provider_id)
        or has_perm(user, OFFICE)
    )


def _may_redeliver(user, subscription: FeedSubscription) -> bool:
    return has_perm(user, MANAGE, subscription.consumer_id) or has_perm(user, OFFICE)


@require_perm("view_own_account")
def subscription_detail(request, pk: int):
    """A subscription's deliveries (with their delays) and dead letters."""
    subscription = get_object_or_404(selectors.all_subscriptions(), pk=pk)
    if not _may_read(request.user, subscription):
        raise PermissionDenied("not this unit's subscription")
    return render(
        request,
        "exchange/feed/detail.html",
        {
            "subscription": subscription,
            "deliveries": selectors.deliveries_of(subscription),
            "manages": has_perm(request.user, MANAGE, subscription.consumer_id),
            "redelivers": _may_redeliver(request.user, subscription),
        },
    )


@require_POST
@require_perm(MANAGE)
def set_active(request, pk: int):
    """Pause or resume a subscription (``active`` is 1 or 0)."""
    subscription = get_object_or_404(FeedSubscription, pk=pk)
    ensure_perm(request.user, MANAGE, subscription.consumer_id)
    active = request.POST.get("active") == "1"
    services.set_subscription_active(
        subscription, active, actor=request.user, remote_addr=client_address(request)
    )
    messages.success(
        request, _("The subscription is resumed.") if active else _("The subscription is paused.")
    )
    return redirect("exchange:feed_subscription", pk=subscription.pk)


@require_POST
@require_perm("view_own_account")
def redeliver(request, pk: int):
    """Put a dead letter back in the queue (its consumer unit or the exchange office)."""
    delivery = get_object_or_404(
        FeedDelivery.objects.select_related("subscription__table__resource"), pk=pk
    )
    if not _may_redeliver(request.user, delivery.subscription):
        raise PermissionDenied("not this unit's dead letter")
    try:
        services.redeliver(delivery, actor=request.user, remote_addr=client_address(request))
    except services.FeedInputError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The dead letter is queued for delivery again."))
    following = request.POST.get("next", "")
    if following == "office" and has_perm(request.user, OFFICE):
        return redirect("exchange:office_feed")
    return redirect("exchange:feed_subscription", pk=delivery.subscription_id)


@require_perm("publish_exchange_data")
def subscribers(request):
    """订阅方: who subscribes to the unit's published tables, and their dead letters."""
    unit_id = request.user.unit_id
    if unit_id is None:
        found, dead = selectors.all_subscriptions(), selectors.dead_letters()
    else:
        found = selectors.subscribers_of(unit_id)
        dead = selectors.dead_letters(provider_id=unit_id)
    return render(
        request, "exchange/feed/subscribers.html", {"subscriptions": found, "dead_letters": dead}
    )


@require_perm(OFFICE)
def office(request):
    """变更订阅: delays per subscriber and day (p50, p99) and every dead letter."""
    return render(
        request,
        "exchange/feed/office.html",
        {
            "delays": selectors.delays(),
            "days": selectors.DELAY_DAYS,
            "dead_letters": selectors.dead_letters(),
        },
    )
