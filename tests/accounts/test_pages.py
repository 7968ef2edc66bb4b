"""Account pages: my account and tokens, password change, login failures, logout."""

import re

import pytest
from django.test import Client

from shuzheng.accounts import services
from shuzheng.accounts.models import ApiToken
from shuzheng.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
PASSWORD = "a-Long-enough-pass-42"


def test_my_account_shows_role_unit_and_tokens(client, matrix_world):
    staff = matrix_world.users["unit_staff"]
    services.create_token(staff, "bureau sync", ["read"])
    client.force_login(staff)
    body = client.get("/accounts/me/").content.decode()
    assert "Matrix Unit" in body
    assert "bureau sync" in body
    assert "act_for_unit" in body


def test_creating_a_token_on_the_page_shows_it_once(client, citizen):
    client.force_login(citizen)
    response = client.post(
        "/accounts/me/tokens/", {"name": "my script", "scopes": ["write"], "expires_days": "30"}
    )
    assert response.status_code == 200
    secret = re.search(r'<code id="new-token">([^<]+)</code>', response.content.decode())[1]
    token = services.authenticate_token(secret)
    assert (token.user, token.scopes) == (citizen, ["read", "write"])
    assert secret not in client.get("/accounts/me/").content.decode()
    assert AuditEvent.objects.get(action="accounts.create_token").actor == citizen


def test_bad_token_form_changes_nothing(client, citizen):
    client.force_login(citizen)
    response = client.post("/accounts/me/tokens/", {"name": "", "scopes": ["read"]})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_token_pages_are_post_only_and_csrf_protected(citizen):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    assert client.get("/accounts/me/tokens/").status_code == 405
    assert client.post("/accounts/me/tokens/", {"name": "x", "scopes": ["read"]}).status_code == 403
    assert not ApiToken.objects.exists()


def test_revoking_on_the_page_only_reaches_own_tokens(client, citizen, supervisor):
    mine, _ = services.create_token(citizen, "mine", ["read"])
    theirs, _ = services.create_token(supervisor, "theirs", ["read"])
    client.force_login(citizen)
    assert client.post(f"/accounts/me/tokens/{theirs.prefix}/revoke/").status_code == 404
    response = client.post(f"/accounts/me/tokens/{mine.prefix}/revoke/", follow=True)
    assert "is revoked" in response.content.decode()
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None and theirs.revoked_at is None
    again = client.post(f"/accounts/me/tokens/{mine.prefix}/revoke/", follow=True)
    assert "revoked already" in again.content.decode()


def test_password_change_is_audited_without_the_hash(client, citizen):
    client.force_login(citizen)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "another-Strong-pass-77",
            "new_password2": "another-Strong-pass-77",
        },
    )
    assert response.status_code == 302
    assert client.get("/accounts/me/").status_code == 200, "the session survives the change"
    citizen.refresh_from_db()
    assert citizen.check_password("another-Strong-pass-77")
    event = AuditEvent.objects.get(action="accounts.change_password")
    assert event.actor == citizen
    assert event.before is None and event.after is None


def test_failed_logins_are_audited_and_then_throttled(client, citizen):
    for _attempt in range(5):
        response = client.post(
            "/accounts/login/", {"username": "alice", "password": "wrong"}, REMOTE_ADDR="10.1.2.3"
        )
        assert response.status_code == 200
    failures = AuditEvent.objects.filter(action="accounts.login_failed")
    assert failures.count() == 5
    assert failures.first().object_repr == "alice"
    assert failures.first().remote_addr == "10.1.2.3"
    assert "wrong" not in str(list(failures.values()))
    locked = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert locked.status_code == 200
    assert "Too many failed logins" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_works_and_logout_is_post_only(client, citizen):
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/accounts/logout/").status_code == 405
    assert "_auth_user_id" in client.session
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session
