"""The permission-matrix runner itself must catch wrong expectations, or it proves nothing."""

import pytest

from tests.permissions import EVERYONE, SIGNED_IN, Case, check_case, matrix_test, resolve_path

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
