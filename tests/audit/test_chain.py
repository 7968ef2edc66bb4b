"""The audit trail as a hash chain (issue 10, point 5): every event is chained (by the
worker, moments after it is written), and
``shuzheng audit verify`` finds an event changed, inserted or removed in the database with
raw SQL, and a forged or stale seal — on SQLite and PostgreSQL alike."""

import threading

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections

from shuzheng.audit import chain
from shuzheng.audit import services as audit_services
from shuzheng.audit.models import AuditEvent, ChainHead, ChainSeal
from shuzheng.audit.services import (
    CHAINED_FIELDS,
    SecretKeySealer,
    chain_pending_events,
    hashed_values,
    record_change,
    seal_chain_head,
    verify_chain,
)

pytestmark = pytest.mark.django_db

TABLE = AuditEvent._meta.db_table


@pytest.fixture(autouse=True)
def secret_key_sealer(monkeypatch):
    """The trail's own sealer: the platform's SM2 seal (tests/trust/test_chain_seals.py) makes
    its root and seal on the first seal, events that would shift the sequences here."""
    monkeypatch.setattr(audit_services, "_sealers", {"HMAC-SM3": SecretKeySealer()})


def record(count, **extra):
    """``count`` events, chained as the worker chains them."""
    events = [
        record_change(actor=None, action="test.touch", object_type="test", object_id=i, **extra)
        for i in range(count)
    ]
    chain_pending_events()
    return list(AuditEvent.objects.filter(pk__in=[e.pk for e in events]).order_by("sequence"))


def test_a_write_only_inserts_its_event_and_the_chainer_appends_it_later(
    django_assert_num_queries,
):
    record(2)
    head = ChainHead.objects.values_list("sequence", "hash").get()
    with django_assert_num_queries(1):
        event = record_change(actor=None, action="test.touch", object_type="test")
    assert (event.sequence, event.hash) == (None, "")
    assert ChainHead.objects.values_list("sequence", "hash").get() == head
    assert chain_pending_events() == 1
    event.refresh_from_db()
    assert (event.sequence, event.prev_hash) == (3, head[1])
    assert chain_pending_events() == 0


def test_the_chainer_works_in_batches_and_verify_chains_what_waits():
    for i in range(7):
        record_change(actor=None, action="test.touch", object_type="test", object_id=i)
    assert chain_pending_events(batch=3) == 7
    record_change(actor=None, action="test.touch", object_type="test")
    walk = verify_chain()
    assert walk.broken is None and walk.entries == 8
    assert not AuditEvent.objects.filter(sequence__isnull=True).exists()


def test_an_event_unchained_in_the_database_is_found_removed_where_it_was():
    events = record(3)
    sql(
        f"UPDATE {TABLE} SET sequence = NULL, prev_hash = '', hash = '' WHERE id = %s",
        [events[1].pk],
    )
    found = broken()
    assert (found.kind, found.sequence) == (chain.REMOVED, 3)


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def broken():
    return verify_chain().broken


def test_events_are_chained_in_order_and_the_chain_holds():
    events = record(5, after={"n": 1})
    assert [e.sequence for e in events] == [1, 2, 3, 4, 5]
    assert events[0].prev_hash == chain.GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(events, events[1:], strict=False))
    assert ChainHead.objects.values_list("sequence", "hash").get() == (5, events[-1].hash)
    walk = verify_chain()
    assert walk.broken is None and walk.entries == 5


def test_values_hash_the_same_as_the_database_gives_them_back():
    """Tuples, integer keys, floats with integral values, Chinese text and IPv6 addresses
    come back from SQLite's JSON text and PostgreSQL's jsonb/inet in other forms."""
    record_change(
        actor=None,
        action="test.values",
        object_type="test",
        object_repr="黄河宁夏段",
        before={1: ("a", 2.0), "big": 1e20, "x": 0.1, "nested": [{"z": None, "a": True}]},
        after={"text": "持续深化，“引号”"},
        remote_addr="2001:0db8:0000:0000:0000:0000:0000:0001",
    )
    assert broken() is None


def test_an_update_made_with_raw_sql_is_named():
    events = record(5)
    sql(f"UPDATE {TABLE} SET object_repr = %s WHERE id = %s", ["changed", events[2].pk])
    found = broken()
    assert (found.kind, found.sequence, found.ident) == (chain.ALTERED, 3, str(events[2].pk))


