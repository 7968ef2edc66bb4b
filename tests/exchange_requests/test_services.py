"""Requests, grants and their rules through the services (issue 16, points 1 and 2)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from shuzheng import clock
from shuzheng.audit.models import AuditEvent
from shuzheng.exchange import grant_services, request_services
from shuzheng.exchange.grant_services import GrantError
from shuzheng.exchange.models import Grant
from shuzheng.exchange.request_models import DataRequest
from shuzheng.exchange.request_services import RequestError, RequestInput
from shuzheng.notifications.models import Notification
from tests.exchange_requests.factories import in_days, make_resource

pytestmark = pytest.mark.django_db


def _input(units, resource, **changes):
    values = {
        "consumer": units[1],
        "resource": resource,
        "purpose": "核验纳税人登记信息",
        "legal_basis": "《中华人民共和国税收征收管理法》第十五条",
        "needed_until": in_days(90),
        "columns": ["id", "name", "county"],
        "row_filters": [{"column": "county", "op": "eq", "value": "兴庆区"}],
    }
    values.update(changes)
    return RequestInput(**values)


def _submitted(units, people, resource, **changes):
    request = request_services.create_request(
        actor=people["consumer_staff"], data=_input(units, resource, **changes)
    )
    return request_services.submit_request(actor=people["consumer_staff"], request=request)


def test_unconditional_general_data_is_granted_on_submission(units, people, unconditional):
    request = _submitted(units, people, unconditional)
    assert request.state == "approved"
    grant = request.grant
    assert grant.consumer == units[1]
    assert grant.columns == ["id", "name", "county"]
    assert grant.row_filters == [{"column": "county", "op": "eq", "value": "兴庆区"}]
    assert grant.expires_at.date() == in_days(90)
    assert AuditEvent.objects.filter(
        action="exchange.issue_grant", object_id=str(grant.pk)
    ).exists()
    assert [d.action for d in request.decisions.all()] == ["create", "submit"]


def test_conditional_data_waits_for_the_provider_who_approves_with_reasons(
    units, people, conditional, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = _submitted(units, people, conditional)
    assert request.state == "submitted"
    assert request.grant is None
    assert request.step_due_at > clock.now() + dt.timedelta(days=10)
    # The provider's head is told; the provider's staff are not the approvers.
    waiting = Notification.objects.filter(kind=request_services.WAITING_KIND)
    assert [n.recipient for n in waiting] == [people["provider_head"]]
    # Staff cannot approve, nor can another unit's head.
    for who in ("provider_staff", "other_head", "consumer_head"):
        with pytest.raises(PermissionDenied):
            request_services.approve_request(actor=people[who], request=request, reason="可以")
    with pytest.raises(RequestError) as error:
        request_services.approve_request(actor=people["provider_head"], request=request, reason=" ")
    assert "reason" in error.value.errors
    with django_capture_on_commit_callbacks(execute=True):
        request = request_services.approve_request(
            actor=people["provider_head"],
            request=request,
            reason="用途合法，同意共享",
            columns=["id", "name"],
        )
    assert request.state == "approved"
    assert request.grant.columns == ["id", "name"]
    assert request.grant.granted_by == people["provider_head"]
    decided = Notification.objects.get(kind=request_services.DECIDED_KIND)
    assert decided.recipient == people["consumer_staff"]
    assert request.decisions.last().reason == "用途合法，同意共享"


def test_not_shared_resource_is_refused_with_the_catalogs_reason(units, people):
    resource = make_resource(units[0], share_type="none")
    request = _submitted(units, people, resource)
    assert request.state == "refused"
    assert request.refusal_cause == "not-shared"
    assert "涉及商业秘密" in request.decisions.last().reason
    assert not Grant.objects.exists()


@pytest.mark.parametrize("share_type", ["unconditional", "conditional"])
def test_core_data_is_refused_always(units, people, share_type):
    resource = make_resource(units[0], share_type=share_type, grade="core")
    request = _submitted(units, people, resource)
    assert request.state == "refused"
    assert request.refusal_cause == "core-data"
    # Not even the provider's head can grant it directly.
    with pytest.raises(GrantError) as error:
        grant_services.issue_grant(
            actor=people["provider_head"],
            consumer=units[1],
            resource=resource,
            columns=["id"],
            purpose="x",
            expires_at=clock.now() + dt.timedelta(days=1),
        )
    assert error.value.code == "core-data"


def test_important_data_goes_to_the_provider_even_when_unconditional(units, people):
    resource = make_resource(units[0], share_type="unconditional", grade="important")
    assert _submitted(units, people, resource).state == "submitted"


def test_a_grant_never_names_core_or_not_shared_columns(units, people, conditional):
    request = _submitted(units, people, conditional, columns=["id", "secret", "note"])
    with pytest.raises(RequestError) as error:
        request_services.approve_request(
            actor=people["provider_head"], request=request, reason="同意"
        )
    assert "secret" in error.value.errors["columns"] and "note" in error.value.errors["columns"]
    assert not Grant.objects.exists()
    assert DataRequest.objects.get(pk=request.pk).state == "submitted"


@pytest.mark.parametrize(
    "row_filters",
    [
        [{"column": "county; DROP TABLE exchange_grant", "op": "eq", "value": "x"}],
        [{"column": "county", "op": "like", "value": "%"}],
        [{"column": "county", "op": "eq", "value": {"$ne": 1}}],
        [{"column": "county", "op": "in", "value": []}],
        [{"column": "county", "op": "eq", "value": "x", "sql": "1=1"}],
        "county = 'x' OR 1=1",
    ],
)
def test_row_filters_are_data_never_sql(units, people, conditional, row_filters):
    with pytest.raises(RequestError) as error:
        request_services.create_request(
            actor=people["consumer_staff"], data=_input(units, conditional, row_filters=row_filters)
        )
    assert "row_filters" in error.value.errors
    assert not DataRequest.objects.exists()


def test_bad_input_is_refused_with_messages_and_nothing_written(units, people, conditional):
    with pytest.raises(RequestError) as error:
        request_services.create_request(
            actor=people["consumer_staff"],
            data=_input(
                units,
                conditional,
                purpose=" ",
                legal_basis="",
                needed_until=in_days(-1),
                columns=["nope"],
            ),
        )
    assert set(error.value.errors) == {"purpose", "legal_basis", "needed_until", "columns"}
    assert not DataRequest.objects.exists()


def test_only_the_consumers_staff_draft_and_submit(units, people, conditional):
    with pytest.raises(PermissionDenied):
        request_services.create_request(
            actor=people["provider_staff"], data=_input(units, conditional)
        )
    request = request_services.create_request(
        actor=people["consumer_staff"], data=_input(units, conditional)
    )
    with pytest.raises(PermissionDenied):
        request_services.submit_request(actor=people["other_head"], request=request)


def test_returned_request_is_amended_and_submitted_again(units, people, conditional):
    request = _submitted(units, people, conditional)
    request = request_services.return_request(
        actor=people["provider_head"], request=request, reason="请补充法律依据条款"
    )
    assert request.state == "returned"
    with pytest.raises(RequestError):
        request_services.approve_request(actor=people["provider_head"], request=request, reason="x")
    request = request_services.update_request(
        actor=people["consumer_staff"],
        request=request,
        data=_input(units, conditional, legal_basis="《税收征收管理法》第十五条第二款"),
    )
    request = request_services.submit_request(actor=people["consumer_staff"], request=request)
    assert request.state == "submitted"
    request = request_services.refuse_request(
        actor=people["provider_head"], request=request, reason="用途超出职责范围"
    )
    assert request.state == "refused" and request.refusal_cause == "provider"
    assert [d.action for d in request.decisions.all()] == [
        "create",
        "submit",
        "return",
        "submit",
        "refuse",
    ]


def test_a_demand_is_routed_by_the_catalog_office(
    units, people, unconditional, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = _submitted(
            units, people, None, demand="全区个体工商户年报数据", columns=[], row_filters=[]
        )
    assert request.state == "routing"
    assert (
        Notification.objects.get(kind=request_services.WAITING_KIND).recipient == people["office"]
    )
    with pytest.raises(PermissionDenied):
        request_services.route_request(
            actor=people["provider_head"], request=request, provider=units[0]
        )
    # Routed to the provider with the catalog resource that holds it: 无条件共享 grants at once.
    request = request_services.route_request(
        actor=people["office"], request=request, provider=units[0], resource=unconditional
    )
    assert request.state == "approved"
    assert request.grant.resource == unconditional
    assert "secret" not in request.grant.columns and "note" not in request.grant.columns


def test_a_demand_routed_to_a_provider_alone_is_approved_naming_the_resource(
    units, people, conditional
):
    request = _submitted(units, people, None, demand="企业信用数据", columns=[], row_filters=[])
    request = request_services.route_request(
        actor=people["office"], request=request, provider=units[0]
    )
    assert request.state == "submitted" and request.provider == units[0]
    with pytest.raises(RequestError):
        request_services.approve_request(
            actor=people["provider_head"], request=request, reason="同意"
        )
    request = request_services.approve_request(
        actor=people["provider_head"],
        request=request,
        reason="同意",
        resource=conditional,
        columns=["id", "name"],
    )
    assert request.grant.columns == ["id", "name"]


def test_revoking_a_grant(units, people, unconditional):
    grant = _submitted(units, people, unconditional).grant
    assert grant_services.is_live(grant)
    with pytest.raises(PermissionDenied):
        grant_services.revoke_grant(grant, actor=people["other_head"], reason="x")
    with pytest.raises(GrantError):
        grant_services.revoke_grant(grant, actor=people["provider_head"], reason="")
    grant = grant_services.revoke_grant(grant, actor=people["provider_head"], reason="用途已结束")
    assert not grant_services.is_live(grant)
    assert AuditEvent.objects.filter(action="exchange.revoke_grant").count() == 1
    with pytest.raises(GrantError):
        grant_services.revoke_grant(grant, actor=people["provider_head"], reason="again")


def test_reminders_before_and_after_the_deadline(units, people, conditional):
    request = _submitted(units, people, conditional)
    due = request.step_due_at
    assert request_services.send_request_reminders(due - dt.timedelta(days=3)) == 0
    assert request_services.send_request_reminders(due - dt.timedelta(hours=3)) == 1
    # Once per step and urgency.
    assert request_services.send_request_reminders(due - dt.timedelta(hours=2)) == 0
    assert request_services.send_request_reminders(due + dt.timedelta(hours=1)) == 1
    reminders = Notification.objects.filter(kind=request_services.REMINDER_KIND)
    assert {n.params["urgency"] for n in reminders} == {"due-soon", "overdue"}
    assert {n.recipient for n in reminders} == {people["provider_head"]}
