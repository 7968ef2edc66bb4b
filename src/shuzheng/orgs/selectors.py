"""Reading the registry's lists (the filters are ``orgs.filtersets``)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from shuzheng.accounts.choices import Role
from shuzheng.accounts.permissions import UNIT_BOUND_ROLES, roles_assignable_by
from shuzheng.audit.models import AuditEvent
from shuzheng.orgs.models import Region, Unit


def regions() -> QuerySet[Region]:
    """Every administrative region, by GB/T 2260 code."""
    return Region.objects.select_related("parent").order_by("code")


def units() -> QuerySet[Unit]:
    """Every unit, by code, with its region and parent (the API prints their codes)."""
    return Unit.objects.select_related("region", "parent").order_by("code")


def regions_named_with_descendants(text: str) -> set[int]:
    """The ids of the regions whose name or short name contains ``text``, and of every
    region below them (two queries)."""
    parents = dict(Region.objects.values_list("pk", "parent_id"))
    named = set(
        Region.objects.filter(Q(name__contains=text) | Q(short_name__contains=text)).values_list(
            "pk", flat=True
        )
    )
    return {pk for pk in parents if any(_has_ancestor(pk, match, parents) for match in named)}


def region_and_descendants(code: str) -> set[str]:
    """``code`` and the codes of every region below it (one query)."""
    parents = dict(Region.objects.values_list("code", "parent__code"))
    return {candidate for candidate in parents if _has_ancestor(candidate, code, parents)}


def _has_ancestor(code, ancestor, parents: dict) -> bool:
    seen = set()
    while code is not None and code not in seen:
        if code == ancestor:
            return True
        seen.add(code)
        code = parents.get(code)
    return False


def people_managed_by(actor, *, unit=None, text: str = ""):
    """The accounts ``actor`` manages (issue 14, point 5): a unit head's own unit's staff and
    heads; every account for an administrator, narrowed to ``unit`` and to names or usernames
    containing ``text``."""
    users = get_user_model().objects.select_related("unit").order_by("unit__code", "username")
    if actor.role in UNIT_BOUND_ROLES:
        users = users.filter(unit_id=actor.unit_id, role__in=roles_assignable_by(actor.role))
    elif actor.role != Role.ADMINISTRATOR:
        return users.none()
    if unit is not None:
        users = users.filter(unit=unit)
    if text:
        users = users.filter(Q(username__icontains=text) | Q(first_name__icontains=text))
    return users


def supervisors():
    """Every supervisor with the number of supervision steps (交办, 催办, 办结 …) the audit
    trail holds for them and the latest one: who supervises what (issue 14, point 5).
    Three queries whatever the number of supervisors."""
    steps = AuditEvent.objects.filter(actor=OuterRef("pk"), action__startswith="tasks.")
    users = list(
        get_user_model()
        .objects.filter(role=Role.SUPERVISOR)
        .annotate(
            step_count=Coalesce(
                Subquery(steps.order_by().values("actor").annotate(n=Count("id")).values("n")[:1]),
                0,
            ),
            latest_step_id=Subquery(steps.order_by("-at", "-id").values("id")[:1]),
        )
        .order_by("username")
    )
    latest = AuditEvent.objects.in_bulk(
        [user.latest_step_id for user in users if user.latest_step_id]
    )
    for user in users:
        user.latest_step = latest.get(user.latest_step_id)
    return users
