"""has_perm, @require_perm and @api_requires: the Django side of the vocabulary."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from ninja import Router
from ninja.testing import TestClient

from shuzheng.accounts import services
from shuzheng.accounts.api_auth import PUBLIC, SIGNED_IN
from shuzheng.accounts.authorization import api_requires, ensure_perm, has_perm, require_perm
from shuzheng.accounts.permissions import UnknownPermission

pytestmark = pytest.mark.django_db


def test_has_perm_applies_the_unit_rule(matrix_world):
    staff, head = matrix_world.users["unit_staff"], matrix_world.users["unit_head"]
    supervisor = matrix_world.users["supervisor"]
    unit, other = matrix_world.unit, matrix_world.other_unit
    assert has_perm(staff, "act_for_unit", unit)
    assert has_perm(staff, "act_for_unit", unit.pk)
    assert not has_perm(staff, "act_for_unit", other)
    assert has_perm(head, "approve_for_unit", unit) and not has_perm(
        head, "approve_for_unit", other
    )
    assert has_perm(supervisor, "view_unit_work", other)
    assert not has_perm(supervisor, "act_for_unit", unit)
    assert has_perm(matrix_world.users["administrator"], "act_for_unit", other)


def test_inactive_users_are_the_public(matrix_world):
    admin = matrix_world.users["administrator"]
    admin.is_active = False
    assert has_perm(admin, "view_published")
    assert not has_perm(admin, "administer")
    assert has_perm(AnonymousUser(), "view_published")
    assert not has_perm(AnonymousUser(), "view_own_account")


def test_ensure_perm_raises_permission_denied(matrix_world):
    with pytest.raises(PermissionDenied):
        ensure_perm(matrix_world.users["unit_staff"], "act_for_unit", matrix_world.other_unit)
    ensure_perm(matrix_world.users["unit_staff"], "act_for_unit", matrix_world.unit)


def test_misspelt_permissions_fail_at_decoration_time():
    with pytest.raises(UnknownPermission):
        require_perm("view_adit")
    with pytest.raises(UnknownPermission):
        api_requires("view_adit")


@require_perm("view_audit")
def audit_only(request):
    return HttpResponse("ok")


def test_require_perm_redirects_anonymous_to_login_and_refuses_others(matrix_world):
    factory = RequestFactory()
    request = factory.get("/secret/?x=1")
    request.user = AnonymousUser()
    response = audit_only(request)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/secret/%3Fx%3D1")
    request.user = matrix_world.users["citizen"]
    with pytest.raises(PermissionDenied):
        audit_only(request)
    request.user = matrix_world.users["supervisor"]
    assert audit_only(request).content == b"ok"


def test_forbidden_page_is_rendered_for_denials(client, matrix_world):
    client.force_login(matrix_world.users["citizen"])
    response = client.get("/audit/")
    assert response.status_code == 403
    assert "accounts/forbidden.html" in [t.name for t in response.templates]


def build_router():
    router = Router()

    @router.get("/public", auth=PUBLIC, operation_id="t_public")
    @api_requires("view_published")
    def public(request):
        return {"user": request.user.get_username()}

    @router.get("/audit", auth=SIGNED_IN, operation_id="t_audit")
    @api_requires("view_audit")
    def audit(request, limit: int = 3):
        return {"limit": limit}

    @router.get("/async-audit", auth=SIGNED_IN, operation_id="t_async_audit")
    @api_requires("view_audit")
    async def async_audit(request):
        return {"ok": True}

    return router


def test_api_requires_on_a_public_operation(matrix_world):
    client = TestClient(build_router())
    assert client.get("/public", user=AnonymousUser()).json() == {"user": ""}
    _token, secret = services.create_token(matrix_world.users["citizen"], "x", ["read"])
    response = client.get(
        "/public", user=AnonymousUser(), headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.json() == {"user": "matrix_citizen"}
    bad = client.get(
        "/public", user=AnonymousUser(), headers={"Authorization": "Bearer sz_nope_nope"}
    )
    assert bad.status_code == 401, "a bad token is never treated as an anonymous visit"


def test_api_requires_keeps_the_signature_and_checks_the_role(matrix_world):
    client = TestClient(build_router())
    assert client.get("/audit", user=AnonymousUser()).status_code == 401
    assert client.get("/audit", user=matrix_world.users["citizen"]).status_code == 403
    response = client.get("/audit?limit=9", user=matrix_world.users["supervisor"])
    assert response.json() == {"limit": 9}


def test_api_requires_wraps_async_operations(matrix_world):
    import asyncio

    from ninja.testing import TestAsyncClient

    client = TestAsyncClient(build_router())
    denied = asyncio.run(client.get("/async-audit", user=matrix_world.users["citizen"]))
    assert denied.status_code == 403
    allowed = asyncio.run(client.get("/async-audit", user=matrix_world.users["supervisor"]))
    assert allowed.json() == {"ok": True}
