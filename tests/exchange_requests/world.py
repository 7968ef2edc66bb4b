"""Objects of the requests part for the permission matrix and the query budgets."""

import datetime as dt

from django.core.files.base import ContentFile

from shuzheng import clock
from shuzheng.exchange.models import Grant
from shuzheng.exchange.request_models import DataRequest, Objection
from tests.exchange_requests.factories import make_resource


def _request(consumer, provider, resource, state, **extra):
    now = clock.now()
    return DataRequest.objects.create(
        consumer=consumer,
        provider=provider,
        resource=resource,
        purpose="核验",
        legal_basis="《政务信息资源共享管理暂行办法》",
        columns=["id", "name"],
        needed_until=clock.today() + dt.timedelta(days=60),
        state=state,
        created_at=now,
        step_started_at=now if state in ("submitted", "routing") else None,
        step_due_at=now + dt.timedelta(days=10) if state in ("submitted", "routing") else None,
        **extra,
    )


def grant(consumer, resource):
    return Grant.objects.create(
        consumer=consumer,
        resource=resource,
        columns=["id", "name"],
        purpose="核验",
        expires_at=clock.now() + dt.timedelta(days=30),
        granted_at=clock.now(),
    )


def objection(resource, unit, *, evidence=False):
    found = Objection(
        resource=resource,
        record_key="1",
        unit=unit,
        description="名称有误",
        raised_at=clock.now(),
        due_at=clock.now() + dt.timedelta(days=7),
    )
    if evidence:
        found.evidence_name = "证明.txt"
        found.evidence.save("evidence.txt", ContentFile(b"evidence"), save=False)
    found.save()
    return found


def make_objects(world):
    theirs = make_resource(world.other_unit, share_type="conditional")
    ours = make_resource(world.unit, share_type="conditional")
    return {
        "draft": _request(world.unit, world.other_unit, theirs, "draft"),
        "to_us": _request(world.other_unit, world.unit, ours, "submitted"),
        "demand": _request(world.other_unit, None, None, "routing", demand="年报数据"),
        "grant": grant(world.unit, theirs),
        "objection": objection(ours, world.other_unit, evidence=True),
    }
