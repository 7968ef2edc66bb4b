"""HTML pages of the inbox and its settings (issue 4 item 4, issue 5 item 4).

Every page works without JavaScript (plain forms, POST + CSRF, redirects); with htmx, "mark
read" swaps just the one item.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuzheng.accounts.authorization import has_perm, require_perm
from shuzheng.client_address import client_address
from shuzheng.lists import ObjectListView, table_page
from shuzheng.notifications import services
from shuzheng.notifications.filtersets import InboxFilterSet
from shuzheng.notifications.forms import EmailPreferenceForm, WebhookForm
from shuzheng.notifications.models import Notification, WebhookEndpoint
from shuzheng.notifications.tables import DeliveryTable

DELIVERY_PAGE_SIZE = 20


class InboxView(ObjectListView):
    """The signed-in person's notifications, newest first; ``?unread=1`` shows unread only.
    A list of items rather than a table: each carries its body, reason and "mark read"."""

    filterset_class = InboxFilterSet
    template_name = "notifications/inbox.html"
    paginate_by = 20

    def get_rows(self):
        return services.inbox_of(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["unread_only"] = bool(self.filterset.value("unread"))
        context["unread_total"] = services.unread_count(self.request.user)
        return context


inbox = require_perm("view_own_account")(InboxView.as_view())


@require_POST
@require_perm("manage_own_subscriptions")
def mark_read(request, pk: int):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.mark_read(notification, user=request.user)
    if request.headers.get("HX-Request"):
        return render(request, "notifications/_item.html", {"item": notification})
    return _back_to_inbox(request)


@require_POST
@require_perm("manage_own_subscriptions")
def mark_all_read(request):
    count = services.mark_all_read(request.user)
    messages.success(request, _("%(count)d notifications marked read.") % {"count": count})
    return _back_to_inbox(request)


def _back_to_inbox(request):
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    return redirect(target or "notifications:inbox")


def _settings_page(request, *, webhook_form=None, new_secret=None, status=200):
    user = request.user
    context = {
        "email_form": EmailPreferenceForm(initial=services.email_settings(user)),
        "has_email": bool(user.email),
        "webhook_form": webhook_form or WebhookForm(),
        "new_secret": new_secret,
        "endpoints": services.webhooks_of(user),
        "may_use_webhooks": has_perm(user, services.WEBHOOK_PERMISSION),
        "deliveries": table_page(
            DeliveryTable, services.deliveries_of(user), request, per_page=DELIVERY_PAGE_SIZE
        ),
    }
    return render(request, "notifications/settings.html", context, status=status)


@require_perm("view_own_account")
def inbox_settings(request):
    """Channels (email on/off, webhook endpoints) and the deliveries with their errors."""
    return _settings_page(request)


@require_POST
@require_perm("manage_own_subscriptions")
def set_email(request):
    form = EmailPreferenceForm(request.POST)
    form.is_valid()  # a checkbox: absent means off; a language not offered keeps the last one
    enabled = form.cleaned_data["email_enabled"]
    services.set_email_enabled(
        request.user,
        enabled,
        language=form.cleaned_data.get("language"),
        actor=request.user,
        remote_addr=client_address(request),
    )
    messages.success(
        request,
        _("Email notifications are on.") if enabled else _("Email notifications are off."),
    )
    return redirect("notifications:settings")


@require_POST
@require_perm(services.WEBHOOK_PERMISSION)
def webhook_add(request):
    """Register an endpoint and show its secret on this response only."""
    form = WebhookForm(request.POST)
    if not form.is_valid():
        return _settings_page(request, webhook_form=form, status=400)
    try:
        _endpoint, secret = services.add_webhook(
            request.user,
            form.cleaned_data["url"],
            description=form.cleaned_data["description"],
            actor=request.user,
            remote_addr=client_address(request),
        )
    except services.NotificationError as error:
        form.add_error(None, str(error))
        return _settings_page(request, webhook_form=form, status=400)
    return _settings_page(request, new_secret=secret)


@require_POST
@require_perm(services.WEBHOOK_PERMISSION)
def webhook_test(request, pk: int):
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk, owner=request.user)
    error = services.send_test_webhook(endpoint)
    if error:
        messages.error(
            request,
            _("The test message to %(url)s failed: %(error)s")
            % {"url": endpoint.url, "error": error},
        )
    else:
        messages.success(request, _("%(url)s accepted the test message.") % {"url": endpoint.url})
    return redirect("notifications:settings")


@require_POST
@require_perm(services.WEBHOOK_PERMISSION)
def webhook_active(request, pk: int):
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk, owner=request.user)
    active = request.POST.get("active") == "1"
    services.set_webhook_active(
        endpoint, active, actor=request.user, remote_addr=client_address(request)
    )
    if active:
        messages.success(request, _("%(url)s is enabled.") % {"url": endpoint.url})
    else:
        messages.success(request, _("%(url)s is disabled.") % {"url": endpoint.url})
    return redirect("notifications:settings")


@require_POST
@require_perm("manage_own_subscriptions")
def webhook_delete(request, pk: int):
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk, owner=request.user)
    url = endpoint.url
    services.delete_webhook(endpoint, actor=request.user, remote_addr=client_address(request))
    messages.success(request, _("%(url)s is deleted.") % {"url": url})
    return redirect("notifications:settings")
