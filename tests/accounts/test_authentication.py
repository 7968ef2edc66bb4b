"""One sign-in path (issue 9, point 1): the login page, the admin's login page and the
password change's re-authentication share progressive per-account and per-address limits,
and every login, failure and logout is audited."""

import pytest
from django.test import Client

from shuzheng.accounts.authentication import delay_after
from shuzheng.accounts.models import User
from shuzheng.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
PASSWORD = "a-Long-enough-pass-42"
LOGIN_PAGES = ["/accounts/login/", "/admin/login/"]


def log_in(client, username, password, page="/accounts/login/", address="10.0.0.1", **headers):
    data = {"username": username, "password": password}
    return client.post(page, data, REMOTE_ADDR=address, **headers)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def administrator(db):
    return User.objects.create_user("root", password=PASSWORD, role="administrator")


@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_repeated_failures_delay_every_login_page(client, administrator, page):
    for _attempt in range(5):
        assert log_in(client, "root", "wrong", page).status_code == 200
    refused = log_in(client, "root", PASSWORD, page)
    assert refused.status_code == 200
    assert "Too many failed logins. Try again after" in refused.content.decode()
    assert not signed_in(client)
    assert AuditEvent.objects.filter(action="accounts.login_failed").count() == 5
    delayed = AuditEvent.objects.get(action="accounts.login_delayed")
    assert (delayed.object_repr, delayed.remote_addr) == ("root", "10.0.0.1")


def test_failures_on_one_page_count_on_the_other(client, administrator):
    for page in LOGIN_PAGES + LOGIN_PAGES + LOGIN_PAGES[:1]:
        log_in(client, "root", "wrong", page)
    assert "Too many failed logins" in log_in(client, "root", PASSWORD, "/admin/login/").text
    assert not signed_in(client)


def test_a_password_spray_from_one_address_is_delayed(client, citizen):
    for number in range(30):
        log_in(client, f"user{number}", "Spring-2024!", address="10.6.6.6")
    assert AuditEvent.objects.filter(action="accounts.login_failed").count() == 20
    assert AuditEvent.objects.filter(action="accounts.login_delayed").count() == 10
    # The sprayer's address waits, even with a correct password; other addresses do not.
    assert "Too many failed logins" in log_in(client, "alice", PASSWORD, address="10.6.6.6").text
    assert log_in(Client(), "alice", PASSWORD, address="10.7.7.7").status_code == 302


def test_the_wait_grows_but_never_locks_the_owner_out(client, citizen, system_time, settings):
    for _attempt in range(5):
        log_in(client, "alice", "wrong", address="10.6.6.6")
    system_time.advance(seconds=59)
    assert "Too many failed logins" in log_in(client, "alice", PASSWORD).text
    system_time.advance(seconds=2)
    log_in(client, "alice", "wrong-again", address="10.6.6.6")  # the 6th failure: 120 s
    system_time.advance(seconds=119)
    assert "Too many failed logins" in log_in(client, "alice", PASSWORD).text
    system_time.advance(seconds=2)
    assert log_in(client, "alice", PASSWORD).status_code == 302
    assert signed_in(client)


def test_guesses_elsewhere_do_not_keep_the_owner_out_at_a_familiar_address(
    client, citizen, settings
):
    assert log_in(Client(), "alice", PASSWORD, address="10.0.0.5").status_code == 302
    for _attempt in range(5):
        log_in(client, "alice", "wrong", address="10.9.9.9")
    assert "Too many failed logins" in log_in(client, "alice", PASSWORD, address="10.9.9.9").text
    assert "Too many failed logins" in log_in(Client(), "alice", PASSWORD, address="10.8.8.8").text
    assert log_in(Client(), "alice", PASSWORD, address="10.0.0.5").status_code == 302
    settings.LOGIN_FAMILIAR_ADDRESS_DAYS = 0
    for _attempt in range(5):
        log_in(client, "alice", "wrong", address="10.9.9.9")
    assert "Too many failed logins" in log_in(Client(), "alice", PASSWORD, address="10.0.0.5").text


def test_a_try_during_the_wait_neither_checks_the_password_nor_lengthens_it(
    client, citizen, system_time
):
    for _attempt in range(5):
        log_in(client, "alice", "wrong")
    for _attempt in range(20):
        system_time.advance(seconds=2)
        log_in(client, "alice", "wrong")
    assert AuditEvent.objects.filter(action="accounts.login_failed").count() == 5
    system_time.advance(seconds=21)
    assert log_in(client, "alice", PASSWORD).status_code == 302