def test_an_update_of_a_json_field_is_named():
    events = record(3, after={"status": "open"})
    sql(f"UPDATE {TABLE} SET after = %s WHERE id = %s", ['{"status": "done"}', events[1].pk])
    assert (broken().kind, broken().sequence) == (chain.ALTERED, 2)


def test_a_row_inserted_with_raw_sql_is_named():
    events = record(3)
    insert_like(events[-1], sequence=4, prev_hash="f" * 64, hash_="e" * 64)
    found = broken()
    assert (found.kind, found.sequence) == (chain.INSERTED, 4)


def test_a_row_inserted_with_a_recomputed_hash_lies_beyond_the_head():
    """Whoever knows the algorithm can chain a row of their own: the head says where the
    chain ended, and the seals (below) what it was."""
    events = record(3)
    last = events[-1]
    values = {name: getattr(last, name) for name in CHAINED_FIELDS} | {"sequence": 4}
    insert_like(last, sequence=4, prev_hash=last.hash, hash_=entry_hash(last.hash, values))
    found = broken()
    assert (found.kind, found.sequence) == (chain.INSERTED, 4)
    assert "head" in found.describe()


def test_a_row_deleted_with_raw_sql_is_named():
    events = record(5)
    sql(f"DELETE FROM {TABLE} WHERE id = %s", [events[1].pk])
    found = broken()
    assert (found.kind, found.sequence, found.ident) == (chain.REMOVED, 3, str(events[2].pk))
    assert found.describe() == "#2 is missing before it"


def test_the_newest_rows_deleted_are_named():
    events = record(4)
    sql(f"DELETE FROM {TABLE} WHERE id IN (%s, %s)", [events[2].pk, events[3].pk])
    found = broken()
    assert (found.kind, found.sequence) == (chain.REMOVED, 3)


def test_renumbering_after_a_deletion_breaks_the_link():
    events = record(4)
    sql(f"DELETE FROM {TABLE} WHERE id = %s", [events[1].pk])
    sql(f"UPDATE {TABLE} SET sequence = sequence + 100 WHERE sequence > 2")
    sql(f"UPDATE {TABLE} SET sequence = sequence - 101 WHERE sequence > 100")
    sql("UPDATE audit_chainhead SET sequence = 3")
    assert (broken().kind, broken().sequence) == (chain.INSERTED, 2)


def test_a_seal_fixes_the_chain_up_to_its_head():
    events = record(3)
    seal = seal_chain_head()
    assert (seal.sequence, seal.head_hash) == (3, events[-1].hash)
    assert seal_chain_head() is None, "nothing happened since"
    record(2)
    assert seal_chain_head().sequence == 5
    walk = verify_chain()
    assert walk.broken is None and walk.seals == 2


def test_the_worker_seals_the_head_every_hour():
    from shuzheng.worker.periodic import PERIODIC_JOBS
    from shuzheng.worker.tasks import seal_audit_chain

    assert PERIODIC_JOBS[seal_audit_chain.module_path].every.total_seconds() == 3600
    record(2)
    assert seal_audit_chain.call() == "sealed #2"
    assert seal_audit_chain.call() == "sealed already"


def test_a_forged_seal_is_named():
    record(3)
    seal = seal_chain_head()
    ChainSeal.objects.filter(pk=seal.pk).update(signature="00" * 32)
    found = broken()
    assert (found.kind, found.sequence, found.ident) == (chain.FORGED_SEAL, 3, str(seal.pk))


def test_a_chain_rewritten_with_recomputed_hashes_no_longer_matches_its_seal():
    """The attacker changes an event and recomputes every hash after it, and the head: the
    links hold, the seal does not."""
    events = record(3)
    seal_chain_head()
    sql(f"UPDATE {TABLE} SET object_repr = %s WHERE id = %s", ["rewritten", events[0].pk])
    prev = chain.GENESIS
    for event in AuditEvent.objects.order_by("sequence"):
        values = {name: getattr(event, name) for name in CHAINED_FIELDS}
        new = entry_hash(prev, values)
        sql(f"UPDATE {TABLE} SET prev_hash = %s, hash = %s WHERE id = %s", [prev, new, event.pk])
        prev = new
    sql("UPDATE audit_chainhead SET hash = %s", [prev])
    found = broken()
    assert (found.kind, found.sequence) == (chain.ALTERED, 3)
    assert "seal" in found.describe()


