"""Recording changes in the audit trail, chaining and sealing it.

Every service that writes calls :func:`record_change` inside its own transaction, so an
event exists exactly when the change it describes was committed. The write itself only
inserts the event: :func:`chain_pending_events` appends the events recorded since its last
run to the hash chain (``audit.chain``) in batches, under the lock of the chain head's row —
the worker runs it every few seconds, and sealing and verifying run it first. Chaining on
every write cost a write 1.5 to 3.4 times its time (bench/audit_chain_bench.py); chaining
later costs the write nothing and weakens nothing: an attacker who can write the database
can as well recompute every hash after the event they change, so what stops them is the
seal (:func:`seal_chain_head`, hourly), whose window is far longer than the chainer's.
This is Certificate Transparency's "maximum merge delay" (RFC 6962, section 3).
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Callable, Iterator
from typing import Protocol

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from shuzheng import crypto
from shuzheng.audit import chain
from shuzheng.audit.models import SYSTEM_ACTOR, AuditEvent, ChainHead, ChainSeal

#: The fields an event's hash covers, in the order ``verify`` reads them. ``actor`` (the
#: link to the account) is left out: it is set to NULL when the account is deleted, and
#: ``actor_name`` keeps who it was.
CHAINED_FIELDS = (
    "sequence",
    "at",
    "actor_name",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "remote_addr",
)
SEAL_KEY_PURPOSE = "shuzheng.audit.chain-seal"
VERIFY_BATCH = 5000

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
    event = change_event(
        actor=actor,
        action=action,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        before=before,
        after=after,
        remote_addr=remote_addr,
    )
    event.save(force_insert=True)
    return event


def record_changes(events: list[AuditEvent], *, batch_size: int = 500) -> None:
    """Write many events built by :func:`change_event` at once (a bulk import's, in the
    transaction of its writes): one insert per ``batch_size`` events, chained later as any."""
    AuditEvent.objects.bulk_create(events, batch_size=batch_size)


def change_event(
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
    """The event :func:`record_change` writes, not yet saved."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
        object_repr = object_repr or str(obj)
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    # Waiting for chain_pending_events, which hashes the row as the database gives it back.
    return AuditEvent(
        at=timezone.now(),
        actor=actor if authenticated else None,
        actor_name=actor.get_username() if authenticated else SYSTEM_ACTOR,
        action=action,
        object_type=object_type or "",
        object_id="" if object_id is None else str(object_id),
        object_repr=(object_repr or "")[:200],
        before=before,
        after=after,
        remote_addr=remote_addr,
    )


def chain_pending_events(batch: int = VERIFY_BATCH) -> int:
    """Append every event not yet chained to the chain, oldest id first; the count.

    Each batch is one transaction holding the head's lock, so two chainers (two workers, or
    a worker and ``audit verify``) chain one after the other and never twice. An event whose
    transaction commits after a later id was chained gets the next sequence then: the chain's
    order is the order events reached it, as in any append-only log."""
    chained = 0
    while True:
        with transaction.atomic():
            head = _locked_head()
            rows = list(
                AuditEvent.objects.filter(sequence__isnull=True)
                .order_by("id")
                .values_list("id", *CHAINED_FIELDS[1:])[:batch]
            )
            if not rows:
                return chained
            sequence, prev = head.sequence, head.hash
            events = []
            for pk, *values in rows:
                sequence += 1
                fields = _stored_fields((sequence, *values))
                digest = chain.entry_hash(prev, fields)
                events.append(AuditEvent(pk=pk, sequence=sequence, prev_hash=prev, hash=digest))
                prev = digest
            AuditEvent.objects.bulk_update(
                events, ["sequence", "prev_hash", "hash"], batch_size=500
            )
            ChainHead.objects.filter(pk=head.pk).update(sequence=sequence, hash=prev)
            chained += len(events)


def hashed_values(values: dict) -> dict:
    """The :data:`CHAINED_FIELDS` values as hashed: the time in UTC with microseconds."""
    return {**values, "at": _instant(values["at"])}


def _stored_fields(values) -> dict:
    """The hashed fields of an event from its :data:`CHAINED_FIELDS` values as the database
    gives them back — one reading for the chainer and for verify, so both hash the same."""
    return hashed_values(dict(zip(CHAINED_FIELDS, values, strict=True)))


def _locked_head() -> ChainHead:
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        # A database flushed (tests) or restored without the head: start from the last event.
        last = (
            AuditEvent.objects.filter(sequence__isnull=False)
            .order_by("-sequence")
            .values("sequence", "hash")
            .first()
        )
        ChainHead.objects.get_or_create(
            pk=1, defaults=last or {"sequence": 0, "hash": chain.GENESIS}
        )
        # Writers racing to create the head must still take its lock one after the other:
        # the row another writer created is read here only once that writer has committed.
        head = ChainHead.objects.select_for_update().get(pk=1)
    return head


class ChainSealer(Protocol):
    """Who signs the chain head: ``sign`` gives the signature's text for a seal message,
    ``verify`` whether a stored one holds. The audit trail sits below the apps, so the trust
    services (SM2, the platform's seal) register theirs (``register_chain_sealer``); until
    one is registered — and for seals made before — HMAC-SM3 under a key derived from
    ``SECRET_KEY`` signs."""

    algorithm: str

    def prepare(self) -> None:
        """Make what signing needs (a key, its certificate) before the head is read, so that
        the events that records fall under this seal instead of moving the head after it."""

    def sign(self, message: bytes, sequence: int) -> str: ...

    def verify(self, message: bytes, signature: str) -> bool: ...


