"""JSON API of accounts: who am I, and the caller's own API tokens (/api/v1/accounts/...)."""

import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from shuzheng.accounts import services
from shuzheng.accounts.api_auth import SIGNED_IN
from shuzheng.accounts.authorization import api_requires
from shuzheng.accounts.filtersets import TokenFilterSet
from shuzheng.accounts.models import ApiToken
from shuzheng.accounts.permissions import READ, permissions_of
from shuzheng.api_contract import ErrorOut, InputSchema, Key
from shuzheng.client_address import client_address
from shuzheng.filtersets import filter_or_422, query_schema

router = Router(tags=["accounts"], auth=SIGNED_IN)


class AccountUnitOut(Schema):
    id: int
    code: str
    name: str


class MeOut(Schema):
    username: str
    full_name: str
    role: str
    unit: AccountUnitOut | None
    permissions: list[str]
    authenticated_by: str


class TokenOut(Schema):
    prefix: str
    name: str
    scopes: list[str]
    state: str
    created_at: datetime.datetime
    expires_at: datetime.datetime | None
    last_used_at: datetime.datetime | None
    revoked_at: datetime.datetime | None


class TokenIn(InputSchema):
    name: str = Field(..., max_length=100)
    scopes: list[str] = [READ]
    expires_days: int | None = Field(None, ge=1, le=3650)


class TokenCreatedOut(TokenOut):
    token: str = Field(..., description="The token string; shown this once, store it now.")


@router.get("/me", response=MeOut, operation_id="accounts_me")
@api_requires("view_own_account")
def me(request):
    user = request.user
    return {
        "username": user.get_username(),
        "full_name": user.get_full_name(),
        "role": user.role,
        "unit": user.unit,
        "permissions": permissions_of(user.role),
        "authenticated_by": "token" if getattr(request, "api_token", None) else "session",
    }


TokenFilterIn = query_schema(TokenFilterSet, "TokenFilterIn")


@router.get("/tokens", response=list[TokenOut], operation_id="accounts_tokens_list")
@api_requires("view_own_account")
def list_tokens(request, filters: Query[TokenFilterIn]):
    """The caller's tokens; ``state`` is ``active``, ``expired`` or ``revoked``."""
    return filter_or_422(TokenFilterSet, request, services.tokens_of(request.user))


@router.post("/tokens", response={201: TokenCreatedOut}, operation_id="accounts_tokens_create")
@api_requires("manage_own_account")
def create_token(request, payload: TokenIn):
    """Issue a token for the caller. Needs a signed-in session: a token cannot breed tokens."""
    if getattr(request, "api_token", None) is not None:
        raise HttpError(403, "create API tokens from a signed-in session, not with a token")
    expires_at = None
    if payload.expires_days:
        expires_at = timezone.now() + datetime.timedelta(days=payload.expires_days)
    try:
        token, secret = services.create_token(
            request.user,
            payload.name,
            payload.scopes,
            expires_at,
            actor=request.user,
            remote_addr=client_address(request),
        )
    except services.AccountError as error:
        raise HttpError(422, str(error)) from None
    return Status(201, {**TokenOut.from_orm(token).model_dump(), "token": secret})


@router.delete(
    "/tokens/{prefix}",
    response={200: TokenOut, 409: ErrorOut},
    operation_id="accounts_tokens_revoke",
)
@api_requires("manage_own_account")
def revoke_token(request, prefix: Key):
    token = get_object_or_404(ApiToken, user=request.user, prefix=prefix)
    try:
        return services.revoke_token(token, actor=request.user, remote_addr=client_address(request))
    except services.AccountError as error:
        raise HttpError(409, str(error)) from None
