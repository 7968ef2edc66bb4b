"""Recording changes in the audit trail.

Every service that writes calls :func:`record_change` inside its own transaction, so an
event exists exactly when the change it describes was committed.
"""

from __future__ import annotations

import datetime
import decimal
import uuid

from django.db import models

from shuzheng.audit.models import AuditEvent

SECRET_FIELDS = frozenset({"password", "digest", "secret", "token"})


def snapshot(obj: models.Model, *, exclude: tuple[str, ...] = ()) -> dict:
    """A JSON-safe copy of a model instance's concrete fields, for before/after.

    Secrets (password hashes, token digests) are masked: the audit trail must not become a
    second place to steal them from.
    """
    data = {}
    for field in obj._meta.concrete_fields:
        if field.name in exclude:
            continue
        value = field.value_from_object(obj)
        data[field.attname] = "***" if field.name in SECRET_FIELDS else _json_safe(value)
    return data


def record_change(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    object_repr: str | None = None,
    before: dict | None = None,
    after: dict | None = None,
    remote_addr: str | None = None,
) -> AuditEvent:
    """Write one audit event. ``actor`` may be None for system jobs (CLI, loaders)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
        object_repr = object_repr or str(obj)
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_name=actor.get_username() if authenticated else "system",
        action=action,
        object_type=object_type or "",
        object_id="" if object_id is None else str(object_id),
        object_repr=(object_repr or "")[:200],
        before=before,
        after=after,
        remote_addr=remote_addr,
    )


def _json_safe(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_json_safe(item) for item in value]
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, bytes):
        return value.hex()
    return value