class SecretKeySealer:
    algorithm = "HMAC-SM3"

    def prepare(self) -> None:
        """The key is derived from the configuration: nothing to make."""

    def sign(self, message: bytes, sequence: int) -> str:
        return crypto.hmac_sm3(_seal_key(), message).hex()

    def verify(self, message: bytes, signature: str) -> bool:
        return crypto.digests_match(self.sign(message, 0), signature)


#: The sealers by algorithm; the last registered signs new seals.
_sealers: dict[str, ChainSealer] = {SecretKeySealer.algorithm: SecretKeySealer()}


def register_chain_sealer(sealer: ChainSealer) -> None:
    """Make ``sealer`` sign new seals from now on; seals of every registered algorithm
    (HMAC-SM3 always) still verify. Called from an ``AppConfig.ready()``."""
    _sealers.pop(sealer.algorithm, None)
    _sealers[sealer.algorithm] = sealer


def chain_sealer() -> ChainSealer:
    """The sealer that signs new seals."""
    return next(reversed(_sealers.values()))


def seal_chain_head() -> ChainSeal | None:
    """Sign the chain head as it is now; None when it is sealed already (nothing happened
    since the last seal) or the chain is empty. The seal is part of the trail itself, like
    an event: recording it as an event would move the head it has just sealed. Events still
    waiting are chained first, so that the seal covers every event recorded before it."""
    return seal_head(
        sealer=chain_sealer(),
        chain_pending=chain_pending_events,
        lock_head=_locked_head,
        seals=ChainSeal,
    )


def seal_head(
    *,
    sealer: ChainSealer,
    chain_pending: Callable[[], object],
    lock_head: Callable[[], models.Model],
    seals: type[models.Model],
) -> models.Model | None:
    """The one sealing step of an SM3 chain (the audit trail's, and any other kept by the
    rules of ``audit.chain``, such as the exchange's message log): chain what waits, lock
    the head, and store a seal of ``seals`` (sequence, head hash, time, algorithm, signature)
    unless the head is empty or sealed already."""
    sealer.prepare()
    chain_pending()
    with transaction.atomic():
        head = lock_head()
        if head.sequence == 0 or seals.objects.filter(sequence=head.sequence).exists():
            return None
        sealed_at = timezone.now()
        message = chain.seal_message(head.sequence, head.hash, _instant(sealed_at))
        return seals.objects.create(
            sequence=head.sequence,
            head_hash=head.hash,
            sealed_at=sealed_at,
            algorithm=sealer.algorithm,
            signature=sealer.sign(message, head.sequence),
        )


def seal_is_valid(seal: ChainSeal) -> bool:
    """Whether the seal's signature is the platform's over its sequence, head and time."""
    sealer = _sealers.get(seal.algorithm)
    return sealer is not None and seal_signed_by(seal, sealer)


def seal_signed_by(seal: models.Model, sealer: ChainSealer) -> bool:
    """Whether ``sealer`` made ``seal`` (of any chain): its algorithm, and a signature that
    verifies over the seal's sequence, head and time."""
    if seal.algorithm != sealer.algorithm:
        return False
    message = chain.seal_message(seal.sequence, seal.head_hash, _instant(seal.sealed_at))
    return sealer.verify(message, seal.signature)


def verify_chain(progress: Callable[[int], None] | None = None) -> chain.Walk:
    """Walk the whole chain from the database in batches and check every event, the head
    and every seal (``shuzheng audit verify``), after chaining the events still waiting."""
    chain_pending_events()
    return walk_chain(
        _stored_entries(),
        seals=ChainSeal,
        seal_is_valid=seal_is_valid,
        head=ChainHead,
        progress=progress,
    )


def walk_chain(
    entries: Iterator[chain.Entry],
    *,
    seals: type[models.Model],
    seal_is_valid: Callable[[models.Model], bool],
    head: type[models.Model],
    progress: Callable[[int], None] | None = None,
) -> chain.Walk:
    """The one verifying walk of an SM3 chain kept by ``audit.chain``'s rules (the trail's,
    the exchange's message log): its stored ``entries`` in sequence order, every seal of
    ``seals`` checked by ``seal_is_valid``, and the single row of ``head``."""
    found = [
        chain.Seal(
            sequence=seal.sequence,
            head_hash=seal.head_hash,
            sealed_at=_instant(seal.sealed_at),
            valid_signature=seal_is_valid(seal),
            ident=str(seal.pk),
        )
        for seal in seals.objects.order_by("sequence")
    ]
    last = head.objects.filter(pk=1).values_list("sequence", "hash").first()
    return chain.first_break(entries, seals=found, head=last, progress=progress)


def _stored_entries() -> Iterator[chain.Entry]:
    columns = ("id", "prev_hash", "hash", *CHAINED_FIELDS)
    rows = AuditEvent.objects.filter(sequence__isnull=False).order_by("sequence")
    rows = rows.values_list(*columns)
    for row in rows.iterator(chunk_size=VERIFY_BATCH):
        pk, prev_hash, hash_, *values = row
        fields = _stored_fields(values)
        yield chain.Entry(fields["sequence"], prev_hash, hash_, fields, str(pk))


def _instant(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def _seal_key() -> bytes:
    return crypto.derive_key(settings.SECRET_KEY, SEAL_KEY_PURPOSE)


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
