"""/api/v1/trust/: verify (file or number), a signature's report, the root, the revocation
list, the seals for manage_seals."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from shuzheng.trust import licence_services, services
from tests.trust.licence_fixtures import draft, make_type, make_unit

API = "/api/v1/trust"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client(client, db):
    """A signed-in caller (anonymous ones are answered the same: see below)."""
    from tests.trust.licence_fixtures import make_user

    client.force_login(make_user("verifier", "citizen"))
    return client


@pytest.fixture
def licence(db):
    return licence_services.issue_licence(make_type(make_unit()), draft(), by=None)


def test_verify_a_file(client, licence):
    response = client.post(
        f"{API}/verify", {"file": SimpleUploadedFile("l.pdf", bytes(licence.pdf))}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["verdict"] == "TOTAL_PASSED"
    assert body["kind"] == "licence"
    assert {check["check"] for check in body["reports"][0]["checks"]} >= {
        "signature",
        "chain",
        "revocation",
        "validity",
        "document",
    }
    changed = bytearray(licence.pdf)
    changed[300] ^= 1
    response = client.post(f"{API}/verify", {"file": SimpleUploadedFile("l.pdf", bytes(changed))})
    assert response.json()["verdict"] == "TOTAL_FAILED"


def test_verify_a_number_and_bad_requests(client, licence):
    response = client.post(f"{API}/verify", {"number": licence.number})
    assert response.json()["verdict"] == "TOTAL_PASSED"
    response = client.post(f"{API}/verify", {"number": licence.number, "digest": "f" * 16})
    assert response.json()["verdict"] == "TOTAL_FAILED"
    assert client.post(f"{API}/verify", {}).status_code == 400
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    assert client.post(f"{API}/verify", {"file": big}).status_code == 413
    junk = SimpleUploadedFile("x.bin", b"\x00\xff" * 100)
    assert client.post(f"{API}/verify", {"file": junk}).json()["verdict"] == "TOTAL_FAILED"


def test_a_signature_by_number(client, licence):
    number = licence.record_signature.number
    response = client.get(f"{API}/signatures/{number}")
    assert response.status_code == 200
    assert response.json()["reports"][0]["signature"]["number"] == number
    assert client.get(f"{API}/signatures/0123456789ABCDEF0123").status_code == 404
    assert client.get(f"{API}/signatures/nonsense").status_code == 404


def test_anonymous_callers_verify_as_on_the_page(licence, db):
    from django.test import Client

    answer = Client().post(f"{API}/verify", {"number": licence.number})
    assert answer.status_code == 200, answer.content
    assert answer.json() == Client().post(f"{API}/verify", {"number": licence.number}).json()
    assert Client().post(f"{API}/verify", {"number": "x"}).status_code == 200


def test_root_and_crl(client, db):
    assert client.get(f"{API}/root").json() == services.root_certificate()
    assert client.get(f"{API}/crl").json() == services.revocation_list()


def test_the_api_is_throttled(client, db, monkeypatch):
    from shuzheng.trust import verify_inputs

    monkeypatch.setattr(verify_inputs, "VERIFY_PER_MINUTE", 1)
    assert client.post(f"{API}/verify", {"number": "x"}).status_code == 200
    assert client.post(f"{API}/verify", {"number": "x"}).status_code == 429
