"""The permission-matrix runner itself must catch wrong expectations, or it proves nothing."""

import pytest

from tests.permissions import (
    EVERYONE,
    ROLES,
    SIGNED_IN,
    Case,
    check_case,
    each_role,
    matrix_test,
    resolve_path,
)

pytestmark = pytest.mark.django_db


def test_a_denied_role_that_gets_in_fails_the_case(client, matrix_world):
    case = Case("accounts:me", allowed={"administrator"})
    with pytest.raises(AssertionError, match="citizen must be denied"):
        check_case(client, case, matrix_world, "citizen")


def test_an_allowed_role_that_is_refused_fails_the_case(client, matrix_world):
    case = Case("api:accounts_me", allowed=EVERYONE)
    with pytest.raises(AssertionError, match="anonymous is allowed"):
        check_case(client, case, matrix_world, "anonymous")


def test_a_login_redirect_counts_as_denial_for_anonymous_pages_only(client, matrix_world):
    check_case(client, Case("accounts:me", allowed=SIGNED_IN), matrix_world, "anonymous")
    with pytest.raises(AssertionError, match="login redirect"):
        check_case(client, Case("accounts:me", allowed=EVERYONE), matrix_world, "anonymous")


def test_an_allowed_case_with_a_wrong_path_fails(client, matrix_world):
    case = Case("accounts:me", path="/accounts/nowhere/", allowed=EVERYONE)
    with pytest.raises(AssertionError, match="route not found"):
        check_case(client, case, matrix_world, "citizen")


def test_token_cases_sign_in_with_a_bearer_token(client, matrix_world):
    check_case(
        client, Case("api:accounts_me", allowed=SIGNED_IN, auth="token"), matrix_world, "enterprise"
    )


def test_paths_come_from_the_route_or_the_operation(matrix_world):
    assert resolve_path(Case("accounts:me", allowed=()), matrix_world) == "/accounts/me/"
    assert (
        resolve_path(Case("api:audit_events", allowed=()), matrix_world) == "/api/v1/audit/events"
    )
    with pytest.raises(AssertionError, match="has parameters"):
        resolve_path(Case("api:accounts_tokens_revoke", allowed=()), matrix_world)


def test_bad_cases_are_refused_early():
    with pytest.raises(ValueError, match="unknown role"):
        Case("home", allowed={"king"})
    with pytest.raises(ValueError, match="auth must be"):
        Case("home", allowed=(), auth="cookie")
    with pytest.raises(ValueError, match="duplicate"):
        matrix_test([Case("home", allowed=()), Case("home", allowed=())])


def test_each_role_sees_the_world_as_it_was_before_the_previous_role(client, matrix_world):
    """A role's request runs in a savepoint rolled back after it: what one role's POST
    wrote is gone when the next role is checked."""
    from shuzheng.orgs.models import Region

    seen = []

    def check(_client, _world, role):
        seen.append((role, Region.objects.filter(code="649901").exists()))
        Region.objects.create(code="649901", name=f"Written by {role}", level="city")

    each_role(client, matrix_world, check)
    assert [role for role, _ in seen] == list(ROLES)
    assert not any(existed for _, existed in seen)
    assert not Region.objects.filter(code="649901").exists()


def test_each_role_reports_every_failing_role_together(client, matrix_world):
    case = Case("accounts:me", allowed={"administrator"})
    with pytest.raises(AssertionError) as failed:
        each_role(client, matrix_world, lambda c, w, role: check_case(c, case, w, role))
    message = str(failed.value)
    denied_but_in = [role for role in ROLES if f"{role} must be denied" in message]
    assert set(denied_but_in) == set(ROLES) - {"administrator", "anonymous"}
    assert "administrator" not in denied_but_in
