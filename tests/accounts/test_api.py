"""The accounts API and the API's authentication: sessions with CSRF, bearer tokens."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from shuzheng.accounts import services
from shuzheng.accounts.models import ApiToken
from shuzheng.accounts.permissions import permissions_of
from shuzheng.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def bearer(secret):
    return {"Authorization": f"Bearer {secret}"}


def test_me_by_session(client, citizen):
    client.force_login(citizen)
    body = client.get("/api/v1/accounts/me").json()
    assert body["username"] == "alice"
    assert body["role"] == "citizen"
    assert body["unit"] is None
    assert body["permissions"] == permissions_of("citizen")
    assert body["authenticated_by"] == "session"


def test_me_by_token_names_the_unit(client, matrix_world):
    staff = matrix_world.users["unit_staff"]
    _token, secret = services.create_token(staff, "x", ["read"])
    body = client.get("/api/v1/accounts/me", headers=bearer(secret)).json()
    assert body["username"] == staff.username
    assert body["unit"]["code"] == "matrix-unit"
    assert "act_for_unit" in body["permissions"]
    assert body["authenticated_by"] == "token"


def test_without_credentials_the_api_answers_401(client):
    assert client.get("/api/v1/accounts/me").status_code == 401


@pytest.mark.parametrize("state", ["wrong", "revoked", "expired"])
def test_bad_tokens_answer_401_even_with_a_session(client, citizen, state):
    token, secret = services.create_token(citizen, "x", ["read"])
    if state == "wrong":
        secret = secret[:-2] + "zz"
    elif state == "revoked":
        services.revoke_token(token)
    else:
        ApiToken.objects.filter(pk=token.pk).update(
            expires_at=timezone.now() - datetime.timedelta(minutes=1)
        )
    client.force_login(citizen)
    assert client.get("/api/v1/accounts/me", headers=bearer(secret)).status_code == 401


def test_read_only_token_cannot_write(client, citizen):
    token, secret = services.create_token(citizen, "reader", ["read"])
    response = client.delete(f"/api/v1/accounts/tokens/{token.prefix}", headers=bearer(secret))
    assert response.status_code == 403
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_write_token_revokes_own_token_but_never_anothers(client, citizen, supervisor):
    token, secret = services.create_token(citizen, "writer", ["write"])
    other, _ = services.create_token(supervisor, "theirs", ["read"])
    assert (
        client.delete(f"/api/v1/accounts/tokens/{other.prefix}", headers=bearer(secret))
    ).status_code == 404
    response = client.delete(f"/api/v1/accounts/tokens/{token.prefix}", headers=bearer(secret))
    assert response.status_code == 200
    assert response.json()["state"] == "revoked"
    assert client.get("/api/v1/accounts/me", headers=bearer(secret)).status_code == 401


def test_token_scope_never_exceeds_the_role(client, citizen, supervisor):
    _token, citizen_secret = services.create_token(citizen, "x", ["write"])
    assert client.get("/api/v1/audit/events", headers=bearer(citizen_secret)).status_code == 403
    _token, supervisor_secret = services.create_token(supervisor, "x", ["read"])
    assert client.get("/api/v1/audit/events", headers=bearer(supervisor_secret)).status_code == 200


def test_create_token_by_session_shows_the_secret_once(client, citizen):
    client.force_login(citizen)
    response = client.post(
        "/api/v1/accounts/tokens",
        {"name": "report bot", "scopes": ["write"], "expires_days": 30},
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["scopes"] == ["read", "write"]
    assert body["token"].startswith(f"sz_{body['prefix']}_")
    assert services.authenticate_token(body["token"]).user == citizen
    listing = client.get("/api/v1/accounts/tokens").json()
    assert [item["prefix"] for item in listing] == [body["prefix"]]
    assert "token" not in listing[0]


def test_create_token_rejects_bad_scopes_with_422(client, citizen):
    client.force_login(citizen)
    response = client.post(
        "/api/v1/accounts/tokens",
        {"name": "x", "scopes": ["root"]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "unknown scope" in response.json()["detail"]
    assert not ApiToken.objects.exists()


def test_tokens_cannot_create_tokens(client, citizen):
    _token, secret = services.create_token(citizen, "x", ["write"])
    response = client.post(
        "/api/v1/accounts/tokens",
        {"name": "child"},
        content_type="application/json",
        headers=bearer(secret),
    )
    assert response.status_code == 403
    assert ApiToken.objects.count() == 1


def test_session_writes_need_the_csrf_token(citizen):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    response = client.post(
        "/api/v1/accounts/tokens", {"name": "x"}, content_type="application/json"
    )
    assert response.status_code == 403
    client.get("/accounts/me/")  # the page sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    response = client.post(
        "/api/v1/accounts/tokens",
        {"name": "x"},
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )
    assert response.status_code == 201


def test_token_clients_need_no_csrf_token(citizen):
    token, secret = services.create_token(citizen, "x", ["write"])
    client = Client(enforce_csrf_checks=True)
    response = client.delete(f"/api/v1/accounts/tokens/{token.prefix}", headers=bearer(secret))
    assert response.status_code == 200


def test_openapi_declares_both_security_schemes(client):
    from shuzheng.api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    operation = schema["paths"]["/api/v1/accounts/me"]["get"]
    assert operation["operationId"] == "accounts_me"
    assert {name for item in operation["security"] for name in item} == {
        "BearerTokenAuth",
        "SessionCsrfAuth",
    }


def test_audit_events_record_the_address_the_sign_in_limits_count(citizen, client, settings):
    """Behind a trusted proxy every audited write names the client the proxy reports, as
    the sign-in limits do, not the proxy's own address."""
    settings.CLIENT_ADDRESS_HEADER = "X-Real-IP"
    client.force_login(citizen)
    response = client.post(
        "/api/v1/accounts/tokens",
        {"name": "behind the proxy"},
        content_type="application/json",
        headers={"X-Real-IP": "203.0.113.7"},
        REMOTE_ADDR="10.0.0.2",
    )
    assert response.status_code == 201
    event = AuditEvent.objects.get(action="accounts.create_token")
    assert event.remote_addr == "203.0.113.7"
