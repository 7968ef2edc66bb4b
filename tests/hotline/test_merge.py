"""Merging near duplicates under a master (合并, issue 15 point 6): the master carries the
work, merged requests follow its state, their callers are told of the reply; unmerge."""

import datetime as dt

import pytest

from shuzheng import clock
from shuzheng.accounts.choices import Role
from shuzheng.audit.models import AuditEvent
from shuzheng.hotline import selectors, supervision
from shuzheng.hotline.choices import AssignmentState, CallbackBy, RequestState, Satisfaction
from shuzheng.hotline.models import Dispute, ServiceRequest
from shuzheng.hotline.services import (
    MERGED_KIND,
    MERGED_REPLY_KIND,
    HotlineError,
    Intake,
    accept,
    call_back,
    dispatch_to,
    lead_assignment,
    merge_request,
    reply,
    submit_request,
    unmerge_request,
)
from shuzheng.notifications.models import Notification
from shuzheng.orgs.models import Unit
from tests.hotline.conftest import make_user

LIGHT = "民族南街胜利街路口的路灯不亮了，晚上很黑。"


def light_request(user=None, description=LIGHT, **changes):
    values = {
        "service_code": "street-light",
        "description": description,
        "address_string": "银川市兴庆区民族南街",
        "attributes": {"pole_number": "XQ-0815", "fault": "dark"},
        "channel": "web",
    }
    values.update(changes)
    return submit_request(Intake(**values), actor=user)


@pytest.fixture
def pair(catalog, operator):
    """A master and a near duplicate filed by two citizens with accounts."""
    first, second = make_user("first", Role.CITIZEN), make_user("second", Role.CITIZEN)
    master = light_request(first)
    duplicate = light_request(second, description="胜利街和民族南街路口路灯不亮，很黑")
    return master, duplicate, first, second


def test_a_near_duplicate_is_offered_and_merged_under_the_master(pair, operator):
    master, duplicate, _first, second = pair
    assert [row.pk for row, _match in selectors.merge_candidates(master)] == [duplicate.pk]
    merge_request(duplicate, master, actor=operator)
    duplicate.refresh_from_db()
    assert duplicate.master == master and duplicate.merged_at is not None
    assert duplicate.state == master.state
    # Its own dispatch is withdrawn: the master's unit carries the work.
    assert set(duplicate.assignments.values_list("state", flat=True)) == {AssignmentState.WITHDRAWN}
    found = selectors.requests_with_lead().get(pk=duplicate.pk)
    assert selectors.handling_unit(found) == lead_assignment(master).unit
    event = AuditEvent.objects.get(action="hotline.merge", object_id=str(duplicate.pk))
    assert event.after["master"] == master.number
    assert Notification.objects.filter(recipient=second, kind=MERGED_KIND).exists()
    # Merged, it is no candidate any more, and nothing more is merged under it.
    assert selectors.merge_candidates(master) == []


def test_merged_requests_follow_the_master_and_every_caller_is_told_of_the_reply(pair, operator):
    master, duplicate, first, second = pair
    merge_request(duplicate, master, actor=operator)
    unit = lead_assignment(master).unit
    accept(lead_assignment(master), actor=operator)
    assert ServiceRequest.objects.get(pk=duplicate.pk).state == RequestState.IN_PROGRESS
    reply(master, unit, text="已更换灯泡。", actor=operator)
    duplicate.refresh_from_db()
    assert duplicate.state == RequestState.RESOLVED and duplicate.resolved_at is not None
    told = Notification.objects.get(recipient=second, kind=MERGED_REPLY_KIND)
    assert told.params == {"number": duplicate.number, "master": master.number, "unit": unit.name}
    assert told.link == f"/hotline/track/{duplicate.number}/"
    assert Notification.objects.filter(recipient=first, kind="hotline_survey").exists()
    # The master's callback decides for both: 不满意 reopens both, 满意 closes both.
    call_back(master, satisfaction=Satisfaction.DISSATISFIED, by=CallbackBy.OPERATOR)
    assert ServiceRequest.objects.get(pk=duplicate.pk).state == RequestState.REOPENED
    reply(master, unit, text="已更换线路。", actor=operator)
    call_back(master, satisfaction=Satisfaction.SATISFIED, by=CallbackBy.OPERATOR)
    assert ServiceRequest.objects.get(pk=duplicate.pk).state == RequestState.VISITED
    assert AuditEvent.objects.filter(action="hotline.follow_master").count() >= 4
    # The merged request has no reply of its own to rate.
    with pytest.raises(HotlineError):
        call_back(duplicate, satisfaction=Satisfaction.SATISFIED, by=CallbackBy.OPERATOR)


