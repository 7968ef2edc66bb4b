"""Every write path of Django's admin reaches the audit trail (issue 9, point 4).

The test walks ``admin.site``: for every registered model it asks the ModelAdmin what an
administrator may do, and for each path it offers — change, delete, add, every action —
submits the admin's own form as a browser would and requires an audit event for the
object, with before and after where there are any. A page that offers no write is
read-only; a new admin page with a write path and no sample object, or whose write is not
audited, fails here.
"""

import datetime as dt
from collections import defaultdict
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from shuzheng.accounts import services as accounts
from shuzheng.accounts.models import User
from shuzheng.audit.models import AuditEvent
from shuzheng.documents.models import Document, Gazette, IngestionFinding, SourceFile
from shuzheng.documents.services import ingest_file
from shuzheng.notifications.models import (
    ChannelPreference,
    Delivery,
    Notification,
    WebhookEndpoint,
)
from shuzheng.orgs.models import Region, Unit, UnitGroup
from shuzheng.subscriptions.models import EnterpriseProfile, Subscription
from tests.tasks.factories import make_task

NOTICE = (
    Path(settings.BASE_DIR) / "tests" / "subscriptions" / "fixtures" / "notice-data-sharing.txt"
)
STRONG_PASSWORD = "Admin-Audit-2026!"
NOW = dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)


def a_document(world):
    ingest_file(NOTICE.read_bytes(), NOTICE.name, actor=None)
    return Document.objects.get()


def a_finding(world):
    document = a_document(world)
    return IngestionFinding.objects.create(
        source=document.source, document=document, severity="warning", code="test"
    )


def a_notification(world):
    return Notification.objects.create(
        recipient=world.users["citizen"],
        kind="test",
        params={"stored": {"title": "通知"}},
        dedupe_key="d",
        created_at=NOW,
    )


def an_endpoint(world):
    return WebhookEndpoint.objects.create(
        owner=world.users["citizen"],
        url="https://hooks.example.org/shuzheng",
        sealed_secret="sealed",
        created_at=NOW,
    )


#: One fresh object per model whose admin page offers a write, made so that deleting it is
#: possible (nothing protects it).
SAMPLES = {
    "accounts.user": lambda w: User.objects.create(username="audited_person", role="citizen"),
    "accounts.apitoken": lambda w: accounts.create_token(w.users["citizen"], name="t")[0],
    "orgs.region": lambda w: Region.objects.create(code="649901", name="审计区", level="county"),
    "orgs.unit": lambda w: Unit.objects.create(
        code="audit-unit", name="审计单位", kind="department", region=w.region
    ),
    "orgs.unitgroup": lambda w: UnitGroup.objects.create(
        key="audit-group", name="审计组", scope=w.region
    ),
    "documents.document": a_document,
    "documents.gazette": lambda w: Gazette.objects.create(
        title="宁夏回族自治区人民政府公报", issue_no="2099年第1期", published_on=dt.date(2099, 1, 5)
    ),
    "documents.sourcefile": lambda w: SourceFile.objects.create(
        name="空白.txt", sha256="0" * 64, size=0, source_format="txt", text=""
    ),
    "documents.ingestionfinding": a_finding,
    "tasks.keytask": lambda w: make_task(90, w.unit),
    "notifications.webhookendpoint": an_endpoint,
    "notifications.notification": a_notification,
    "notifications.delivery": lambda w: Delivery.objects.create(
        notification=a_notification(w), channel="email", target="a@example.org", created_at=NOW
    ),
    "notifications.channelpreference": lambda w: ChannelPreference.objects.create(
        user=w.users["citizen"], updated_at=NOW
    ),
    "subscriptions.subscription": lambda w: Subscription.objects.create(
        owner=w.users["citizen"],
        kind="topic",
        topic="数据共享",
        key="k",
        created_at=NOW,
        updated_at=NOW,
    ),
    "subscriptions.enterpriseprofile": lambda w: EnterpriseProfile.objects.create(
        owner=w.users["enterprise"], updated_at=NOW
    ),
}


def registered_labels():
    return sorted(model._meta.label_lower for model in admin.site._registry)


def admin_of(label):
    return next(
        ma for model, ma in admin.site._registry.items() if model._meta.label_lower == label
    )


def offered(model_admin, user, obj=None):
    """The write paths the admin offers an administrator: change, delete, add, actions."""
    request = RequestFactory().get("/admin/")
    request.user = user
    paths = {
        "change": model_admin.has_change_permission(request, obj),
        "delete": model_admin.has_delete_permission(request, obj),
        "add": model_admin.has_add_permission(request),
    }
    actions = [name for name in model_admin.get_actions(request) if name != "delete_selected"]
    return [name for name, allowed in paths.items() if allowed], actions


def form_data(html: str) -> dict[str, list[str]]:
    """What a browser submits from the admin's change form, as it stands."""
    form = BeautifulSoup(html, "html.parser").find("form", id=lambda v: v and v.endswith("_form"))
    assert form is not None, "no admin change form on the page"
    data = defaultdict(list)
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or "__prefix__" in name or field.has_attr("disabled"):
            continue
        if field.name == "textarea":
            data[name].append(field.text.removeprefix("\n"))  # Django's template adds one
        elif field.name == "select":
            chosen = field.find_all("option", selected=True)
            if not chosen and not field.has_attr("multiple"):
                chosen = field.find_all("option")[:1]
            data[name].extend(option.get("value", option.text) for option in chosen)
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data[name].append(field.get("value", "on"))
        elif field.get("type") not in ("submit", "button", "file", "image", "reset"):
            data[name].append(field.get("value", ""))
    return dict(data)


