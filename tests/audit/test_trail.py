"""The audit pages, the audit API and the read-only admin (issue 2)."""

import datetime

import pytest
from django.utils import timezone

from shuzheng.accounts import services
from shuzheng.audit.models import AuditEvent
from shuzheng.audit.services import record_change, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(matrix_world):
    """A role change (with before/after), a token creation and an old login failure."""
    admin = matrix_world.users["administrator"]
    citizen = matrix_world.users["citizen"]
    services.change_role(citizen, "enterprise", actor=admin)
    services.create_token(citizen, "bot", ["read"], actor=citizen)
    services.record_login_failure("ghost", "10.9.9.9")
    old = AuditEvent.objects.get(action="accounts.login_failed")
    AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - datetime.timedelta(days=10))
    return matrix_world


def signed_in(client, world, role="supervisor"):
    client.force_login(world.users[role])
    return client


def test_list_filters_by_actor_action_type_and_dates(client, trail):
    signed_in(client, trail)
    page = client.get("/audit/")
    assert page.context["page"].paginator.count == 3
    by_actor = client.get("/audit/", {"actor": "matrix_administrator"}).context["page"]
    assert [e.action for e in by_actor] == ["accounts.change_role"]
    by_action = client.get("/audit/", {"action": "accounts.create_token"}).context["page"]
    assert [e.object_type for e in by_action] == ["accounts.apitoken"]
    by_type = client.get("/audit/", {"object_type": "accounts.user"}).context["page"]
    assert {e.action for e in by_type} == {"accounts.change_role", "accounts.login_failed"}
    today = timezone.localdate().isoformat()
    recent = client.get("/audit/", {"since": today, "until": today}).context["page"]
    assert "accounts.login_failed" not in {e.action for e in recent}
    assert len(recent) == 2


def test_list_answers_htmx_with_the_results_only(client, trail):
    signed_in(client, trail)
    full = client.get("/audit/")
    partial = client.get("/audit/", headers={"HX-Request": "true"})
    assert "<html" in full.content.decode()
    assert "<html" not in partial.content.decode()
    assert "accounts.change_role" in partial.content.decode()


def test_bad_date_range_is_explained_and_filters_nothing(client, trail):
    signed_in(client, trail)
    response = client.get("/audit/", {"since": "2026-02-01", "until": "2026-01-01"})
    assert "The start date lies after the end date." in response.content.decode()
    assert response.context["page"].paginator.count == 3


def test_list_paginates(client, matrix_world):
    for number in range(55):
        record_change(actor=None, action="test.bulk", object_type="x", object_id=number)
    signed_in(client, matrix_world)
    first = client.get("/audit/", {"action": "test.bulk"})
    assert len(first.context["page"]) == 50
    assert "action=test.bulk&amp;page=2" in first.content.decode()
    second = client.get("/audit/", {"action": "test.bulk", "page": 2})
    assert len(second.context["page"]) == 5


def test_detail_shows_before_and_after_side_by_side(client, trail):
    signed_in(client, trail, "administrator")
    event = AuditEvent.objects.get(action="accounts.change_role")
    response = client.get(f"/audit/{event.pk}/")
    rows = {row.field: row for row in response.context["rows"]}
    assert (rows["role"].before, rows["role"].after, rows["role"].changed) == (
        "citizen",
        "enterprise",
        True,
    )
    assert not rows["username"].changed
    assert client.get("/audit/999999/").status_code == 404


def test_api_lists_and_filters_events(client, trail):
    signed_in(client, trail)
    body = client.get("/api/v1/audit/events").json()
    assert body["count"] == 3
    newest = body["items"][0]
    assert newest["action"] == "accounts.create_token"
    filtered = client.get("/api/v1/audit/events", {"action": "accounts.change_role"}).json()
    assert filtered["count"] == 1
    assert filtered["items"][0]["before"]["role"] == "citizen"
    assert filtered["items"][0]["after"]["role"] == "enterprise"
    today = timezone.localdate().isoformat()
    assert client.get("/api/v1/audit/events", {"since": today}).json()["count"] == 2
    bad = client.get("/api/v1/audit/events", {"since": "yesterday"})
    assert bad.status_code == 422


def test_admin_is_read_only(client, trail):
    signed_in(client, trail, "administrator")
    event = AuditEvent.objects.first()
    assert client.get("/admin/audit/auditevent/").status_code == 200
    assert client.get("/admin/audit/auditevent/", {"q": "ghost"}).context["cl"].result_count == 1
    assert client.get(f"/admin/audit/auditevent/{event.pk}/change/").status_code == 200
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    assert client.get(f"/admin/audit/auditevent/{event.pk}/delete/").status_code == 403
    client.post(f"/admin/audit/auditevent/{event.pk}/change/", {"action": "forged"})
    event.refresh_from_db()
    assert event.action != "forged"


def test_snapshots_mask_token_digests(matrix_world):
    token, _ = services.create_token(matrix_world.users["citizen"], "x", ["read"])
    assert snapshot(token)["digest"] == "***"


@pytest.mark.parametrize(("role", "shown"), [("supervisor", True), ("citizen", False)])
def test_navigation_offers_the_audit_trail_to_those_who_may_read_it(
    client, matrix_world, role, shown
):
    client.force_login(matrix_world.users[role])
    body = client.get("/").content.decode()
    assert ('href="/audit/"' in body) is shown
    assert 'href="/accounts/me/"' in body
    # The header keeps one row (issue 14): the password change is on the account page.
    assert 'href="/accounts/password/"' in client.get("/accounts/me/").content.decode()
