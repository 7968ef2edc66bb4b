"""Objections to shared records (数据异议处理, issue 16 point 5) through the services."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from shuzheng import clock
from shuzheng.audit.models import AuditEvent
from shuzheng.exchange import grant_services, objection_services
from shuzheng.exchange.objection_selectors import is_under_objection, open_objection_keys
from shuzheng.exchange.objection_services import ObjectionError
from shuzheng.exchange.request_models import Objection
from shuzheng.notifications.models import Notification
from tests.exchange_requests.factories import make_resource, publish_rows

pytestmark = pytest.mark.django_db

ROWS = [
    {"id": "1", "name": "银川甲公司", "county": "兴庆区"},
    {"id": "2", "name": "银川乙公司", "county": "金凤区"},
]


@pytest.fixture
def granted(units, people, conditional):
    publish_rows(conditional, ROWS)
    grant_services.issue_grant(
        actor=people["provider_head"],
        consumer=units[1],
        resource=conditional,
        columns=["id", "name"],
        purpose="核验",
        expires_at=clock.now() + dt.timedelta(days=30),
    )
    return conditional


def _raise(people, units, resource, **changes):
    values = {
        "actor": people["consumer_staff"],
        "resource": resource,
        "record_key": "1",
        "description": "企业名称已变更为银川丙公司",
        "unit": units[1],
    }
    values.update(changes)
    return objection_services.raise_objection(**values)


def test_objection_marks_the_record_until_answered(
    units, people, granted, django_capture_on_commit_callbacks
):
    evidence = SimpleUploadedFile("变更通知书.pdf", b"%PDF-1.4 evidence", "application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        objection = _raise(people, units, granted, evidence=evidence)
    assert objection.state == "open"
    assert objection.row.key == "1"
    assert objection.evidence_name == "变更通知书.pdf" and len(objection.evidence_sha256) == 64
    assert objection.due_at > clock.now() + dt.timedelta(days=5)
    assert open_objection_keys(granted.pk) == {"1"}
    assert open_objection_keys(granted.pk, ["1", "2"]) == {"1"}
    assert open_objection_keys(granted.pk, []) == set()
    assert not is_under_objection(granted.pk, "2")
    raised = Notification.objects.filter(kind=objection_services.RAISED_KIND)
    assert {n.recipient for n in raised} == {people["provider_staff"], people["provider_head"]}
    with pytest.raises(PermissionDenied):
        objection_services.answer_objection(
            actor=people["consumer_staff"], objection=objection, confirm=True, answer="x"
        )
    with pytest.raises(ObjectionError):
        objection_services.answer_objection(
            actor=people["provider_staff"], objection=objection, confirm=False, answer=""
        )
    with django_capture_on_commit_callbacks(execute=True):
        objection = objection_services.answer_objection(
            actor=people["provider_staff"], objection=objection, confirm=True, answer="已更正名称"
        )
    assert objection.state == "confirmed"
    assert open_objection_keys(granted.pk) == set()
    answered = Notification.objects.get(kind=objection_services.ANSWERED_KIND)
    assert answered.recipient == people["consumer_staff"]
    assert (
        AuditEvent.objects.filter(action__startswith="exchange.")
        .filter(action__in=["exchange.raise_objection", "exchange.answer_objection"])
        .count()
        == 2
    )
    with pytest.raises(ObjectionError):
        objection_services.answer_objection(
            actor=people["provider_staff"], objection=objection, confirm=False, answer="再答"
        )


def test_bad_objections_are_refused_and_nothing_written(units, people, granted):
    with pytest.raises(ObjectionError) as error:
        _raise(people, units, granted, record_key="404", description=" ")
    assert set(error.value.errors) == {"record_key", "description"}
    renamed = SimpleUploadedFile("证明.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    with pytest.raises(ObjectionError) as error:
        _raise(people, units, granted, evidence=renamed)
    assert "evidence" in error.value.errors
    with pytest.raises(ObjectionError):
        _raise(people, units, granted, evidence=SimpleUploadedFile("a.exe", b"MZ", "x"))
    assert not Objection.objects.exists()


def test_only_a_granted_unit_or_the_public_for_open_data_may_object(units, people, granted):
    # Another unit holds no grant of this resource; nobody objects for a unit not theirs.
    with pytest.raises(ObjectionError):
        _raise(people, units, granted, actor=people["other_head"], unit=units[2])
    with pytest.raises(PermissionDenied):
        _raise(people, units, granted, actor=people["other_head"], unit=units[1])
    # A citizen cannot object to data that is not open.
    with pytest.raises(ObjectionError):
        _raise(people, units, granted, actor=people["citizen"], unit=None)
    open_data = make_resource(units[0], share_type="unconditional")
    open_data.open_type = "unconditional"
    open_data.save()
    publish_rows(open_data, ROWS)
    objection = _raise(people, units, open_data, actor=people["citizen"], unit=None)
    assert objection.unit is None and objection.raised_by == people["citizen"]


def test_objection_reminders(units, people, granted):
    objection = _raise(people, units, granted)
    due = objection.due_at
    assert objection_services.send_objection_reminders(due - dt.timedelta(days=2)) == 0
    assert objection_services.send_objection_reminders(due - dt.timedelta(hours=2)) == 2
    assert objection_services.send_objection_reminders(due + dt.timedelta(hours=2)) == 2
    assert objection_services.send_objection_reminders(due + dt.timedelta(hours=3)) == 0
