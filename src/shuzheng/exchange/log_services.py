"""Writing the exchange's message log, chaining it, sealing it and verifying it (issue 16,
point 3: "every call is written to a message log — request, response digest, grant,
caller, time — chained with SM3 and sealed periodically with the platform's SM2 seal";
"logging is asynchronous enough that it does not halve throughput").

How a call reaches the chain, without a lock per call:

- :func:`record_call` is the call recorder registered on ``exchange.hooks``. In a process
  that buffers (the production server: ``shuzheng.wsgi`` calls :func:`buffer_calls`) it only
  appends the call to an in-process buffer; a background thread flushes the buffer every
  ``EXCHANGE_LOG_FLUSH_MS`` milliseconds (or as soon as :data:`FLUSH_BATCH` calls wait) as
  one transaction that takes the chain head's lock once, chains the batch and inserts it.
  Anywhere else (the development server, the CLI, tests) each call is inserted at once,
  unchained, with no lock; :func:`chain_pending_entries` chains such entries in batches —
  the worker every few seconds, and sealing and verifying first.
- Durability: an unbuffered entry is committed before the answer is complete. A buffered
  one is committed within the flush interval; the buffer is flushed when the process exits
  normally (gunicorn's graceful stop, ``atexit``), so only a killed process (``kill -9``, a
  power cut) loses at most the calls of its last interval — set ``EXCHANGE_LOG_FLUSH_MS=0``
  where every call must be on disk before its answer ends. A flush that fails (the
  database away for a moment) keeps its calls and retries; past :data:`MAX_BUFFERED`
  waiting calls the caller flushes itself, so a slow database slows the answers instead of
  dropping evidence.

The chain's rules are ``audit.chain``'s (pure; SM3, GB/T 32905-2016); the seal is the
platform's SM2 seal (``trust``, GB/T 32918-2016), as for the audit trail
(``trust.chain_seals``). Neither the log nor its seals are audit events: the log is itself
the record, and an event per call would double it.
"""

from __future__ import annotations

import atexit
import datetime
import logging
import os
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence

from django.conf import settings
from django.db import close_old_connections, connection, connections, transaction
from django.utils.translation import gettext

from shuzheng.audit import chain
from shuzheng.audit import services as audit_services
from shuzheng.exchange.hooks import AnsweredCall
from shuzheng.exchange.log_models import MessageLogEntry, MessageLogHead, MessageLogSeal
from shuzheng.trust.chain_seals import PlatformSealSealer

logger = logging.getLogger(__name__)

#: The fields an entry's hash covers, in the order verify reads them.
CHAINED_FIELDS = (
    "sequence",
    "at",
    "consumer_id",
    "token_id",
    "grant_id",
    "resource_code",
    "method",
    "path",
    "query",
    "status",
    "response_digest",
    "rows",
    "is_sample",
)
BATCH = 5000
FLUSH_BATCH = 1000
MAX_BUFFERED = 20_000
SEAL_SUBJECT_KIND = "exchange.log"
#: The platform's SM2 seal, its signatures recorded as the message log's (not the trail's).
SEALER = PlatformSealSealer(SEAL_SUBJECT_KIND)

_LIMITS = {
    name: MessageLogEntry._meta.get_field(name).max_length
    for name in ("resource_code", "method", "path", "response_digest")
}


# ---------------------------------------------------------------------------------------
# Recording


def entry_for(call: AnsweredCall, *, is_sample: bool = False) -> MessageLogEntry:
    """The unsaved, unchained entry of ``call``: text cut to its column and made storable
    (PostgreSQL refuses NUL characters), so that what is hashed is what the database keeps."""
    values = {
        name: _storable(getattr(call, name), limit)
        for name, limit in (*_LIMITS.items(), ("query", None))
    }
    return MessageLogEntry(
        at=call.at,
        consumer_id=call.consumer_id,
        token_id=call.token_id,
        grant_id=call.grant_id,
        status=max(0, min(int(call.status), 32767)),
        rows=max(0, int(call.rows)),
        is_sample=is_sample,
        **values,
    )


def record_call(call: AnsweredCall) -> None:
    """The call recorder (``exchange.hooks.register_call_recorder``): keep ``call`` in the
    message log — buffered in a process that buffers, else inserted at once, unchained."""
    entry = entry_for(call)
    if _buffer.active:
        _buffer.append(entry)
    else:
        entry.save(force_insert=True)


def record_calls(calls: Sequence[AnsweredCall], *, is_sample: bool = False) -> None:
    """Insert many calls at once, unchained (the sample loader's, a replay's)."""
    MessageLogEntry.objects.bulk_create(
        [entry_for(call, is_sample=is_sample) for call in calls], batch_size=500
    )


