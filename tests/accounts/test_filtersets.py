"""The API tokens list's FilterSet: a token's state in SQL, as ``ApiToken.state`` says it."""

import datetime as dt

import pytest
from django.utils import timezone

from shuzheng.accounts.filtersets import TokenFilterSet
from shuzheng.accounts.models import ApiToken, User
from shuzheng.accounts.services import create_token, tokens_of

pytestmark = pytest.mark.django_db


def test_state_filters_agree_with_the_models_state():
    user = User.objects.create_user("token-owner", role="citizen")
    create_token(user, "active")
    create_token(user, "expired")
    create_token(user, "revoked")
    ApiToken.objects.filter(name="expired").update(expires_at=timezone.now() - dt.timedelta(days=1))
    ApiToken.objects.filter(name="revoked").update(revoked_at=timezone.now())
    for state in ("active", "expired", "revoked"):
        listed = TokenFilterSet({"state": state}, queryset=tokens_of(user)).qs
        assert [token.name for token in listed] == [state]
        assert all(token.state == state for token in listed)