def without_inline_rows(data: dict) -> dict:
    """The form data for a new object: no inline rows (they belonged to the deleted one)."""
    prefixes = {key.removesuffix("-TOTAL_FORMS") for key in data if key.endswith("-TOTAL_FORMS")}
    kept = {k: v for k, v in data.items() if not any(k.startswith(f"{p}-") for p in prefixes)}
    for prefix in prefixes:
        kept.update({f"{prefix}-TOTAL_FORMS": ["0"], f"{prefix}-INITIAL_FORMS": ["0"]})
    return kept


def events_about(obj_type: str, pk, since: int):
    return AuditEvent.objects.filter(object_type=obj_type, object_id=str(pk), pk__gt=since)


def last_event_id() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def url(label: str, view: str, *args) -> str:
    return reverse(f"admin:{label.replace('.', '_')}_{view}", args=args)


@pytest.mark.django_db
@pytest.mark.parametrize("label", registered_labels())
def test_every_admin_write_is_audited_or_the_admin_is_read_only(label, client, matrix_world):
    administrator = matrix_world.users["administrator"]
    model_admin = admin_of(label)
    paths, actions = offered(model_admin, administrator)
    if not paths and not actions:
        return  # read-only: it offers no write at all
    assert label in SAMPLES, f"{label}: its admin page writes; add a sample object to SAMPLES"
    obj = SAMPLES[label](matrix_world)
    paths, actions = offered(model_admin, administrator, obj)
    client.force_login(administrator)

    for action in actions:
        since = last_event_id()
        response = client.post(
            url(label, "changelist"), {"action": action, "_selected_action": [obj.pk]}
        )
        assert response.status_code == 302, f"{label}: action {action} answered {response}"
        assert events_about(label, obj.pk, since).exists(), f"{label}: {action} not audited"

    change_page = client.get(url(label, "change", obj.pk))
    assert change_page.status_code == 200, f"{label}: change page answered {change_page}"
    data = form_data(change_page.content.decode())
    if "change" in paths:
        since = last_event_id()
        response = client.post(url(label, "change", obj.pk), {**data, "_save": "save"})
        assert response.status_code == 302, f"{label}: the admin's own form was refused: " + str(
            response.context and response.context["adminform"].form.errors
        )
        event = events_about(label, obj.pk, since).get()
        assert event.before is not None and event.after is not None, f"{label}: before/after"
        assert event.actor == administrator
    if "delete" in paths:
        since = last_event_id()
        response = client.post(url(label, "delete", obj.pk), {"post": "yes"})
        assert response.status_code == 302, f"{label}: delete answered {response.status_code}"
        assert not type(obj)._base_manager.filter(pk=obj.pk).exists()
        event = events_about(label, obj.pk, since).get()
        assert event.before is not None, f"{label}: a delete keeps the object's last state"
    if "add" in paths:
        assert "delete" in paths, f"{label}: adds without deletes need their own sample path"
        add_page = client.get(url(label, "add"))
        fresh = form_data(add_page.content.decode())
        values = {**fresh, **{k: v for k, v in without_inline_rows(data).items() if k in fresh}}
        for name in ("password1", "password2"):
            if name in fresh:
                values[name] = [STRONG_PASSWORD]
        since = last_event_id()
        response = client.post(url(label, "add"), {**values, "_save": "save"})
        assert response.status_code == 302, f"{label}: add refused: " + str(
            response.context and response.context["adminform"].form.errors
        )
        added = AuditEvent.objects.filter(object_type=label, pk__gt=since, before__isnull=True)
        assert added.filter(after__isnull=False).exists(), f"{label}: an add is recorded with after"


@pytest.mark.django_db
def test_a_password_set_in_the_admin_is_audited_without_its_hash(client, matrix_world):
    administrator = matrix_world.users["administrator"]
    person = matrix_world.users["citizen"]
    client.force_login(administrator)
    response = client.post(
        f"/admin/accounts/user/{person.pk}/password/",
        {
            "usable_password": "true",
            "password1": STRONG_PASSWORD,
            "password2": STRONG_PASSWORD,
            "set-password": "",
        },
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    event = AuditEvent.objects.get(action="accounts.change_password", object_id=str(person.pk))
    assert (event.actor, event.after) == (administrator, {"usable_password": True})
    person.refresh_from_db()
    assert person.check_password(STRONG_PASSWORD)
    assert person.must_change_password  # someone else chose it (issue 9, first login)
    assert person.password not in str(AuditEvent.objects.values_list("before", "after"))


@pytest.mark.django_db
def test_an_inline_row_edited_in_the_admin_is_audited_with_before_and_after(client, matrix_world):
    """A key task's milestone, changed on the task's admin page, is its own event."""
    administrator = matrix_world.users["administrator"]
    task = make_task(91, matrix_world.unit)
    milestone = task.milestones.get()
    client.force_login(administrator)
    data = form_data(client.get(url("tasks.keytask", "change", task.pk)).content.decode())
    row = next(
        key
        for key, value in data.items()
        if key.startswith("milestones-") and key.endswith("-id") and value == [str(milestone.pk)]
    )
    data[row.replace("-id", "-text")] = ["2025年底"]
    response = client.post(url("tasks.keytask", "change", task.pk), {**data, "_save": "save"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(object_type="tasks.milestone", object_id=str(milestone.pk))
    assert (event.action, event.before["text"], event.after["text"]) == (
        "admin.change",
        "2024年",
        "2025年底",
    )


def test_the_audit_trail_admin_is_read_only():
    """The trail's own page offers nothing to write (issue 9, point 8)."""
    model_admin = admin_of("audit.auditevent")
    request = RequestFactory().get("/admin/")
    request.user = User(role="administrator", is_superuser=True, is_staff=True, is_active=True)
    assert offered(model_admin, request.user) == ([], [])
