"""Session policy (issue 9, points 4 and 5): change on first login for passwords set by
someone else; idle timeout and absolute lifetime."""

import io
import re

import pytest
from django.core.management import call_command

from shuzheng.accounts import services
from shuzheng.accounts.models import User
from shuzheng.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
PASSWORD = "a-Long-enough-pass-42"
SET_BY_ADMIN = "Given-by-admin-2031"
CHOSEN = "My-own-choice-2032"


def log_in(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


@pytest.fixture
def reset_by_admin(matrix_world):
    """A citizen whose password an administrator has just set."""
    citizen = matrix_world.users["citizen"]
    services.change_password(citizen, SET_BY_ADMIN, actor=matrix_world.users["administrator"])
    return citizen


def test_a_password_set_by_someone_else_must_be_changed(reset_by_admin):
    assert reset_by_admin.must_change_password
    services.change_password(reset_by_admin, "Own-choice-2032x", actor=reset_by_admin)
    reset_by_admin.refresh_from_db()
    assert not reset_by_admin.must_change_password
    services.change_password(reset_by_admin, "By-a-command-2033", actor=None)
    reset_by_admin.refresh_from_db()
    assert reset_by_admin.must_change_password


def test_every_page_leads_to_the_password_change_until_it_is_done(client, reset_by_admin):
    assert log_in(client, reset_by_admin.username, SET_BY_ADMIN).status_code == 302
    for page in ("/", "/accounts/me/", "/tasks/", "/admin/"):
        response = client.get(page)
        assert (response.status_code, response["Location"]) == (302, "/accounts/password/")
    api = client.get("/api/v1/accounts/me")
    assert api.status_code == 403
    assert "new password" in api.json()["detail"]
    page = client.get("/accounts/password/")
    assert "Please choose a new password of your own" in page.text
    changed = client.post(
        "/accounts/password/",
        {"old_password": SET_BY_ADMIN, "new_password1": CHOSEN, "new_password2": CHOSEN},
    )
    assert changed.status_code == 302
    reset_by_admin.refresh_from_db()
    assert not reset_by_admin.must_change_password
    assert client.get("/accounts/me/").status_code == 200


def test_api_tokens_are_not_held_back_by_a_pending_change(client, reset_by_admin):
    _token, secret = services.create_token(reset_by_admin, "script", ["read"])
    response = client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200


def test_users_added_in_the_admin_must_change_their_password(client, matrix_world):
    client.force_login(matrix_world.users["administrator"])
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "wang",
            "password1": SET_BY_ADMIN,
            "password2": SET_BY_ADMIN,
            "usable_password": "true",
            "role": "citizen",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="wang").must_change_password


def test_a_password_set_in_the_admin_must_be_changed(client, matrix_world):
    user = matrix_world.users["citizen"]
    client.force_login(matrix_world.users["administrator"])
    response = client.post(
        f"/admin/accounts/user/{user.pk}/password/",
        {"password1": SET_BY_ADMIN, "password2": SET_BY_ADMIN, "usable_password": "true"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(SET_BY_ADMIN)
    assert user.must_change_password


def test_the_demo_administrator_must_change_the_generated_password():
    out = io.StringIO()
    call_command("loadsample", "--no-demo", stdout=out)
    password = re.search(r"with password: (\S+)", out.getvalue())[1]
    admin = User.objects.get(username="admin")
    assert admin.check_password(password)
    assert admin.must_change_password


def test_changepassword_applies_the_rules_and_requires_a_change(citizen, monkeypatch):
    answers = iter(["weakweak", "weakweak", SET_BY_ADMIN, "typo", SET_BY_ADMIN, SET_BY_ADMIN])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    out, err = io.StringIO(), io.StringIO()
    call_command("changepassword", "alice", stdout=out, stderr=err)
    assert "at least 3 kinds" in err.getvalue()
    assert "do not match" in out.getvalue()
    citizen.refresh_from_db()
    assert citizen.check_password(SET_BY_ADMIN)
    assert citizen.must_change_password
    event = AuditEvent.objects.get(action="accounts.change_password")
    assert event.actor_name == "system"


def test_an_idle_session_is_signed_out_with_a_message(client, citizen, system_time):
    assert log_in(client, "alice", PASSWORD).status_code == 302
    system_time.advance(minutes=29)
    assert client.get("/accounts/me/").status_code == 200
    system_time.advance(minutes=29)
    assert client.get("/accounts/me/").status_code == 200
    system_time.advance(minutes=31)
    response = client.get("/accounts/me/")
    assert (response.status_code, response["Location"]) == (
        302,
        "/accounts/login/?next=/accounts/me/",
    )
    assert "_auth_user_id" not in client.session
    login_page = client.get(response["Location"]).text
    assert "signed out after 30 minutes without activity" in login_page
    logout = AuditEvent.objects.get(action="accounts.logout")
    assert (logout.actor, logout.after) == (citizen, {"reason": "idle_timeout"})


def test_a_busy_session_still_ends_after_its_lifetime(client, citizen, system_time, settings):
    settings.SESSION_MAX_HOURS = 1
    log_in(client, "alice", PASSWORD)
    for _step in range(2):
        system_time.advance(minutes=25)
        assert client.get("/accounts/me/").status_code == 200
    system_time.advance(minutes=25)
    response = client.get("/accounts/me/")
    assert response.status_code == 302
    assert "session ended 1 hours after you logged in" in client.get(response["Location"]).text
    logout = AuditEvent.objects.get(action="accounts.logout")
    assert logout.after == {"reason": "session_lifetime"}


def test_an_expired_session_calling_the_api_gets_a_401(client, citizen, system_time):
    log_in(client, "alice", PASSWORD)
    system_time.advance(minutes=31)
    assert client.get("/api/v1/accounts/me").status_code == 401


def test_htmx_is_told_to_load_the_login_page_whole(client, citizen, system_time):
    log_in(client, "alice", PASSWORD)
    system_time.advance(minutes=31)
    response = client.get("/accounts/me/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/accounts/login/?next=/accounts/me/"


@pytest.mark.chinese_ui
def test_the_expiry_is_explained_in_chinese(client, citizen, system_time):
    log_in(client, "alice", PASSWORD)
    system_time.advance(minutes=31)
    response = client.get("/accounts/me/")
    assert (
        "您已 30 分钟无操作，已自动退出登录，请重新登录。" in client.get(response["Location"]).text
    )