def test_merging_refuses_chains_itself_and_answered_requests(pair, operator):
    master, duplicate, _first, _second = pair
    third = light_request(description="民族南街路灯坏了")
    with pytest.raises(HotlineError, match="itself"):
        merge_request(master, master, actor=operator)
    merge_request(duplicate, master, actor=operator)
    with pytest.raises(HotlineError, match="merged already"):
        merge_request(duplicate, third, actor=operator)
    with pytest.raises(HotlineError, match="itself merged"):
        merge_request(third, duplicate, actor=operator)
    with pytest.raises(HotlineError, match="merged under"):
        merge_request(master, third, actor=operator)
    reply(third, lead_assignment(third).unit, text="已修复。", actor=operator)
    with pytest.raises(HotlineError, match="answered already"):
        merge_request(third, master, actor=operator)
    # Refused steps changed nothing.
    third.refresh_from_db()
    assert third.master_id is None and third.state == RequestState.RESOLVED
    with pytest.raises(HotlineError, match="act on that request"):
        dispatch_to(
            ServiceRequest.objects.get(pk=duplicate.pk),
            Unit.objects.get(code="yinchuan-urban-management"),
            actor=operator,
        )


def test_merging_closes_an_open_dispute_of_the_merged_request(pair, operator):
    master, duplicate, _first, _second = pair
    Dispute.objects.create(request=duplicate, opened_at=clock.now())
    merge_request(duplicate, master, actor=operator)
    dispute = Dispute.objects.get(request=duplicate)
    assert dispute.state == "decided" and master.number in dispute.decision_note


def test_unmerge_routes_the_request_again_and_is_refused_once_the_master_is_answered(
    pair, operator
):
    master, duplicate, _first, _second = pair
    merge_request(duplicate, master, actor=operator)
    with pytest.raises(HotlineError, match="why"):
        unmerge_request(duplicate, reason=" ", actor=operator)
    unmerge_request(duplicate, reason="不是同一个路口", actor=operator)
    duplicate.refresh_from_db()
    assert duplicate.master_id is None and duplicate.state == RequestState.DISPATCHED
    assert lead_assignment(duplicate) is not None
    assert AuditEvent.objects.get(action="hotline.unmerge").after["reason"] == "不是同一个路口"
    merge_request(duplicate, master, actor=operator)
    reply(master, lead_assignment(master).unit, text="已修复。", actor=operator)
    with pytest.raises(HotlineError, match="answered already"):
        unmerge_request(duplicate, reason="不是同一件事", actor=operator)


def test_an_overdue_merged_request_is_its_masters_not_supervised_twice(pair, operator):
    master, duplicate, _first, _second = pair
    merge_request(duplicate, master, actor=operator)
    past = clock.now() - dt.timedelta(days=1)
    ServiceRequest.objects.filter(pk__in=[master.pk, duplicate.pk]).update(resolution_due_at=past)
    assert [r.pk for r in selectors.overdue()] == [master.pk]
    assert supervision.supervise_overdue(actor=operator) == 1
    assert ServiceRequest.objects.get(pk=duplicate.pk).supervised_task_id is None


def test_the_public_view_and_open311_show_the_merge(pair, operator, client):
    master, duplicate, _first, _second = pair
    merge_request(duplicate, master, actor=operator)
    page = client.get(f"/hotline/track/{duplicate.number}/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    text = page.content.decode()
    assert page.status_code == 200
    assert f"已并入诉求{master.number}" in text
    row = client.get(f"/open311/v2/requests/{duplicate.number}.json").json()[0]
    assert row["agency_responsible"] == lead_assignment(master).unit.name
    assert master.number in row["status_notes"]
    api = client.get(f"/api/v1/hotline/requests/{duplicate.number}").json()
    assert api["merged_under"] == master.number
    assert api["handled_by"]["code"] == lead_assignment(master).unit.code
