"""``shuzheng token create|list|revoke``."""

import io

import pytest
from django.core.management import CommandError, call_command

from shuzheng.accounts import services
from shuzheng.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("token", *args, stdout=out)
    return out.getvalue()


def test_create_prints_a_working_token_as_its_last_line(citizen):
    output = run("create", "alice", "--scope", "write", "--name", "nightly", "--expires-days", "7")
    secret = output.strip().splitlines()[-1]
    token = services.authenticate_token(secret)
    assert token.user == citizen
    assert token.name == "nightly"
    assert token.scopes == ["read", "write"]
    assert token.expires_at is not None


def test_create_defaults_to_read_only_without_expiry(citizen):
    secret = run("create", "alice").strip().splitlines()[-1]
    token = services.authenticate_token(secret)
    assert (token.scopes, token.expires_at) == (["read"], None)


def test_list_and_revoke(citizen):
    token, _ = services.create_token(citizen, "nightly", ["read"])
    assert token.prefix in run("list", "alice")
    assert "Revoked token" in run("revoke", token.prefix)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert "revoked" in run("list", "alice")
    with pytest.raises(CommandError, match="revoked already"):
        run("revoke", token.prefix)


def test_clear_errors(citizen):
    with pytest.raises(CommandError, match="no user named 'bob'"):
        run("create", "bob")
    with pytest.raises(CommandError, match="at least 1"):
        run("create", "alice", "--expires-days", "0")
    with pytest.raises(CommandError, match="no API token"):
        run("revoke", "deadbeef")
    assert not ApiToken.objects.exists()
    assert "no API tokens" in run("list", "alice")
