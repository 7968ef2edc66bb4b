"""The authentication backend answers Django's ``has_perm`` with the role table, so apps
below accounts (audit) check permissions the standard way (docs/security.md)."""

import pytest
from django.contrib.auth.models import AnonymousUser

pytestmark = pytest.mark.django_db


def test_role_permissions_through_django_has_perm(matrix_world):
    users = matrix_world.users
    assert users["supervisor"].has_perm("view_audit")
    assert users["administrator"].has_perm("view_audit")
    assert not users["citizen"].has_perm("view_audit")
    assert not users["unit_head"].has_perm("view_audit")
    assert AnonymousUser().has_perm("view_published")
    assert not AnonymousUser().has_perm("view_audit")


def test_unit_bound_permissions_take_the_unit_as_the_object(matrix_world):
    staff = matrix_world.users["unit_staff"]
    assert staff.has_perm("act_for_unit", matrix_world.unit)
    assert not staff.has_perm("act_for_unit", matrix_world.other_unit)


def test_an_inactive_user_holds_only_what_the_public_holds(matrix_world):
    supervisor = matrix_world.users["supervisor"]
    supervisor.is_active = False
    assert not supervisor.has_perm("view_audit")


def test_django_model_permissions_are_still_the_model_backends(matrix_world):
    assert not matrix_world.users["supervisor"].has_perm("audit.view_auditevent")
    assert matrix_world.users["administrator"].has_perm("audit.view_auditevent")
