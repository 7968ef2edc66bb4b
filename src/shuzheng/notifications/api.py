"""JSON API of the inbox and its channels: /api/v1/notifications/… (own data only)."""

import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from shuzheng.accounts.api_auth import SIGNED_IN
from shuzheng.accounts.authorization import api_requires
from shuzheng.api_contract import Id, InputSchema, Pagination
from shuzheng.client_address import client_address
from shuzheng.filtersets import filter_or_422, query_schema
from shuzheng.notifications import services
from shuzheng.notifications.filtersets import (
    DeliveryFilterSet,
    InboxFilterSet,
    WebhookFilterSet,
)
from shuzheng.notifications.models import Notification, WebhookEndpoint

router = Router(tags=["notifications"], auth=SIGNED_IN)


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    link: str
    reason: str
    created_at: datetime.datetime
    read_at: datetime.datetime | None


class ReadAllOut(Schema):
    marked_read: int


class PreferencesOut(Schema):
    email_enabled: bool
    email: str


class PreferencesIn(InputSchema):
    email_enabled: bool


class WebhookOut(Schema):
    id: int
    url: str
    description: str
    active: bool
    created_at: datetime.datetime


class WebhookIn(InputSchema):
    url: str = Field(..., max_length=500)
    description: str = Field("", max_length=100)


class WebhookCreatedOut(WebhookOut):
    secret: str = Field(..., description="The signing secret; shown this once, store it now.")


class WebhookTestOut(Schema):
    ok: bool
    error: str


class DeliveryOut(Schema):
    id: int
    notification_id: int
    channel: str
    target: str
    status: str
    attempts: int
    next_attempt_at: datetime.datetime | None
    last_error: str = Field(
        ...,
        description="Why the last attempt failed, as the owner may read it: a class of failure, "
        "never the receiver's address or answer (administrators see the detail).",
    )
    error_kind: str = Field(
        ...,
        description="The class of the last failure: refused, undelivered, timeout, "
        "http_status, disabled, deleted, not_permitted; empty when none.",
    )
    created_at: datetime.datetime
    sent_at: datetime.datetime | None

    @staticmethod
    def resolve_last_error(delivery) -> str:
        return delivery.public_error()


InboxFilter = query_schema(InboxFilterSet, "InboxFilter")
DeliveryFilter = query_schema(DeliveryFilterSet, "DeliveryFilter")
WebhookFilter = query_schema(WebhookFilterSet, "WebhookFilter")


@router.get("/", response=list[NotificationOut], operation_id="notifications_list")
@api_requires("view_own_account")
@paginate(Pagination, page_size=50)
def list_notifications(request, filters: Query[InboxFilter]):
    """The caller's notifications, newest first."""
    return filter_or_422(InboxFilterSet, request, services.inbox_of(request.user))


@router.post(
    "/{int:notification_id}/read", response=NotificationOut, operation_id="notifications_read"
)
@api_requires("manage_own_subscriptions")
def mark_read(request, notification_id: Id):
    notification = get_object_or_404(Notification, pk=notification_id, recipient=request.user)
    return services.mark_read(notification, user=request.user)


@router.post("/read-all", response=ReadAllOut, operation_id="notifications_read_all")
@api_requires("manage_own_subscriptions")
def mark_all_read(request):
    return {"marked_read": services.mark_all_read(request.user)}


@router.get("/preferences", response=PreferencesOut, operation_id="notifications_preferences")
@api_requires("view_own_account")
def preferences(request):
    return {"email_enabled": services.email_enabled(request.user), "email": request.user.email}


@router.put(
    "/preferences", response=PreferencesOut, operation_id="notifications_preferences_update"
)
@api_requires("manage_own_subscriptions")
def update_preferences(request, payload: PreferencesIn):
    services.set_email_enabled(
        request.user,
        payload.email_enabled,
        actor=request.user,
        remote_addr=client_address(request),
    )
    return {"email_enabled": payload.email_enabled, "email": request.user.email}


@router.get("/webhooks", response=list[WebhookOut], operation_id="notifications_webhooks_list")
@api_requires("view_own_account")
def list_webhooks(request, filters: Query[WebhookFilter]):
    """The caller's webhook endpoints; ``active=1`` or ``active=0`` picks enabled or disabled."""
    return filter_or_422(WebhookFilterSet, request, services.webhooks_of(request.user))


@router.post(
    "/webhooks", response={201: WebhookCreatedOut}, operation_id="notifications_webhooks_create"
)
@api_requires(services.WEBHOOK_PERMISSION)
def create_webhook(request, payload: WebhookIn):
    try:
        endpoint, secret = services.add_webhook(
            request.user,
            payload.url,
            description=payload.description,
            actor=request.user,
            remote_addr=client_address(request),
        )
    except services.NotificationError as error:
        raise HttpError(422, str(error)) from None
    return Status(201, {**WebhookOut.from_orm(endpoint).model_dump(), "secret": secret})


@router.delete(
    "/webhooks/{int:endpoint_id}",
    response={204: None},
    operation_id="notifications_webhooks_delete",
)
@api_requires("manage_own_subscriptions")
def delete_webhook(request, endpoint_id: Id):
    endpoint = get_object_or_404(WebhookEndpoint, pk=endpoint_id, owner=request.user)
    services.delete_webhook(endpoint, actor=request.user, remote_addr=client_address(request))
    return Status(204, None)


@router.post(
    "/webhooks/{int:endpoint_id}/test",
    response=WebhookTestOut,
    operation_id="notifications_webhooks_test",
)
@api_requires(services.WEBHOOK_PERMISSION)
def test_webhook(request, endpoint_id: Id):
    """POST a signed ``webhook_test`` event to the endpoint now and say whether it took it."""
    endpoint = get_object_or_404(WebhookEndpoint, pk=endpoint_id, owner=request.user)
    error = services.send_test_webhook(endpoint)
    return {"ok": error is None, "error": error or ""}


@router.get("/deliveries", response=list[DeliveryOut], operation_id="notifications_deliveries")
@api_requires("view_own_account")
@paginate(Pagination, page_size=50)
def list_deliveries(request, filters: Query[DeliveryFilter]):
    """Email and webhook deliveries of the caller's notifications, newest first, with the
    last error of failed and dead ones."""
    return filter_or_422(DeliveryFilterSet, request, services.deliveries_of(request.user))
