"""Hash chains: each entry's hash covers the hash before it, so that the log's past cannot
change unseen (issue 10, point 5). Pure: no Django, no database — the audit trail uses it
(``audit.services``, ``shuzheng audit verify``) and the exchange's message log can.

An entry's hash is ``SM3(prev_hash || canonical(fields))`` in hex, the first entry's
``prev_hash`` is :data:`GENESIS`. :func:`first_break` walks entries in sequence order and
names the first one that does not hold:

- *altered*: its fields no longer give its hash (changed in the database);
- *inserted*: its ``prev_hash`` is not the hash of the entry before it (an entry was put
  in before it, or the one before was rewritten with a new hash), or it lies beyond the
  recorded chain head;
- *removed*: a sequence number is missing, the chain ends before the recorded head, or a
  seal's sequence is not there;
- a seal whose signature does not verify (*forged seal*), or whose head hash is not the hash
  of the entry it names (the chain was rewritten up to there: *altered*).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from shuzheng.crypto import sm3_digest
from shuzheng.text.translation import gettext_noop

#: The ``prev_hash`` of the first entry.
GENESIS = "0" * 64

ALTERED = gettext_noop("altered")
INSERTED = gettext_noop("inserted")
REMOVED = gettext_noop("removed")
FORGED_SEAL = gettext_noop("forged seal")


def canonical(fields: Mapping) -> bytes:
    """The fields as UTF-8 JSON with sorted keys and no spaces — the same bytes however the
    database gave the values back: a float with an integral value is written as the integer
    (PostgreSQL's jsonb returns ``1e20`` as ``100000000000000000000``)."""
    return json.dumps(
        _normal(fields), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")


def entry_hash(prev_hash: str, fields: Mapping) -> str:
    """The hash of an entry following ``prev_hash``, in 64 lowercase hex digits."""
    return sm3_digest(prev_hash.encode("ascii") + canonical(fields)).hex()


def seal_message(sequence: int, head_hash: str, sealed_at: str) -> bytes:
    """What a seal signs: the sealed head and the time of sealing, canonical."""
    return canonical({"head_hash": head_hash, "sealed_at": sealed_at, "sequence": sequence})


@dataclass(frozen=True)
class Entry:
    """One entry as stored: ``ident`` names it for people (e.g. the row's id)."""

    sequence: int
    prev_hash: str
    hash: str
    fields: Mapping
    ident: str = ""


@dataclass(frozen=True)
class Seal:
    sequence: int
    head_hash: str
    sealed_at: str
    valid_signature: bool
    ident: str = ""


@dataclass(frozen=True)
class Break:
    """The first place the chain does not hold: what, where, and why — ``reason`` is an
    English message (translated where it is shown) with ``params`` for its placeholders."""

    kind: str
    sequence: int
    ident: str
    reason: str
    params: Mapping = field(default_factory=dict)

    def describe(self, gettext: Callable[[str], str] = str) -> str:
        return gettext(self.reason) % dict(self.params)


@dataclass(frozen=True)
class Walk:
    """What a walk saw: the entries checked, the seals matched, and the first break."""

    entries: int
    seals: int
    broken: Break | None


def first_break(
    entries: Iterable[Entry],
    *,
    seals: Iterable[Seal] = (),
    head: tuple[int, str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> Walk:
    """Walk ``entries`` (in ascending sequence) and return the first break, if any.

    ``head`` is the recorded chain head (sequence, hash): entries beyond it were inserted,
    a chain ending before it lost its newest entries. ``progress`` is called with the count
    of entries checked every 100,000 entries."""
    pending = sorted(seals, key=lambda seal: seal.sequence)
    for seal in pending:
        if not seal.valid_signature:
            reason = gettext_noop("the seal's signature does not verify")
            return Walk(0, 0, Break(FORGED_SEAL, seal.sequence, seal.ident, reason))
    seals_at = {seal.sequence: seal for seal in pending}
    expected, prev, count, matched = 1, GENESIS, 0, 0
    for entry in entries:
        broken = _check(entry, expected, prev, head)
        if broken is not None:
            return Walk(count, matched, broken)
        seal = seals_at.get(entry.sequence)
        if seal is not None:
            if seal.head_hash != entry.hash:
                reason = gettext_noop("seal %(seal)s sealed another hash here: rewritten")
                broken = Break(ALTERED, entry.sequence, entry.ident, reason, {"seal": seal.ident})
                return Walk(count, matched, broken)
            matched += 1
        count += 1
        expected, prev = entry.sequence + 1, entry.hash
        if progress is not None and count % 100_000 == 0:
            progress(count)
    last = expected - 1
    if head is not None and head[0] > last:
        reason = gettext_noop("the chain ends at #%(last)s, its head is #%(head)s")
        params = {"last": last, "head": head[0]}
        return Walk(count, matched, Break(REMOVED, last + 1, "", reason, params))
    if head is not None and head[0] == last and last and head[1] != prev:
        reason = gettext_noop("the last entry's hash is not the recorded head")
        return Walk(count, matched, Break(INSERTED, last, "", reason))
    beyond = [seal for seal in pending if seal.sequence > last]
    if beyond:
        seal = beyond[0]
        reason = gettext_noop("seal %(seal)s names #%(sealed)s, the chain ends at #%(last)s")
        params = {"seal": seal.ident, "sealed": seal.sequence, "last": last}
        return Walk(count, matched, Break(REMOVED, seal.sequence, seal.ident, reason, params))
    return Walk(count, matched, None)


def _check(entry: Entry, expected: int, prev: str, head: tuple[int, str] | None) -> Break | None:
    if entry.sequence == expected + 1:
        reason = gettext_noop("#%(first)s is missing before it")
        return Break(REMOVED, entry.sequence, entry.ident, reason, {"first": expected})
    if entry.sequence > expected:
        reason = gettext_noop("#%(first)s to #%(last)s are missing before it")
        params = {"first": expected, "last": entry.sequence - 1}
        return Break(REMOVED, entry.sequence, entry.ident, reason, params)
    if entry.sequence < expected:
        return Break(INSERTED, entry.sequence, entry.ident, gettext_noop("sequence repeated"))
    if head is not None and entry.sequence > head[0]:
        reason = gettext_noop("it lies beyond the chain head #%(head)s")
        return Break(INSERTED, entry.sequence, entry.ident, reason, {"head": head[0]})
    if entry.prev_hash != prev:
        reason = gettext_noop(
            "it is not linked to the entry before it: an entry was inserted before it, or the"
            " one before it was rewritten"
        )
        return Break(INSERTED, entry.sequence, entry.ident, reason)
    if entry_hash(entry.prev_hash, entry.fields) != entry.hash:
        reason = gettext_noop("its fields do not give its hash")
        return Break(ALTERED, entry.sequence, entry.ident, reason)
    return None


def _normal(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Mapping):
        return {str(key): _normal(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_normal(item) for item in value]
    return value
