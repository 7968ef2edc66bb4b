"""The exchange's message log (issue 16, point 3; Done when: "a tampered, inserted or deleted
log entry is detected by verify-log"): every answered call reaches the log through the call
recorder, is chained with SM3 and sealed with the platform's SM2 seal; rows changed,
inserted or deleted directly in the database, and a forged or outrun seal, are found by
``shuzheng exchange verify-log`` (exit status 1), naming the entry."""

import datetime as dt
import json
import threading
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from shuzheng.audit import chain
from shuzheng.exchange import hooks, log_services
from shuzheng.exchange.hooks import AnsweredCall
from shuzheng.exchange.log_models import MessageLogEntry, MessageLogHead, MessageLogSeal
from shuzheng.exchange.log_tasks import chain_message_log, seal_message_log
from shuzheng.trust.models import Signature

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 12, 4, 2, 0, tzinfo=dt.UTC)


def answered(n: int, **changes) -> AnsweredCall:
    values = {
        "at": START + dt.timedelta(seconds=n, microseconds=123),
        "consumer_id": 7,
        "token_id": 11,
        "grant_id": 13,
        "resource_code": "NX-640000-0001",
        "method": "GET",
        "path": "/api/v1/exchange/resources/NX-640000-0001/rows",
        "query": f"filter=region:640100&page={n}",
        "status": 200,
        "response_digest": f"{n:064x}",
        "rows": 25,
    }
    return AnsweredCall(**{**values, **changes})


def record(count: int) -> list[MessageLogEntry]:
    for n in range(1, count + 1):
        hooks.call_answered(answered(n))
    log_services.chain_pending_entries()
    return list(MessageLogEntry.objects.order_by("sequence"))


def broken():
    return log_services.verify_log().broken


def verify_log_fails() -> str:
    with pytest.raises(CommandError) as raised:
        call_command("exchange", "verify-log")
    assert raised.value.returncode == 1
    return str(raised.value)


def test_an_answered_call_is_kept_unchained_at_once_then_chained_in_order():
    hooks.call_answered(answered(1))
    entry = MessageLogEntry.objects.get()
    assert entry.sequence is None and entry.hash == ""
    assert (entry.consumer_id, entry.token_id, entry.grant_id) == (7, 11, 13)
    assert entry.query == "filter=region:640100&page=1" and entry.rows == 25
    hooks.call_answered(answered(2))
    assert log_services.chain_pending_entries() == 2
    first, second = MessageLogEntry.objects.order_by("sequence")
    assert (first.sequence, second.sequence) == (1, 2)
    assert first.prev_hash == chain.GENESIS and second.prev_hash == first.hash
    assert MessageLogHead.objects.get().sequence == 2
    walk = log_services.verify_log()
    assert walk.broken is None and walk.entries == 2


def test_verify_log_reports_a_sound_log_and_exits_zero(capsys):
    record(3)
    call_command("exchange", "verify-log")
    assert "entries checked: 3" in capsys.readouterr().out


def test_text_is_stored_as_hashed_even_with_nul_characters_and_overlong_paths():
    hooks.call_answered(answered(1, path="/x" * 700, query="a=\x00b"))
    log_services.chain_pending_entries()
    entry = MessageLogEntry.objects.get()
    assert len(entry.path) == 1000 and "\x00" not in entry.query
    assert broken() is None


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("status", 403),
        ("response_digest", "f" * 64),
        ("consumer_id", 8),
        ("grant_id", None),
        ("query", "filter=region:640200"),
        ("at", START + dt.timedelta(days=1)),
    ],
)
def test_an_entry_changed_in_the_database_is_found_altered(column, value):
    entries = record(5)
    MessageLogEntry.objects.filter(pk=entries[2].pk).update(**{column: value})
    found = broken()
    assert (found.kind, found.sequence, found.ident) == (chain.ALTERED, 3, str(entries[2].pk))
    message = verify_log_fails()
    assert "#3" in message and str(entries[2].pk) in message


def test_an_entry_rewritten_with_its_own_hash_recomputed_breaks_the_link_after_it():
    entries = record(4)
    target = entries[1]
    values = {name: getattr(target, name) for name in log_services.CHAINED_FIELDS}
    values["status"] = 500
    forged = chain.entry_hash(target.prev_hash, log_services.hashed_fields(values))
    MessageLogEntry.objects.filter(pk=target.pk).update(status=500, hash=forged)
    found = broken()
    assert (found.kind, found.sequence) == (chain.INSERTED, 3)


def test_an_entry_inserted_in_the_middle_is_found():
    entries = record(4)
    # Make room after #2 and slip an entry in, linked to #2 as a forger would.
    for entry in reversed(entries[2:]):
        MessageLogEntry.objects.filter(pk=entry.pk).update(sequence=entry.sequence + 1)
    values = {
        name: getattr(entries[1], name) for name in log_services.CHAINED_FIELDS if name != "at"
    }
    values.update(sequence=3, at=START, status=200)
    digest = chain.entry_hash(entries[1].hash, log_services.hashed_fields(values))
    MessageLogEntry.objects.create(prev_hash=entries[1].hash, hash=digest, **values)
    found = broken()
    assert found.kind == chain.INSERTED and found.sequence == 4
    verify_log_fails()


