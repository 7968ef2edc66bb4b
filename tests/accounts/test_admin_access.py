"""Least privilege: Django's admin flags follow the role; only administrators reach /admin/."""

import io

import pytest
from django.core.management import call_command

from shuzheng.accounts import services
from shuzheng.accounts.models import User
from shuzheng.accounts.permissions import ROLES
from shuzheng.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES[1:])
def test_only_administrators_reach_the_admin(client, matrix_world, role):
    client.force_login(matrix_world.users[role])
    response = client.get("/admin/")
    if role == "administrator":
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_flags_set_by_hand_do_not_survive_a_save():
    user = User.objects.create_user("eve", role="citizen", is_staff=True, is_superuser=True)
    user.refresh_from_db()
    assert not user.is_staff and not user.is_superuser


def test_createsuperuser_makes_an_administrator():
    call_command(
        "createsuperuser", username="root", email="", interactive=False, stdout=io.StringIO()
    )
    root = User.objects.get(username="root")
    assert (root.role, root.is_staff, root.is_superuser) == ("administrator", True, True)


def test_change_role_is_audited_and_moves_admin_access(matrix_world):
    user = matrix_world.users["citizen"]
    admin = matrix_world.users["administrator"]
    services.change_role(user, "administrator", actor=admin)
    user.refresh_from_db()
    assert user.is_staff
    event = AuditEvent.objects.get(action="accounts.change_role")
    assert (event.before["role"], event.after["role"]) == ("citizen", "administrator")
    assert (event.before["is_staff"], event.after["is_staff"]) == (False, True)
    assert event.after["password"] == "***"
    services.change_role(user, "unit_staff", matrix_world.unit, actor=admin)
    user.refresh_from_db()
    assert (user.is_staff, user.unit) == (False, matrix_world.unit)


def test_change_role_refuses_bad_input(matrix_world):
    user = matrix_world.users["citizen"]
    with pytest.raises(services.AccountError, match="needs a unit"):
        services.change_role(user, "unit_head")
    with pytest.raises(services.AccountError, match="unknown role"):
        services.change_role(user, "emperor")
    user.refresh_from_db()
    assert user.role == "citizen"
    assert not AuditEvent.objects.exists()


def test_admin_user_change_form_is_audited(client, matrix_world):
    admin = matrix_world.users["administrator"]
    user = matrix_world.users["citizen"]
    client.force_login(admin)
    page = client.get(f"/admin/accounts/user/{user.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("password", "groups", "user_permissions")
    }
    data.update(
        {
            "role": "supervisor",
            "unit": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "last_login_0": "",
            "last_login_1": "",
        }
    )
    response = client.post(f"/admin/accounts/user/{user.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert user.role == "supervisor"
    event = AuditEvent.objects.get(action="accounts.change_role")
    assert event.actor == admin


def test_admin_revokes_tokens_with_an_audited_action_and_never_deletes(client, matrix_world):
    admin = matrix_world.users["administrator"]
    token, _ = services.create_token(matrix_world.users["citizen"], "x", ["read"])
    client.force_login(admin)
    response = client.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke_selected", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.get(action="accounts.revoke_token").actor == admin
    assert client.get(f"/admin/accounts/apitoken/{token.pk}/delete/").status_code == 403
