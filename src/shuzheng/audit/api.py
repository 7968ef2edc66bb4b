"""JSON API of the audit trail: /api/v1/audit/events, for supervisors and administrators.

Authentication and the ``view_audit`` permission are applied where ``shuzheng.api`` mounts
this router: the audit trail sits below accounts and does not import it.
"""

import datetime
from typing import Any

from ninja import Query, Router, Schema
from ninja.pagination import paginate

from shuzheng.api_contract import Pagination
from shuzheng.audit import selectors
from shuzheng.audit.filtersets import EventFilterSet
from shuzheng.filtersets import filter_or_422, query_schema

router = Router(tags=["audit"])


class EventOut(Schema):
    id: int
    at: datetime.datetime
    actor_name: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    before: Any = None
    after: Any = None
    remote_addr: str | None = None


EventFilterIn = query_schema(EventFilterSet, "EventFilterIn")


@router.get("/events", response=list[EventOut], operation_id="audit_events")
@paginate(Pagination, page_size=50)
def events(request, filters: Query[EventFilterIn]):
    """Audit events, newest first; filter by actor (username), action, object type and a
    date range (local days, both ends included)."""
    return filter_or_422(EventFilterSet, request, selectors.events())
