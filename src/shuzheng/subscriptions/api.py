"""JSON API of subscriptions: /api/v1/subscriptions/… (the caller's own only; issue 4,
item 4) and the enterprise profile /api/v1/subscriptions/profile (seed task 89)."""

import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from shuzheng.accounts.api_auth import SIGNED_IN
from shuzheng.accounts.authorization import api_principal, api_requires
from shuzheng.api_contract import ErrorOut, Id, InputSchema
from shuzheng.documents.models import Document
from shuzheng.filtersets import filter_or_422, query_schema
from shuzheng.orgs.models import Region
from shuzheng.subscriptions import services
from shuzheng.subscriptions.choices import SubscriptionKind
from shuzheng.subscriptions.filtersets import SubscriptionFilterSet
from shuzheng.subscriptions.models import EnterpriseProfile, Subscription

router = Router(tags=["subscriptions"], auth=SIGNED_IN)
PERMISSION = services.PERMISSION
#: Reading one's own subscriptions needs only a ``read`` token.
READ_PERMISSION = "view_own_account"


class SubscriptionOut(Schema):
    id: int
    kind: str
    name: str
    label: str
    params: dict[str, str]
    topic: str
    unit_code: str
    unit_name: str
    document_id: int | None
    document_title: str
    active: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_unit_code(obj: Subscription) -> str:
        return obj.unit.code if obj.unit_id else ""

    @staticmethod
    def resolve_unit_name(obj: Subscription) -> str:
        return obj.unit.name if obj.unit_id else ""


class SubscriptionIn(InputSchema):
    kind: SubscriptionKind
    name: str = Field("", max_length=100)
    params: dict[str, str] = Field(
        default_factory=dict,
        description="search: the /search/ parameters q, kind, number, issuer, year, type, "
        "validity, unit, deadline_year",
    )
    topic: str = Field("", description="topic: the term to follow")
    unit: str = Field("", description="unit: a unit code or name, e.g. 自治区财政厅")
    document_id: Id | None = Field(None, description="document: the document to follow")


class SubscriptionPatch(InputSchema):
    name: str | None = Field(None, max_length=100)
    active: bool | None = None
    params: dict[str, str] | None = None
    topic: str | None = None


class ProfileOut(Schema):
    industry: str
    region_code: str
    region_name: str
    size: str
    tags: list[str]
    active: bool


class ProfileIn(InputSchema):
    industry: str = Field("", max_length=50)
    region_code: str = Field("", description="an orgs Region code, e.g. 640100 (银川市)")
    size: str = Field("", description="micro, sme or large")
    tags: list[str] = Field(default_factory=list)
    active: bool = True


def _own(request, subscription_id: int) -> Subscription:
    return get_object_or_404(
        Subscription.objects.select_related("unit"),
        pk=subscription_id,
        owner=api_principal(request),
    )


def _unprocessable(error: services.SubscriptionError):
    return HttpError(422, str(error))


SubscriptionFilterIn = query_schema(SubscriptionFilterSet, "SubscriptionFilterIn")


@router.get("/", response=list[SubscriptionOut], operation_id="subscriptions_list")
@api_requires(READ_PERMISSION)
def list_subscriptions(request, filters: Query[SubscriptionFilterIn]):
    """The caller's subscriptions, newest first; filter by ``kind`` and ``active``."""
    rows = services.subscriptions_of(api_principal(request))
    return list(filter_or_422(SubscriptionFilterSet, request, rows))


@router.post(
    "/", response={201: SubscriptionOut, 404: ErrorOut}, operation_id="subscriptions_create"
)
@api_requires(PERMISSION)
def create_subscription(request, payload: SubscriptionIn):
    """Follow a saved search, a topic, a unit or a document (``kind`` says which)."""
    owner = api_principal(request)
    try:
        if payload.kind == SubscriptionKind.SEARCH:
            subscription = services.subscribe_to_search(
                owner, payload.params, name=payload.name, actor=owner
            )
        elif payload.kind == SubscriptionKind.TOPIC:
            subscription = services.subscribe_to_topic(
                owner, payload.topic, name=payload.name, actor=owner
            )
        elif payload.kind == SubscriptionKind.UNIT:
            subscription = services.subscribe_to_unit(
                owner, payload.unit, name=payload.name, actor=owner
            )
        else:
            document = get_object_or_404(Document, pk=payload.document_id or 0)
            subscription = services.subscribe_to_document(
                owner, document, name=payload.name, actor=owner
            )
    except services.SubscriptionError as error:
        raise _unprocessable(error) from None
    return Status(201, subscription)


@router.get("/profile", response=ProfileOut, operation_id="subscriptions_profile")
@api_requires(READ_PERMISSION)
def get_profile(request):
    """The caller's enterprise profile (enterprise accounts only; empty until saved)."""
    owner = api_principal(request)
    if not services.can_have_profile(owner):
        raise HttpError(403, "enterprise accounts only")
    return _profile_out(services.profile_of(owner))


@router.put("/profile", response=ProfileOut, operation_id="subscriptions_profile_update")
@api_requires(PERMISSION)
def put_profile(request, payload: ProfileIn):
    """Replace the caller's enterprise profile; policies that fit it are pushed."""
    owner = api_principal(request)
    if not services.can_have_profile(owner):
        raise HttpError(403, "enterprise accounts only")
    region = None
    if payload.region_code:
        region = Region.objects.filter(code=payload.region_code).first()
        if region is None:
            raise HttpError(422, f"no region has the code {payload.region_code!r}")
    try:
        profile = services.save_profile(
            owner,
            industry=payload.industry,
            region=region,
            size=payload.size,
            tags=payload.tags,
            active=payload.active,
            actor=owner,
        )
    except services.SubscriptionError as error:
        raise _unprocessable(error) from None
    return _profile_out(profile)


def _profile_out(profile: EnterpriseProfile | None) -> dict:
    if profile is None:
        return {
            "industry": "",
            "region_code": "",
            "region_name": "",
            "size": "",
            "tags": [],
            "active": False,
        }
    return {
        "industry": profile.industry,
        "region_code": profile.region.code if profile.region_id else "",
        "region_name": profile.region.name if profile.region_id else "",
        "size": profile.size,
        "tags": list(profile.tags),
        "active": profile.active,
    }


@router.get("/{int:subscription_id}", response=SubscriptionOut, operation_id="subscriptions_get")
@api_requires(READ_PERMISSION)
def get_subscription(request, subscription_id: Id):
    return _own(request, subscription_id)


@router.patch(
    "/{int:subscription_id}", response=SubscriptionOut, operation_id="subscriptions_update"
)
@api_requires(PERMISSION)
def update_subscription(request, subscription_id: Id, payload: SubscriptionPatch):
    """Rename, pause (``active: false``) or resume a subscription, or change a saved
    search's parameters or a topic's term; fields left out stay as they are."""
    subscription = _own(request, subscription_id)
    try:
        return services.update_subscription(
            subscription, actor=api_principal(request), **payload.dict(exclude_unset=True)
        )
    except services.SubscriptionError as error:
        raise _unprocessable(error) from None


@router.delete("/{int:subscription_id}", response={204: None}, operation_id="subscriptions_delete")
@api_requires(PERMISSION)
def delete_subscription(request, subscription_id: Id):
    subscription = _own(request, subscription_id)
    services.delete_subscription(subscription, actor=api_principal(request))
    return Status(204, None)