def test_a_sealed_event_removed_is_named_by_the_seal():
    events = record(3)
    seal = seal_chain_head()
    sql(f"DELETE FROM {TABLE} WHERE id = %s", [events[-1].pk])
    sql("UPDATE audit_chainhead SET sequence = 2, hash = %s", [events[1].hash])
    found = broken()
    assert (found.kind, found.sequence, found.ident) == (chain.REMOVED, 3, str(seal.pk))


def test_verify_command_reports_the_first_bad_event_and_exits_with_1(capsys, monkeypatch):
    monkeypatch.setenv("LANGUAGE", "en")
    events = record(4)
    call_command("audit", "verify")
    assert "(events checked: 4, seals: 0)" in capsys.readouterr().out
    sql(f"UPDATE {TABLE} SET action = %s WHERE id = %s", ["forged", events[1].pk])
    sql(f"UPDATE {TABLE} SET action = %s WHERE id = %s", ["forged", events[3].pk])
    with pytest.raises(CommandError) as raised:
        call_command("audit", "verify")
    assert raised.value.returncode == 1
    assert str(raised.value) == (
        f"altered: event #2 (id {events[1].pk}): its fields do not give its hash"
        " (events checked before it: 1)."
    )


@pytest.mark.chinese_ui
def test_verify_command_speaks_chinese_by_default(capsys, monkeypatch):
    monkeypatch.delenv("LANGUAGE", raising=False)
    events = record(2)
    sql(f"DELETE FROM {TABLE} WHERE id = %s", [events[0].pk])
    with pytest.raises(CommandError) as raised:
        call_command("audit", "verify")
    assert str(raised.value) == (
        f"被删除：第 2 条记录（编号 {events[1].pk}）：其前缺少第 1 条（此前已检查 0 条）。"
    )


def test_seal_command_seals_once(capsys, monkeypatch):
    monkeypatch.setenv("LANGUAGE", "en")
    record(1)
    call_command("audit", "seal")
    call_command("audit", "seal")
    out = capsys.readouterr().out
    assert "Sealed the chain head: event #1" in out and "sealed already" in out
    assert ChainSeal.objects.count() == 1


def test_the_migration_chains_existing_events_in_id_order():
    from importlib import import_module

    migration = import_module("shuzheng.audit.migrations.0002_chain")
    events = record(4)
    sql(f"UPDATE {TABLE} SET sequence = id + 1000, prev_hash = '', hash = ''")
    ChainHead.objects.all().delete()
    migration.chain_existing_events(apps, None)
    chained = list(AuditEvent.objects.order_by("id").values_list("sequence", flat=True))
    assert chained == [1, 2, 3, 4]
    assert ChainHead.objects.get().sequence == 4
    assert broken() is None
    assert AuditEvent.objects.get(pk=events[0].pk).hash == events[0].hash


def test_a_flushed_database_starts_the_chain_again():
    ChainHead.objects.all().delete()
    assert record(1)[0].sequence == 1
    assert broken() is None


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite's BEGIN IMMEDIATE serializes writers"
)
@pytest.mark.parametrize("head", ["kept", "flushed"])
def test_concurrent_writers_and_chainers_chain_one_after_the_other(head):
    if head == "flushed":
        # As after an earlier transactional test: the writers race to create the head.
        ChainHead.objects.all().delete()
    errors = []

    def writer():
        try:
            record(15)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(AuditEvent.objects.values_list("sequence", flat=True)) == list(range(1, 61))
    assert broken() is None


def entry_hash(prev, values):
    return chain.entry_hash(prev, hashed_values(values))


def insert_like(event, *, sequence, prev_hash, hash_):
    sql(
        f"INSERT INTO {TABLE} (sequence, prev_hash, hash, at, actor_name, action, object_type,"
        " object_id, object_repr) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [
            sequence,
            prev_hash,
            hash_,
            event.at,
            event.actor_name,
            event.action,
            event.object_type,
            event.object_id,
            event.object_repr,
        ],
    )
