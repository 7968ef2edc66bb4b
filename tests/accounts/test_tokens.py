"""API token services: creation, SM3 storage, authentication, revocation, audit (issue 2)."""

import datetime

import pytest
from django.utils import timezone

from shuzheng.accounts import services
from shuzheng.accounts.models import ApiToken
from shuzheng.audit.models import AuditEvent
from shuzheng.crypto import sm3_hex

pytestmark = pytest.mark.django_db


def test_token_string_format_and_only_the_sm3_digest_is_stored(citizen):
    token, secret = services.create_token(citizen, "import script", ["read"], actor=citizen)
    marker, prefix, raw = secret.split("_", 2)
    assert (marker, prefix) == ("sz", token.prefix)
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.digest == sm3_hex(raw.encode())
    assert raw not in str(ApiToken.objects.filter(pk=token.pk).values().get()), (
        "the secret must never be stored"
    )


def test_creation_is_audited_without_the_digest(citizen):
    token, _ = services.create_token(citizen, "import script", ["write"], actor=citizen)
    event = AuditEvent.objects.get(action="accounts.create_token")
    assert event.actor == citizen
    assert event.object_id == str(token.pk)
    assert event.before is None
    assert event.after["digest"] == "***"
    assert event.after["scopes"] == ["read", "write"]


def test_authenticate_accepts_the_token_and_records_its_use(citizen):
    token, secret = services.create_token(citizen, "x", ["read"])
    found = services.authenticate_token(secret)
    assert found == token
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None


@pytest.mark.parametrize(
    "mangle",
    [
        lambda s: s[:-1] + ("A" if s[-1] != "A" else "B"),  # wrong secret
        lambda s: "sz_00000000_" + s.split("_", 2)[2],  # unknown prefix
        lambda s: s.replace("sz_", "xx_", 1),  # wrong marker
        lambda s: "",
        lambda s: "sz__",
    ],
)
def test_authenticate_refuses_wrong_tokens(citizen, mangle):
    _token, secret = services.create_token(citizen, "x", ["read"])
    assert services.authenticate_token(mangle(secret)) is None


def test_authenticate_refuses_revoked_expired_and_inactive(citizen):
    revoked, revoked_secret = services.create_token(citizen, "revoked", ["read"])
    services.revoke_token(revoked, actor=citizen)
    expiring, expiring_secret = services.create_token(
        citizen, "expired", ["read"], timezone.now() + datetime.timedelta(days=1)
    )
    ApiToken.objects.filter(pk=expiring.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert services.authenticate_token(revoked_secret) is None
    assert services.authenticate_token(expiring_secret) is None
    _active, active_secret = services.create_token(citizen, "active", ["read"])
    citizen.is_active = False
    citizen.save()
    assert services.authenticate_token(active_secret) is None


def test_revocation_is_audited_with_before_and_after(citizen):
    token, _ = services.create_token(citizen, "x", ["read"])
    services.revoke_token(token, actor=citizen, remote_addr="10.0.0.1")
    event = AuditEvent.objects.get(action="accounts.revoke_token")
    assert event.before["revoked_at"] is None
    assert event.after["revoked_at"] is not None
    assert event.remote_addr == "10.0.0.1"


def test_revoking_twice_is_refused_and_changes_nothing(citizen):
    token, _ = services.create_token(citizen, "x", ["read"])
    services.revoke_token(token)
    first = ApiToken.objects.get(pk=token.pk).revoked_at
    with pytest.raises(services.AccountError, match="revoked already"):
        services.revoke_token(token)
    assert ApiToken.objects.get(pk=token.pk).revoked_at == first
    assert AuditEvent.objects.filter(action="accounts.revoke_token").count() == 1


@pytest.mark.parametrize(
    ("name", "scopes", "days", "message"),
    [
        ("", ["read"], None, "needs a name"),
        ("x" * 101, ["read"], None, "at most 100"),
        ("x", ["admin"], None, "unknown scope"),
        ("x", ["read"], -1, "future"),
    ],
)
def test_bad_input_is_refused_and_creates_nothing(citizen, name, scopes, days, message):
    expires_at = timezone.now() + datetime.timedelta(days=days) if days else None
    with pytest.raises(services.AccountError, match=message):
        services.create_token(citizen, name, scopes, expires_at)
    assert not ApiToken.objects.exists()
    assert not AuditEvent.objects.exists()


def test_inactive_users_get_no_tokens(citizen):
    citizen.is_active = False
    with pytest.raises(services.AccountError, match="inactive"):
        services.create_token(citizen, "x", ["read"])


def test_find_token_accepts_the_prefix_or_the_whole_token(citizen):
    token, secret = services.create_token(citizen, "x", ["read"])
    assert services.find_token(token.prefix) == token
    assert services.find_token(secret) == token
    with pytest.raises(services.AccountError, match="no API token"):
        services.find_token("nope")