def test_a_successful_login_forgets_the_account_failures(client, citizen, system_time):
    for _attempt in range(4):
        log_in(client, "alice", "wrong")
    assert log_in(client, "alice", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    for _attempt in range(4):
        log_in(client, "alice", "wrong")
    assert log_in(client, "alice", PASSWORD).status_code == 302


def test_the_wait_is_capped(settings):
    assert [delay_after(n, 5) for n in (4,)] == [None]
    assert [delay_after(n, 5).total_seconds() for n in (5, 6, 7, 10)] == [60, 120, 240, 1800]
    assert delay_after(10_000, 5).total_seconds() == settings.LOGIN_DELAY_MAX_SECONDS
    settings.LOGIN_DELAY_MAX_SECONDS = 300
    assert delay_after(9, 5).total_seconds() == 300


@pytest.mark.parametrize(("login_page", "logout_page"), [
    ("/accounts/login/", "/accounts/logout/"),
    ("/admin/login/", "/admin/logout/"),
])  # fmt: skip
def test_login_and_logout_are_audited_on_every_page(client, administrator, login_page, logout_page):
    assert log_in(client, "root", PASSWORD, login_page, address="10.1.1.1").status_code == 302
    login = AuditEvent.objects.get(action="accounts.login")
    assert (login.actor, login.remote_addr) == (administrator, "10.1.1.1")
    client.post(logout_page, REMOTE_ADDR="10.1.1.1")
    logout = AuditEvent.objects.get(action="accounts.logout")
    assert (logout.actor, logout.after) == (administrator, {"reason": "signed_out"})


def test_the_admin_login_refuses_other_roles_as_a_failed_login(client, citizen):
    response = log_in(client, "alice", PASSWORD, "/admin/login/")
    assert response.status_code == 200
    assert not signed_in(client)
    assert not AuditEvent.objects.filter(action="accounts.login").exists()
    assert AuditEvent.objects.get(action="accounts.login_failed").object_repr == "alice"


def test_the_password_change_checks_the_old_password_on_the_login_path(client, citizen):
    client.force_login(citizen)
    for _attempt in range(5):
        response = client.post(
            "/accounts/password/",
            {"old_password": "guess", "new_password1": "x", "new_password2": "x"},
            REMOTE_ADDR="10.2.2.2",
        )
        assert response.status_code == 200
    failures = AuditEvent.objects.filter(action="accounts.login_failed")
    assert failures.count() == 5
    assert {(e.object_repr, e.remote_addr) for e in failures} == {("alice", "10.2.2.2")}
    refused = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "another-Strong-pass-77",
            "new_password2": "another-Strong-pass-77",
        },
    )
    assert "Too many failed logins" in refused.text
    citizen.refresh_from_db()
    assert citizen.check_password(PASSWORD)


def test_the_admin_password_change_is_the_platform_one(client, administrator):
    client.force_login(administrator)
    response = client.get("/admin/password_change/")
    assert (response.status_code, response["Location"]) == (302, "/accounts/password/")


def test_the_address_comes_from_a_trusted_proxy_header_only_when_configured(
    client, citizen, settings
):
    log_in(client, "alice", "wrong", address="127.0.0.1", HTTP_X_REAL_IP="10.3.3.3")
    settings.CLIENT_ADDRESS_HEADER = "X-Forwarded-For"
    client.post(
        "/accounts/login/",
        {"username": "alice", "password": "wrong"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.9, 10.4.4.4",
    )
    client.post(
        "/accounts/login/",
        {"username": "alice", "password": "wrong"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="not an address",
    )
    addresses = AuditEvent.objects.order_by("id").values_list("remote_addr", flat=True)
    assert list(addresses) == ["127.0.0.1", "10.4.4.4", "127.0.0.1"]


@pytest.mark.chinese_ui
def test_the_delay_is_explained_in_chinese(client, citizen):
    for _attempt in range(5):
        log_in(client, "alice", "wrong")
    body = log_in(client, "alice", PASSWORD).text
    assert "登录失败次数过多，请于" in body
    assert "之后再试。" in body
