"""The audit chain's head sealed with the platform's SM2 seal (issue 10, point 5): a seal
made now is an SM2 envelope that verifies against the platform root, a changed one is a
forged seal, seals made before with HMAC-SM3 still hold, and sealing records no event that
would move the head it sealed."""

import datetime as dt
import json

import pytest
from django.conf import settings

from shuzheng import crypto
from shuzheng.audit import chain
from shuzheng.audit.models import AuditEvent, ChainSeal
from shuzheng.audit.services import (
    SEAL_KEY_PURPOSE,
    chain_pending_events,
    record_change,
    seal_chain_head,
    verify_chain,
)
from shuzheng.trust.chain_seals import ALGORITHM, SUBJECT_KIND
from shuzheng.trust.models import Signature

pytestmark = pytest.mark.django_db


def record(count):
    for i in range(count):
        record_change(actor=None, action="test.touch", object_type="test", object_id=i)
    chain_pending_events()


def test_the_head_is_sealed_with_the_platform_s_sm2_seal_and_verifies():
    record(3)
    seal = seal_chain_head()
    assert seal.algorithm == ALGORITHM
    envelope = json.loads(seal.signature)
    assert envelope["certificate"]  # the envelope carries the seal's certificate
    # The platform's root and seal, made (and audited) for this first seal, are under it.
    assert seal.sequence == AuditEvent.objects.count() > 3
    signed = Signature.objects.get(subject_kind=SUBJECT_KIND)
    assert signed.subject_ref == f"#{seal.sequence}" and signed.seal.unit_id is None
    walk = verify_chain()
    assert walk.broken is None and walk.seals == 1


def test_sealing_records_no_event_so_a_second_seal_finds_it_sealed():
    record(2)
    assert seal_chain_head() is not None
    events = AuditEvent.objects.count()
    assert seal_chain_head() is None
    assert AuditEvent.objects.count() == events


def test_a_changed_sm2_seal_is_a_forged_seal():
    record(3)
    seal = seal_chain_head()
    # The same envelope over another head: the signature no longer covers the message.
    ChainSeal.objects.filter(pk=seal.pk).update(head_hash="f" * 64)
    found = verify_chain().broken
    assert (found.kind, found.sequence) == (chain.FORGED_SEAL, seal.sequence)


def test_a_seal_made_with_hmac_sm3_before_still_holds():
    record(2)
    head = AuditEvent.objects.order_by("-sequence").first()
    sealed_at = head.at
    # As services sealed before the trust services existed (the time in UTC, microseconds).
    instant = sealed_at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    message = chain.seal_message(head.sequence, head.hash, instant)
    key = crypto.derive_key(settings.SECRET_KEY, SEAL_KEY_PURPOSE)
    ChainSeal.objects.create(
        sequence=head.sequence,
        head_hash=head.hash,
        sealed_at=sealed_at,
        algorithm="HMAC-SM3",
        signature=crypto.hmac_sm3(key, message).hex(),
    )
    walk = verify_chain()
    assert walk.broken is None and walk.seals == 1