def test_an_entry_written_beyond_the_head_is_found_inserted():
    entries = record(2)
    last = entries[-1]
    values = {name: getattr(last, name) for name in log_services.CHAINED_FIELDS}
    values["sequence"] = 3
    digest = chain.entry_hash(last.hash, log_services.hashed_fields(values))
    MessageLogEntry.objects.create(prev_hash=last.hash, hash=digest, **values)
    found = broken()
    assert (found.kind, found.sequence) == (chain.INSERTED, 3)


def test_an_entry_deleted_in_the_middle_is_found_removed():
    entries = record(5)
    MessageLogEntry.objects.filter(pk=entries[1].pk).delete()
    found = broken()
    assert (found.kind, found.sequence) == (chain.REMOVED, 3)
    assert "#2" in verify_log_fails()


def test_the_newest_entries_deleted_are_found_removed_by_the_head():
    entries = record(5)
    MessageLogEntry.objects.filter(pk__in=[entries[3].pk, entries[4].pk]).delete()
    found = broken()
    assert (found.kind, found.sequence) == (chain.REMOVED, 4)
    verify_log_fails()


def test_the_head_is_sealed_with_the_platform_s_sm2_seal_and_verifies():
    record(3)
    seal = log_services.seal_log_head()
    assert (seal.sequence, seal.algorithm) == (3, "SM2")
    assert json.loads(seal.signature)["certificate"]
    signed = Signature.objects.get(subject_kind=log_services.SEAL_SUBJECT_KIND)
    assert signed.subject_ref == "#3" and signed.seal.unit_id is None
    assert log_services.seal_log_head() is None  # nothing new: sealed already
    walk = log_services.verify_log()
    assert walk.broken is None and walk.seals == 1


def test_seal_log_command_seals_and_then_finds_it_sealed(capsys):
    record(2)
    call_command("exchange", "seal-log")
    assert "#2" in capsys.readouterr().out
    assert MessageLogSeal.objects.count() == 1
    call_command("exchange", "seal-log")
    assert "sealed already" in capsys.readouterr().out


def test_a_changed_seal_is_a_forged_seal():
    record(3)
    seal = log_services.seal_log_head()
    MessageLogSeal.objects.filter(pk=seal.pk).update(head_hash="f" * 64)
    found = broken()
    assert (found.kind, found.sequence) == (chain.FORGED_SEAL, 3)
    assert "seal" in verify_log_fails()


def test_a_chain_rewritten_under_a_seal_with_every_hash_recomputed_is_found():
    entries = record(3)
    log_services.seal_log_head()
    # A forger with database access rewrites #2 and recomputes every hash after it, and the
    # head: the chain alone holds again, only the seal over #3 tells.
    prev = entries[0].hash
    for entry in entries[1:]:
        values = {name: getattr(entry, name) for name in log_services.CHAINED_FIELDS}
        if entry.sequence == 2:
            values["status"] = 404
        digest = chain.entry_hash(prev, log_services.hashed_fields(values))
        MessageLogEntry.objects.filter(pk=entry.pk).update(
            status=values["status"], prev_hash=prev, hash=digest
        )
        prev = digest
    MessageLogHead.objects.filter(pk=1).update(hash=prev)
    found = broken()
    assert (found.kind, found.sequence) == (chain.ALTERED, 3)


def test_seals_beyond_a_truncated_chain_are_found_removed():
    entries = record(3)
    log_services.seal_log_head()
    MessageLogEntry.objects.filter(pk=entries[2].pk).delete()
    MessageLogHead.objects.filter(pk=1).update(sequence=2, hash=entries[1].hash)
    found = broken()
    assert (found.kind, found.sequence) == (chain.REMOVED, 3)


def test_buffered_calls_are_chained_and_written_in_one_batch(monkeypatch):
    monkeypatch.setattr(log_services._buffer, "_ensure_thread", lambda: None)
    hooks.call_answered(answered(1))  # written unchained (by another process, say)
    log_services.buffer_calls(200)
    try:
        for n in range(2, 8):
            hooks.call_answered(answered(n))
        assert MessageLogEntry.objects.count() == 1
        assert log_services.flush_buffered_calls() == 6
    finally:
        log_services._buffer.configure(0)
    assert MessageLogEntry.objects.count() == 7
    assert MessageLogEntry.objects.filter(sequence__isnull=True).count() == 0
    walk = log_services.verify_log()
    assert walk.broken is None and walk.entries == 7
    # The entry written unchained first was chained first, by the flush.
    order = list(MessageLogEntry.objects.order_by("sequence").values_list("response_digest"))
    assert order[0] == (f"{1:064x}",) and order[-1] == (f"{7:064x}",)


@pytest.mark.django_db(transaction=True)
def test_the_flusher_thread_writes_buffered_calls_within_its_interval():
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"] == ":memory:":
        pytest.skip("another thread sees no private in-memory SQLite database")
    log_services.buffer_calls(50)
    try:
        started = time.monotonic()
        for n in range(1, 31):
            hooks.call_answered(answered(n))
        thread = log_services._buffer.thread
        assert thread is not None and thread is not threading.current_thread()
        while MessageLogEntry.objects.count() < 30 and time.monotonic() - started < 10:
            time.sleep(0.02)
        assert MessageLogEntry.objects.count() == 30
    finally:
        log_services.stop_buffering()
    assert not thread.is_alive()
    assert log_services.verify_log().broken is None


def test_the_worker_jobs_chain_and_seal_and_are_idempotent():
    hooks.call_answered(answered(1))
    assert chain_message_log.call() == "chained 1"
    assert chain_message_log.call() == "chained 0"
    assert seal_message_log.call() == "sealed #1"
    assert seal_message_log.call() == "sealed already"
