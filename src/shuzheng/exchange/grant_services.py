"""Issuing and revoking grants: the only writers of ``Grant`` (issue 16, point 2).

A grant lets one consumer unit read one catalog resource: named columns, row filters (e.g.
only the consumer's region), a purpose and an expiry. The data API enforces it on every
request, so what is decided here is what leaves the platform. Rules checked on every path
(an approval, the 无条件共享 rule on submission, the sample loader):

* core data never leaves (GB/T 43697-2024, ``catalog.grading``): no grant for a core
  resource, and no core column in any grant;
* 不予共享 resources and items are never granted (国发〔2016〕51号 第九条); a resource
  that is not published in the catalog is not granted either;
* 有条件共享 resources, and important data whatever its share type, are granted only by the
  provider (``approve_for_unit`` for the provider unit); 无条件共享 general data is granted
  by the rule itself when a request is submitted (``by_rule``);
* row filters name the resource's columns with the operators ``eq`` and ``in`` and plain
  values only: they are data the data API turns into ORM filters, never SQL.

Each function is one transaction and records an audit event; ``actor`` None is a system job
(the sample loader).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from shuzheng import clock
from shuzheng.accounts.authorization import ensure_perm, has_perm
from shuzheng.audit.services import record_change, snapshot
from shuzheng.catalog.models import DataResource
from shuzheng.exchange import request_rules as rules
from shuzheng.exchange import rows
from shuzheng.exchange.models import Grant


class GrantError(ValueError):
    """A grant that cannot be issued or revoked; ``errors`` maps a field to its message and
    ``code`` is the rule that refused it (``core-data``, ``not-shared`` …) when one did."""

    def __init__(self, errors: dict[str, str], code: str = ""):
        super().__init__("; ".join(f"{key}: {value}" for key, value in errors.items()))
        self.errors = errors
        self.code = code


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def resource_columns(resource: DataResource) -> list[str]:
    """Every column of the resource's information items, in their order."""
    return [item.column for item in resource.fields.all() if item.column]


def shareable_columns(resource: DataResource) -> list[str]:
    """The columns a grant of ``resource`` may name (``request_rules.shareable_columns``)."""
    items = [rules.Item(f.column, f.grade, f.share_type) for f in resource.fields.all()]
    return rules.shareable_columns(items, resource.share_type)


def refusal_of(resource: DataResource) -> rules.Outcome | None:
    """The rule that forbids any grant of ``resource``, or None."""
    found = rules.outcome(
        share_type=resource.share_type,
        grade=resource.grade,
        published=resource.state == "published",
    )
    refusals = {
        rules.Outcome.REFUSE_CORE,
        rules.Outcome.REFUSE_NOT_SHARED,
        rules.Outcome.REFUSE_UNPUBLISHED,
    }
    return found if found in refusals else None


def refusal_message(outcome: rules.Outcome, resource: DataResource) -> str:
    if outcome == rules.Outcome.REFUSE_CORE:
        return _("Core data is never shared, whatever its share type.")
    if outcome == rules.Outcome.REFUSE_UNPUBLISHED:
        return _("This resource is not published in the catalog.")
    condition = resource.share_condition.strip()
    if condition:
        return _("The catalog does not share this resource: %(reason)s") % {"reason": condition}
    return _("The catalog does not share this resource.")


def filter_columns(resource: DataResource | None) -> list[rows.Column]:
    """The resource's information items as typed columns (``rows.CATALOG_TYPES``): what a
    request's or a grant's row filters may name, typed as the published table will be."""
    if resource is None:
        return []
    return [
        rows.Column(item.column, rows.CATALOG_TYPES.get(item.data_type, rows.TEXT))
        for item in resource.fields.all()
        if item.column
    ]


def check_row_filters(row_filters, resource: DataResource | None) -> tuple[list[dict], str | None]:
    """The row filters in their canonical form, or a message saying what is wrong.

    The rules are the data API's own (``rows.parse_grant_filters``), so that a filter stored
    here is one the API applies: each ``{"column", "op", "value"}``, the column one of the
    resource's, ``eq`` with one plain value or ``in`` with 1 to ``rows.MAX_IN_VALUES``,
    every value typed by its column. Anything else — another operator, a nested value, a
    text meant as SQL in a column's place — is refused here."""
    if row_filters in (None, ""):
        return [], None
    if not isinstance(row_filters, list):
        return [], _("Row filters must be a list.")
    columns = filter_columns(resource)
    cleaned = []
    for number, entry in enumerate(row_filters, start=1):
        try:
            [found] = rows.parse_grant_filters([entry], columns)
        except rows.FilterError as error:
            return [], _row_filter_message(number, entry, error.rule)
        cleaned.append(found.as_dict())
    return cleaned, None


def _row_filter_message(number: int, entry, rule: str) -> str:
    if rule == "shape":
        return _("Row filter %(n)d must name a column, an operator and a value.") % {"n": number}
    if rule == "column":
        return _("Row filter %(n)d names a column the resource does not have.") % {"n": number}
    if rule == "operator":
        return _("Row filter %(n)d: the operator must be eq or in.") % {"n": number}
    if rule == "type":
        return _("Row filter %(n)d: a value does not fit the column's type.") % {"n": number}
    if entry.get("op", "eq") == "eq":
        return _("Row filter %(n)d: eq needs one plain value.") % {"n": number}
    return _("Row filter %(n)d: in needs a list of 1 to %(max)d plain values.") % {
        "n": number,
        "max": rows.MAX_IN_VALUES,
    }