def buffer_calls(flush_ms: int | None = None) -> None:
    """Buffer this process's calls and flush them every ``flush_ms`` milliseconds (the
    setting ``EXCHANGE_LOG_FLUSH_MS`` by default; 0 writes each call at once). Called by
    the production server's application factory before it forks its workers: each worker
    starts its own flusher thread on its first call."""
    interval = settings.EXCHANGE_LOG_FLUSH_MS if flush_ms is None else flush_ms
    _buffer.configure(max(0, int(interval)) / 1000)


def flush_buffered_calls() -> int:
    """Write what this process's buffer holds now; the count written."""
    return _buffer.flush()


def stop_buffering() -> None:
    """Write what waits and write every later call at once (tests, a process shutting down)."""
    _buffer.stop()


class _CallBuffer:
    """The buffered calls of one process and the thread that flushes them."""

    def __init__(self) -> None:
        self.interval = 0.0
        self.entries: deque[MessageLogEntry] = deque()
        self.lock = threading.Lock()
        self.flush_lock = threading.Lock()
        self.wake = threading.Event()
        self.pid: int | None = None
        self.thread: threading.Thread | None = None

    @property
    def active(self) -> bool:
        return self.interval > 0

    def configure(self, interval: float) -> None:
        self.interval = interval

    def append(self, entry: MessageLogEntry) -> None:
        self._ensure_thread()
        with self.lock:
            self.entries.append(entry)
            waiting = len(self.entries)
        if waiting >= MAX_BUFFERED:
            # Back-pressure: the flusher does not keep up (or the database is away).
            try:
                self.flush()
            except Exception:
                logger.exception("the message log could not be written; calls kept in memory")
        elif waiting >= FLUSH_BATCH:
            self.wake.set()

    def _ensure_thread(self) -> None:
        pid = os.getpid()
        if self.pid == pid and self.thread is not None and self.thread.is_alive():
            return
        with self.lock:
            if self.pid == pid and self.thread is not None and self.thread.is_alive():
                return
            if self.pid != pid:
                # A forked worker: the parent's buffered calls are the parent's to write.
                self.entries.clear()
                self.flush_lock = threading.Lock()
                atexit.register(self._flush_at_exit)
            self.pid = pid
            self.thread = threading.Thread(
                target=self._run, name="shuzheng-message-log", daemon=True
            )
            self.thread.start()

    def stop(self) -> None:
        """Stop buffering: the thread writes what waits and ends; calls are written at once."""
        self.interval = 0.0
        self.wake.set()
        if self.thread is not None and self.thread is not threading.current_thread():
            self.thread.join(timeout=10)
        self.thread = None
        self.flush()

    def _run(self) -> None:
        while self.active:
            self.wake.wait(self.interval)
            self.wake.clear()
            try:
                self.flush()
            except Exception:
                logger.exception("the message log could not be written; retrying")
            finally:
                close_old_connections()
        connections.close_all()

    def flush(self) -> int:
        with self.flush_lock:
            written = 0
            while True:
                with self.lock:
                    batch = [self.entries[i] for i in range(min(FLUSH_BATCH, len(self.entries)))]
                if not batch:
                    return written
                _append_chained(batch)
                with self.lock:
                    for _ in batch:
                        self.entries.popleft()
                written += len(batch)

    def _flush_at_exit(self) -> None:
        if os.getpid() != self.pid:
            return
        try:
            self.flush()
        except Exception:
            logger.exception("the message log's last calls could not be written")


_buffer = _CallBuffer()


def _append_chained(entries: list[MessageLogEntry]) -> None:
    """One transaction: the head locked once, entries written before unchained chained
    first, then ``entries`` chained in order and inserted in bulk."""
    with transaction.atomic():
        head = _chain_pending_locked()
        sequence, prev = head.sequence, head.hash
        rows = []
        for entry in entries:
            sequence += 1
            values = {name: getattr(entry, name) for name in CHAINED_FIELDS[1:]}
            fields = hashed_fields({"sequence": sequence, **values})
            digest = chain.entry_hash(prev, fields)
            rows.append(MessageLogEntry(**values, sequence=sequence, prev_hash=prev, hash=digest))
            prev = digest
        MessageLogEntry.objects.bulk_create(rows, batch_size=500)
        MessageLogHead.objects.filter(pk=head.pk).update(sequence=sequence, hash=prev)


# ---------------------------------------------------------------------------------------
# Chaining


def chain_pending_entries() -> int:
    """Chain every entry written unchained, oldest id first; the count. Each batch is one
    transaction holding the head's lock, so two chainers never chain the same entry twice.
    An entry whose transaction commits after a later id was chained gets the next sequence
    then: the chain's order is the order entries reached it, as in any append-only log."""
    chained = 0
    while True:
        with transaction.atomic():
            head = _locked_head()
            count = _chain_batch(head)
        if not count:
            return chained
        chained += count


def _chain_pending_locked() -> MessageLogHead:
    head = _locked_head()
    while _chain_batch(head):
        pass
    return head


