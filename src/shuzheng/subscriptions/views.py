"""HTML pages of subscriptions (issue 4, item 4: 信息找人; seed task 89).

Every page works without JavaScript: plain forms, POST + CSRF, redirects. Only the owner
ever sees a subscription (another person's id answers 404).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuzheng.accounts.authorization import require_perm
from shuzheng.documents.models import Document
from shuzheng.subscriptions import services
from shuzheng.subscriptions.choices import SubscriptionKind
from shuzheng.subscriptions.filtersets import SubscriptionFilterSet
from shuzheng.subscriptions.forms import (
    SEARCH_FILTERS,
    EnterpriseProfileForm,
    SubscriptionEditForm,
    TopicForm,
    UnitForm,
)
from shuzheng.subscriptions.models import Subscription
from shuzheng.subscriptions.tables import SubscriptionTable

PERMISSION = services.PERMISSION


def _list_page(request, *, topic_form=None, unit_form=None, error="", status=200):
    context = {
        "subscriptions": SubscriptionTable(_filtered(request)),
        "topic_form": topic_form or TopicForm(),
        "unit_form": unit_form or UnitForm(),
        "can_have_profile": services.can_have_profile(request.user),
        "profile": services.profile_of(request.user),
        "error": error,
    }
    return render(request, "subscriptions/list.html", context, status=status)


def _filtered(request):
    """The person's subscriptions by ``?kind=`` and ``?active=`` (an invalid value filters
    nothing: the page has no filter form, only links and the API use them)."""
    rows = services.subscriptions_of(request.user)
    return SubscriptionFilterSet(request.GET or None, queryset=rows, request=request).qs


@require_perm(PERMISSION)
def subscription_list(request):
    """The person's subscriptions, with forms to follow a topic or a unit."""
    return _list_page(request)


@require_POST
@require_perm(PERMISSION)
def create(request):
    """Create a subscription of the posted ``follow`` kind: ``search`` (the /search/
    parameters, from the results page's button; ``kind`` is then the search's level
    filter), ``topic``, ``unit`` or ``document``."""
    kind = request.POST.get("follow", "")
    topic_form = unit_form = None
    try:
        if kind == SubscriptionKind.SEARCH:
            subscription = services.subscribe_to_search(
                request.user, request.POST, name=request.POST.get("name", ""), actor=request.user
            )
        elif kind == SubscriptionKind.TOPIC:
            topic_form = TopicForm(request.POST)
            if not topic_form.is_valid():
                return _list_page(request, topic_form=topic_form, status=400)
            subscription = services.subscribe_to_topic(
                request.user, **topic_form.cleaned_data, actor=request.user
            )
        elif kind == SubscriptionKind.UNIT:
            unit_form = UnitForm(request.POST)
            if not unit_form.is_valid():
                return _list_page(request, unit_form=unit_form, status=400)
            subscription = services.subscribe_to_unit(
                request.user, **unit_form.cleaned_data, actor=request.user
            )
        elif kind == SubscriptionKind.DOCUMENT:
            document = get_object_or_404(Document, pk=_int(request.POST.get("document")))
            subscription = services.subscribe_to_document(
                request.user, document, actor=request.user
            )
        else:
            raise services.SubscriptionError(_("Choose what to follow."))
    except services.SubscriptionError as error:
        for form, field in ((topic_form, "topic"), (unit_form, "unit")):
            if form is not None:
                form.add_error(field, str(error))
        return _list_page(
            request, topic_form=topic_form, unit_form=unit_form, error=str(error), status=400
        )
    messages.success(request, _("You now follow %(what)s.") % {"what": subscription.label})
    return redirect("subscriptions:list")


def _int(value) -> int:
    return int(value) if str(value or "").isdigit() else 0


def _own(request, pk: int) -> Subscription:
    return get_object_or_404(Subscription, pk=pk, owner=request.user)


@require_perm(PERMISSION)
def edit(request, pk: int):
    """Rename, pause, or change a saved search's words and filters or a topic's term."""
    subscription = _own(request, pk)
    initial = {"name": subscription.name, "active": subscription.active}
    initial |= {"topic": subscription.topic, **subscription.params}
    form = SubscriptionEditForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        kind=subscription.kind,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {"name": data["name"], "active": data["active"]}
        if subscription.kind == SubscriptionKind.SEARCH:
            changes["params"] = {name: data.get(name, "") for name in ("q", *dict(SEARCH_FILTERS))}
        if subscription.kind == SubscriptionKind.TOPIC:
            changes["topic"] = data["topic"]
        try:
            services.update_subscription(subscription, actor=request.user, **changes)
        except services.SubscriptionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Subscription saved."))
            return redirect("subscriptions:list")
    status = 400 if request.method == "POST" else 200
    context = {"subscription": subscription, "form": form}
    return render(request, "subscriptions/edit.html", context, status=status)


@require_POST
@require_perm(PERMISSION)
def pause(request, pk: int):
    """Pause (``active=0``) or resume (``active=1``) a subscription."""
    subscription = _own(request, pk)
    active = request.POST.get("active") == "1"
    services.update_subscription(subscription, active=active, actor=request.user)
    if active:
        messages.success(request, _("%(what)s is active again.") % {"what": subscription.label})
    else:
        messages.success(request, _("%(what)s is paused.") % {"what": subscription.label})
    return redirect("subscriptions:list")


@require_POST
@require_perm(PERMISSION)
def delete(request, pk: int):
    subscription = _own(request, pk)
    label = subscription.label
    services.delete_subscription(subscription, actor=request.user)
    messages.success(request, _("You no longer follow %(what)s.") % {"what": label})
    return redirect("subscriptions:list")


@require_perm(PERMISSION)
def profile(request):
    """The enterprise profile (enterprise accounts only): policies that fit it are pushed."""
    if not services.can_have_profile(request.user):
        raise PermissionDenied("enterprise accounts only")
    current = services.profile_of(request.user)
    initial = {"active": True}
    if current is not None:
        initial = {
            "industry": current.industry,
            "region": current.region,
            "size": current.size,
            "tags": ", ".join(current.tags),
            "active": current.active,
        }
    form = EnterpriseProfileForm(
        request.POST if request.method == "POST" else None, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_profile(request.user, **form.cleaned_data, actor=request.user)
        except services.SubscriptionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your enterprise profile is saved."))
            return redirect("subscriptions:list")
    status = 400 if request.method == "POST" else 200
    return render(request, "subscriptions/profile.html", {"form": form}, status=status)
