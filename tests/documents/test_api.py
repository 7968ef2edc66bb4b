"""The documents JSON API: list, detail, tasks, ingest (issue 3, item 7)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shuzheng.accounts.models import User
from shuzheng.accounts.services import create_token
from shuzheng.documents import services
from shuzheng.documents.models import Document
from tests.documents import parsed_samples as samples
from tests.documents.test_services import ingest, units  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(units):  # noqa: F811
    ingest(samples.build_result())
    return {
        "notice": Document.objects.get(doc_number=samples.NOTICE_NUMBER),
        "opinion": Document.objects.get(title=samples.OPINION_TITLE),
    }


@pytest.fixture
def bearer():
    user = User.objects.create_user("api-admin", role="administrator")
    _token, secret = create_token(user, name="test", scopes=["read", "write"], actor=None)
    return {"Authorization": f"Bearer {secret}"}


def test_list_is_paginated_and_filters_by_number_type_and_issuer(client, stored):
    everything = client.get("/api/v1/documents/").json()
    assert everything["count"] == 2
    assert {item["title"] for item in everything["items"]} == {
        samples.NOTICE_TITLE,
        samples.OPINION_TITLE,
    }
    by_number = client.get("/api/v1/documents/", {"q": "宁政办发［2023］5号"}).json()
    assert [item["id"] for item in by_number["items"]] == [stored["notice"].pk]
    by_type = client.get("/api/v1/documents/", {"doc_type": "意见"}).json()
    assert [item["id"] for item in by_type["items"]] == [stored["opinion"].pk]
    by_issuer = client.get("/api/v1/documents/", {"issuer": "nx-gov-office"}).json()
    assert by_issuer["items"][0]["issuers"] == [
        {"code": "nx-gov-office", "name": "宁夏回族自治区人民政府办公厅"}
    ]
    by_year = client.get("/api/v1/documents/", {"year": 2022}).json()
    assert by_year["count"] == 0


def test_detail_has_metadata_sections_citations_and_a_task_summary(client, stored):
    data = client.get(f"/api/v1/documents/{stored['opinion'].pk}").json()
    assert data["transmitted_by_id"] == stored["notice"].pk
    assert [s["anchor"] for s in data["sections"]] == ["s-一", "s-二", "s-二-一", "s-二-二"]
    assert data["citations"][0]["doc_number"] == samples.CITED_NUMBER
    assert data["citations"][0]["target_id"] is None
    assert data["tasks"] == {
        "total": 3,
        "by_form": {"inline": 3},
        "by_category": {"（一）建设共享平台": 2, "（二）完善共享机制": 1},
    }
    assert data["versions"] == [{"id": stored["opinion"].pk, "version": 1, "is_current": True}]
    notice = client.get(f"/api/v1/documents/{stored['notice'].pk}").json()
    assert notice["transmits"][0]["id"] == stored["opinion"].pk
    assert notice["attachments"] == [{"number": 1, "title": "重点任务分工表", "omitted": False}]


def test_tasks_carry_units_and_milestones_and_filter(client, stored):
    url = f"/api/v1/documents/{stored['opinion'].pk}/tasks"
    tasks = client.get(url).json()
    assert [t["number"] for t in tasks] == [1, 2, 3]
    assert tasks[1]["milestones"] == [
        {"kind": "complete", "year": 2023, "due_on": "2023-12-31", "text": "2023年底前完成"}
    ]
    assert {"role": "lead", "name": "自治区大数据中心", "unit_code": None, "group": ""} in tasks[0][
        "responsibilities"
    ]
    assert [t["number"] for t in client.get(url, {"unit": "nx-gov-office"}).json()] == [2, 3]
    assert [t["number"] for t in client.get(url, {"sort": "deadline"}).json()] == [2, 1, 3]


def test_an_unknown_document_is_404(client):
    assert client.get("/api/v1/documents/424242").status_code == 404


def test_ingest_with_a_bearer_token_returns_the_report(client, bearer, units, monkeypatch):  # noqa: F811
    monkeypatch.setattr(
        services, "_default_parse", lambda data, name: samples.build_result(name=name)
    )
    upload = SimpleUploadedFile("notice.txt", samples.build_result().text.encode())

    response = client.post("/api/v1/documents/ingest", {"file": upload}, headers=bearer)

    assert response.status_code == 200
    report = response.json()
    assert report["status"] == "stored"
    assert report["summary"]["created"] == 2 and report["summary"]["tasks"] == 3
    assert report["findings"][0]["code"] == "unit-unresolved"

    again = client.post(
        "/api/v1/documents/ingest",
        {"file": SimpleUploadedFile("notice.txt", samples.build_result().text.encode())},
        headers=bearer,
    ).json()
    assert again["status"] == "unchanged" and again["summary"]["unchanged"] == 2


def test_ingest_of_an_empty_file_is_a_400_with_the_reason(client, bearer):
    response = client.post(
        "/api/v1/documents/ingest", {"file": SimpleUploadedFile("e.txt", b"")}, headers=bearer
    )
    assert response.status_code == 400
    assert response.json()["error"] == "The file is empty."
    assert Document.objects.count() == 0


def test_operations_have_explicit_ids(client):
    schema = client.get("/api/v1/openapi.json").json()
    ids = {op["operationId"] for path in schema["paths"].values() for op in path.values()}
    assert {"documents_list", "documents_detail", "documents_tasks", "documents_ingest"} <= ids