def _chain_batch(head: MessageLogHead) -> int:
    rows = list(
        MessageLogEntry.objects.filter(sequence__isnull=True)
        .order_by("id")
        .values_list("id", *CHAINED_FIELDS[1:])[:BATCH]
    )
    if not rows:
        return 0
    sequence, prev = head.sequence, head.hash
    updates = []
    for pk, *values in rows:
        sequence += 1
        fields = hashed_fields(dict(zip(CHAINED_FIELDS, (sequence, *values), strict=True)))
        digest = chain.entry_hash(prev, fields)
        updates.append((sequence, prev, digest, pk))
        prev = digest
    # One parameterised statement run for every row (psycopg pipelines it, sqlite3 loops in
    # C): bulk_update's CASE over a batch cost 1.7 to 3 ms an entry (bench/exchange_log_bench.py).
    table = connection.ops.quote_name(MessageLogEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET sequence = %s, prev_hash = %s, hash = %s WHERE id = %s", updates
        )
    MessageLogHead.objects.filter(pk=head.pk).update(sequence=sequence, hash=prev)
    head.sequence, head.hash = sequence, prev
    return len(updates)


def hashed_fields(values: dict) -> dict:
    """The :data:`CHAINED_FIELDS` values as hashed: the time in UTC with microseconds."""
    return {**values, "at": _instant(values["at"])}


def _locked_head() -> MessageLogHead:
    head = MessageLogHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        # A database flushed (tests) or restored without the head: start from the last entry.
        last = (
            MessageLogEntry.objects.filter(sequence__isnull=False)
            .order_by("-sequence")
            .values("sequence", "hash")
            .first()
        )
        MessageLogHead.objects.get_or_create(
            pk=1, defaults=last or {"sequence": 0, "hash": chain.GENESIS}
        )
        head = MessageLogHead.objects.select_for_update().get(pk=1)
    return head


# ---------------------------------------------------------------------------------------
# Sealing


def seal_log_head() -> MessageLogSeal | None:
    """Sign the chain head as it is now with the platform's SM2 seal; None when it is sealed
    already (no call since the last seal) or the log is empty. Entries still unchained are
    chained first, so that the seal covers every call recorded before it. The step is the
    audit trail's (``audit.services.seal_head``), with the log's own head and seals."""
    return audit_services.seal_head(
        sealer=SEALER,
        chain_pending=chain_pending_entries,
        lock_head=_locked_head,
        seals=MessageLogSeal,
    )


def seal_is_valid(seal: MessageLogSeal) -> bool:
    """Whether the seal's signature is the platform's over its sequence, head and time."""
    return audit_services.seal_signed_by(seal, SEALER)


# ---------------------------------------------------------------------------------------
# Verifying


def verify_log(progress: Callable[[int], None] | None = None) -> chain.Walk:
    """Walk the whole log from the database in batches and check every entry, the head and
    every seal (``shuzheng exchange verify-log``), after chaining the entries still waiting:
    an altered entry no longer gives its hash, an inserted one breaks the link after it, a
    removed one leaves a gap in the sequence (or a chain shorter than its head), a forged
    seal does not verify and a rewritten chain no longer matches its seals."""
    chain_pending_entries()
    return audit_services.walk_chain(
        _stored_entries(),
        seals=MessageLogSeal,
        seal_is_valid=seal_is_valid,
        head=MessageLogHead,
        progress=progress,
    )


def _stored_entries() -> Iterator[chain.Entry]:
    columns = ("id", "prev_hash", "hash", *CHAINED_FIELDS)
    rows = MessageLogEntry.objects.filter(sequence__isnull=False).order_by("sequence")
    for row in rows.values_list(*columns).iterator(chunk_size=BATCH):
        pk, prev_hash, hash_, *values = row
        fields = hashed_fields(dict(zip(CHAINED_FIELDS, values, strict=True)))
        yield chain.Entry(fields["sequence"], prev_hash, hash_, fields, str(pk))


def _instant(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def _storable(value, limit: int | None) -> str:
    text = str(value or "").replace("\x00", "\ufffd")
    return text[:limit] if limit else text


def describe_break(walk: chain.Walk) -> str:
    """What a broken walk found, in the active language (the command's and the page's)."""
    broken = walk.broken
    if broken.kind == chain.FORGED_SEAL:
        where = gettext("the seal of entry #%(sequence)s (seal id %(id)s)")
    elif broken.ident:
        where = gettext("entry #%(sequence)s (id %(id)s)")
    else:
        where = gettext("entry #%(sequence)s")
    return gettext("%(kind)s: %(where)s: %(reason)s (entries checked before it: %(entries)s).") % {
        "kind": gettext(broken.kind),
        "where": where % {"sequence": broken.sequence, "id": broken.ident},
        "reason": broken.describe(gettext),
        "entries": walk.entries,
    }
