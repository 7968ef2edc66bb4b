"""Nobody edits or deletes audit rows through a page or the API (issue 10, point 5): each
write path of the admin and of /api/v1/audit/ is tried by an administrator, who is refused,
and the chain still holds afterwards."""

import pytest

from shuzheng.audit.models import AuditEvent, ChainSeal
from shuzheng.audit.services import record_change, seal_chain_head, verify_chain

pytestmark = pytest.mark.django_db

ADMIN = "/admin/audit/auditevent/"


@pytest.fixture
def event(matrix_world):
    return record_change(actor=None, action="matrix.touch", object_type="test", after={"x": 1})


@pytest.fixture
def administrator(client, matrix_world):
    client.force_login(matrix_world.users["administrator"])
    return client


def unchanged(event):
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.action, stored.after, stored.hash) == ("matrix.touch", {"x": 1}, event.hash)
    assert verify_chain().broken is None


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("post", "{pk}/change/", {"action": "forged", "object_type": "test"}),
        ("post", "{pk}/delete/", {"post": "yes"}),
        ("get", "{pk}/delete/", None),
        ("post", "add/", {"action": "forged"}),
        ("get", "add/", None),
    ],
)
def test_the_admin_refuses_every_write(administrator, event, method, path, data):
    response = getattr(administrator, method)(ADMIN + path.format(pk=event.pk), data)
    assert response.status_code == 403
    unchanged(event)


def test_the_admin_change_page_has_no_save_button(administrator, event):
    page = administrator.get(f"{ADMIN}{event.pk}/change/").content.decode()
    assert 'name="_save"' not in page and 'name="_continue"' not in page


def test_the_admin_list_offers_no_delete_action(administrator, event):
    page = administrator.get(ADMIN)
    assert "delete_selected" not in page.content.decode()
    posted = administrator.post(
        ADMIN, {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"}
    )
    assert posted.status_code in (200, 302, 403)
    unchanged(event)


def test_the_chain_tables_have_no_admin_page(administrator, event):
    seal_chain_head()
    assert administrator.get("/admin/audit/chainseal/").status_code == 404
    assert administrator.get("/admin/audit/chainhead/").status_code == 404
    assert ChainSeal.objects.count() == 1


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_has_no_write_route(administrator, event, method):
    for path in ("/api/v1/audit/events", f"/api/v1/audit/events/{event.pk}"):
        response = getattr(administrator, method)(
            path, {"action": "forged"}, content_type="application/json"
        )
        assert response.status_code in (404, 405), (method, path, response.status_code)
    unchanged(event)