def validate_grant(
    resource: DataResource, columns, row_filters, expires_at: dt.datetime
) -> tuple[list[str], list[dict]]:
    """The grant's columns and row filters as they will be stored; GrantError when the
    grading, the share types or the input forbid it."""
    refusal = refusal_of(resource)
    if refusal is not None:
        raise GrantError({"resource": refusal_message(refusal, resource)}, refusal.value)
    allowed = shareable_columns(resource)
    chosen = [column for column in dict.fromkeys(columns or []) if column]
    errors = {}
    if not chosen:
        errors["columns"] = _("Name at least one field.")
    else:
        refused = [column for column in chosen if column not in allowed]
        if refused:
            errors["columns"] = _(
                "These fields cannot be shared (not shared, core data or unknown): %(columns)s"
            ) % {"columns": "、".join(refused)}
    filters, problem = check_row_filters(row_filters, resource)
    if problem:
        errors["row_filters"] = problem
    if expires_at is None or expires_at <= clock.now():
        errors["expires_at"] = _("The expiry must be in the future.")
    if errors:
        code = "core-data" if any(_is_core(resource, c) for c in chosen) else ""
        raise GrantError(errors, code)
    return chosen, filters


def _is_core(resource: DataResource, column: str) -> bool:
    return any(f.column == column and f.grade == "core" for f in resource.fields.all())


def _grant_state(grant: Grant) -> dict:
    return snapshot(grant)


@transaction.atomic
def issue_grant(
    *,
    actor,
    consumer,
    resource: DataResource,
    columns,
    row_filters=None,
    purpose: str,
    legal_basis: str = "",
    expires_at: dt.datetime,
    by_rule: bool = False,
    is_sample: bool = False,
) -> Grant:
    """Grant ``consumer`` the reading of ``resource``'s ``columns`` under ``row_filters``
    until ``expires_at`` (issue 16, point 2). ``by_rule``: the 无条件共享 rule grants it on
    submission (国发〔2016〕51号 第十二条), which holds only for unconditionally shared
    general data; otherwise the provider's head decides (第十四条)."""
    resource = DataResource.objects.select_related("provider").get(pk=resource.pk)
    if by_rule:
        found = rules.outcome(
            share_type=resource.share_type,
            grade=resource.grade,
            published=resource.state == "published",
        )
        if found not in (rules.Outcome.GRANT_AT_ONCE,) and refusal_of(resource) is None:
            raise GrantError(
                {"resource": _("Only the provider can grant this resource.")}, "provider"
            )
    elif actor is not None:
        ensure_perm(actor, "approve_for_unit", resource.provider)
    if not (purpose or "").strip():
        raise GrantError({"purpose": _("State the purpose the data is used for.")})
    chosen, filters = validate_grant(resource, columns, row_filters, expires_at)
    grant = Grant.objects.create(
        consumer=consumer,
        resource=resource,
        columns=chosen,
        row_filters=filters,
        purpose=purpose.strip(),
        legal_basis=(legal_basis or "").strip(),
        expires_at=expires_at,
        granted_at=clock.now(),
        granted_by=_user(actor),
        is_sample=is_sample,
    )
    record_change(
        actor=actor,
        action="exchange.issue_grant",
        obj=grant,
        after={**_grant_state(grant), "by_rule": by_rule},
    )
    return grant


def may_revoke(user, grant: Grant) -> bool:
    """The provider's head revokes what its unit granted; the consumer's head may give a
    grant up; administrators may revoke any."""
    return has_perm(user, "approve_for_unit", grant.resource.provider_id) or has_perm(
        user, "approve_for_unit", grant.consumer_id
    )


@transaction.atomic
def revoke_grant(grant: Grant, *, actor, reason: str) -> Grant:
    """End a grant now: the data API refuses the next request under it (issue 16, point 2:
    revocation takes effect on the next request)."""
    grant = (
        Grant.objects.select_for_update(of=("self",)).select_related("resource").get(pk=grant.pk)
    )
    if actor is not None and not may_revoke(actor, grant):
        ensure_perm(actor, "approve_for_unit", grant.resource.provider_id)
    if grant.revoked_at is not None:
        raise GrantError({"grant": _("This grant was revoked already.")})
    reason = (reason or "").strip()
    if not reason:
        raise GrantError({"reason": _("Give the reason for revoking the grant.")})
    before = _grant_state(grant)
    grant.revoked_at = clock.now()
    grant.revoked_by = _user(actor)
    grant.revoke_reason = reason
    grant.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    record_change(
        actor=actor,
        action="exchange.revoke_grant",
        obj=grant,
        before=before,
        after=_grant_state(grant),
    )
    return grant


def is_live(grant: Grant, now: dt.datetime | None = None) -> bool:
    """Not revoked and not expired: the grant the data API honours."""
    now = now or clock.now()
    return grant.revoked_at is None and grant.expires_at > now
