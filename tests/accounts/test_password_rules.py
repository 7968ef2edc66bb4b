"""Password rules of 等保 2.0 level 3 (issue 9, point 9), wherever a password is set."""

import io

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from shuzheng.accounts import services
from shuzheng.accounts.models import User
from shuzheng.accounts.password_validation import character_classes, derives_from

pytestmark = pytest.mark.django_db
GOOD = "Harbour-lights-2031"


def refusal_codes(password, username="liwei"):
    try:
        validate_password(password, User(username=username))
    except ValidationError as error:
        return {e.code for e in error.error_list}
    return set()


@pytest.mark.parametrize(
    ("password", "classes"),
    [
        ("abcdefghij", 1),
        ("abcdeFGHIJ", 2),
        ("abcdeFGH12", 3),
        ("abcdeFGH1!", 4),
        ("数政abcd1234", 3),
    ],
)
def test_character_classes_are_counted(password, classes):
    assert character_classes(password) == classes


@pytest.mark.parametrize(
    ("password", "codes"),
    [
        (GOOD, set()),
        ("Short-1a", {"password_too_short"}),
        ("alllowercaseletters", {"password_too_few_classes"}),
        ("lowercase-and-symbols", {"password_too_few_classes"}),
        ("Qwerty123456", {"password_too_common"}),
        ("Liwei-2024-spring", {"password_from_username"}),
        ("iew1L#Autumn99", {"password_from_username"}),
        ("L1-W3i_Pass_2024", {"password_from_username"}),
    ],
)
def test_the_rules(password, codes):
    assert refusal_codes(password) >= codes
    if not codes:
        assert refusal_codes(password) == set()


def test_short_usernames_do_not_forbid_their_letters():
    assert not derives_from("Lin-Harbour-2031", "li")
    assert derives_from("Xx-ECILA-2031", "alice")


def test_the_minimum_length_is_a_setting(settings):
    settings.AUTH_PASSWORD_VALIDATORS = [
        {
            "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
            "OPTIONS": {"min_length": 14},
        }
    ]
    assert refusal_codes("Harbour-2031") == {"password_too_short"}


def test_the_default_minimum_length_is_ten(settings):
    assert settings.PASSWORD_MIN_LENGTH == 10
    assert refusal_codes("Harb-2031x") == set()
    assert refusal_codes("Harb-2031") == {"password_too_short"}


def test_the_password_service_refuses_weak_passwords(citizen):
    with pytest.raises(services.AccountError, match="at least 3 kinds"):
        services.change_password(citizen, "onlylowercaseletters", actor=citizen)
    citizen.refresh_from_db()
    assert citizen.check_password("a-Long-enough-pass-42")


def test_the_password_change_page_refuses_weak_passwords(client, citizen):
    client.force_login(citizen)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": "a-Long-enough-pass-42",
            "new_password1": "alice-in-wonderland-7",
            "new_password2": "alice-in-wonderland-7",
        },
    )
    assert response.status_code == 200
    assert "made from the username" in response.text
    citizen.refresh_from_db()
    assert citizen.check_password("a-Long-enough-pass-42")


def test_createsuperuser_cannot_bypass_the_rules(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "root12345")
    with pytest.raises(CommandError, match="too short|too common|at least 3 kinds"):
        call_command(
            "createsuperuser", username="root", email="", interactive=False, stdout=io.StringIO()
        )
    assert not User.objects.filter(username="root").exists()
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", GOOD)
    call_command(
        "createsuperuser", username="root", email="", interactive=False, stdout=io.StringIO()
    )
    assert User.objects.get(username="root").check_password(GOOD)


class TerminalInput(io.StringIO):
    def isatty(self):
        return True


def test_createsuperuser_refuses_the_interactive_bypass(monkeypatch):
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "root12345")
    monkeypatch.setattr("builtins.input", lambda prompt="": "y")  # "Bypass validation?" — yes
    with pytest.raises(CommandError):
        call_command(
            "createsuperuser",
            username="root",
            email="",
            stdin=TerminalInput(),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert not User.objects.filter(username="root").exists()


def test_the_admin_add_form_refuses_weak_passwords(client, matrix_world):
    client.force_login(matrix_world.users["administrator"])
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "wang",
            "password1": "wangwang2024",
            "password2": "wangwang2024",
            "usable_password": "true",
            "role": "citizen",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="wang").exists()


def test_a_generated_password_that_spells_the_username_is_drawn_again(monkeypatch):
    spelled, clean = "4dm1n-Xy" * 3, "Kq7-mPz2" * 3
    draws = iter(spelled[:16] + clean[:16])
    monkeypatch.setattr(services.secrets, "choice", lambda _alphabet: next(draws))
    monkeypatch.setattr(services, "GENERATED_PASSWORD_LENGTH", 16)
    monkeypatch.setattr(services.settings, "PASSWORD_MIN_LENGTH", 12)
    assert services.generate_password("admin") == clean[:16]


def test_generated_passwords_pass_the_rules():
    for _attempt in range(50):
        password = services.generate_password("admin")
        assert refusal_codes(password, "admin") == set()
        assert character_classes(password) == 4


@pytest.mark.chinese_ui
def test_the_rules_speak_chinese():
    messages = set()
    for password in ("Short-1a", "alllowercaseletters", "Qwerty123456", "Liwei-2024-spring"):
        try:
            validate_password(password, User(username="liwei"))
        except ValidationError as error:
            messages.update(error.messages)
    assert "密码须包含小写字母、大写字母、数字、其他字符中的至少 3 类。" in messages
    assert "密码由用户名变化而来，请另选一个。" in messages
    assert all(not any("a" <= c.lower() <= "z" for c in message) for message in messages)
