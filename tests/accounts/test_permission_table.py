"""The pure permission vocabulary: the role table, the unit rule and token scopes."""

import pytest

from shuzheng.accounts import permissions as p
from shuzheng.accounts.choices import Role


def test_signed_in_roles_equal_the_user_model_choices():
    assert list(p.ROLES[1:]) == list(Role.values)
    assert p.ROLES[0] == p.ANONYMOUS


def test_every_role_has_a_row_and_only_known_permissions():
    assert set(p.ROLE_PERMISSIONS) == set(p.ROLES)
    for held in p.ROLE_PERMISSIONS.values():
        assert held <= p.PERMISSION_NAMES


def test_the_public_only_reads_published_content():
    assert p.permissions_of(p.ANONYMOUS) == ["view_published"]


def test_unit_head_holds_every_staff_right_and_approval():
    assert p.ROLE_PERMISSIONS[p.UNIT_STAFF] < p.ROLE_PERMISSIONS[p.UNIT_HEAD]
    assert p.role_has(p.UNIT_HEAD, "approve_for_unit")
    assert not p.role_has(p.UNIT_STAFF, "approve_for_unit")


def test_administrator_holds_everything_and_only_administrators_administer():
    assert p.ROLE_PERMISSIONS[p.ADMINISTRATOR] == p.PERMISSION_NAMES
    assert [r for r in p.ROLES if p.role_has(r, "administer")] == [p.ADMINISTRATOR]


def test_audit_is_for_supervisors_and_administrators():
    assert [r for r in p.ROLES if p.role_has(r, "view_audit")] == [p.SUPERVISOR, p.ADMINISTRATOR]


def test_citizens_and_enterprises_handle_their_own_affairs_only():
    for role in (p.CITIZEN, p.ENTERPRISE):
        assert p.role_has(role, "manage_own_subscriptions")
        assert p.role_has(role, "submit_own_requests")
        assert not p.role_has(role, "view_unit_work")
        assert not p.role_has(role, "act_for_unit")


@pytest.mark.parametrize("role", [p.UNIT_STAFF, p.UNIT_HEAD])
def test_unit_members_act_only_for_their_own_unit(role):
    assert p.role_has_for_unit(role, "act_for_unit", 7, 7)
    assert not p.role_has_for_unit(role, "act_for_unit", 7, 8)
    assert not p.role_has_for_unit(role, "act_for_unit", None, 8)
    assert p.role_has_for_unit(role, "act_for_unit", 7, None)


def test_supervisors_see_every_unit_but_do_not_act_for_it():
    assert p.role_has_for_unit(p.SUPERVISOR, "view_unit_work", None, 8)
    assert not p.role_has_for_unit(p.SUPERVISOR, "act_for_unit", None, 8)


def test_administrators_act_for_every_unit():
    assert p.role_has_for_unit(p.ADMINISTRATOR, "approve_for_unit", None, 8)


def test_permissions_that_are_not_unit_bound_ignore_the_unit():
    assert p.role_has_for_unit(p.CITIZEN, "view_published", None, 8)


def test_unknown_permissions_and_roles():
    with pytest.raises(p.UnknownPermission):
        p.role_has(p.CITIZEN, "fly")
    assert not p.role_has("pirate", "view_published")


def test_write_scope_implies_read_and_empty_means_read():
    assert p.normalise_scopes(["write"]) == ["read", "write"]
    assert p.normalise_scopes([]) == ["read"]
    with pytest.raises(p.UnknownPermission, match="admin"):
        p.normalise_scopes(["admin"])


def test_scopes_allow_reads_or_writes():
    assert p.scopes_allow(["read"], "view_audit")
    assert not p.scopes_allow(["read"], "manage_own_account")
    assert p.scopes_allow(["write"], "manage_own_account")


def test_tokens_stay_within_the_role():
    assert p.scopes_within_role(p.CITIZEN, ["write"])
    assert not p.scopes_within_role(p.ANONYMOUS, ["write"])
    assert p.scopes_within_role(p.ANONYMOUS, ["read"])


def test_markdown_table_has_a_row_per_permission_and_a_column_per_role():
    lines = p.markdown_table().splitlines()
    assert len(lines) == 2 + len(p.PERMISSIONS)
    assert all(line.count("|") == 5 + len(p.ROLES) for line in lines)
    audit_row = next(line for line in lines if "`view_audit`" in line)
    assert audit_row.count("✓") == 2
