"""The catalog import API (issue 11, point 2): POST a workbook → 202 and the job; the
worker imports it; GET the job → state, phase, progress and the problems by row and
column; bad files answer 400 and keep nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shuzheng.accounts.services import create_token
from shuzheng.catalog.models import DataResource, ImportJob
from tests.catalog.test_imports import two_hundred_with_three_bad
from tests.catalog.workbooks import csv_bytes, resource_rows
from tests.catalog_import.workers import run_queued_jobs

pytestmark = pytest.mark.django_db

URL = "/api/v1/catalog/imports"


def bearer(user) -> dict:
    _token, secret = create_token(user, name="import", scopes=["read", "write"], actor=None)
    return {"Authorization": f"Bearer {secret}"}


def post(client, user, data: bytes, name="catalog.xlsx", **fields):
    upload = SimpleUploadedFile(name, data)
    return client.post(URL, {"file": upload, **fields}, headers=bearer(user))


@pytest.mark.parametrize(("mode", "created"), [("false", 197), ("true", 0)])
def test_two_hundred_resources_three_bad_rows_through_the_api(
    client, provider_staff, mode, created
):
    response = post(client, provider_staff, two_hundred_with_three_bad(), all_or_nothing=mode)
    assert response.status_code == 202, response.content
    job = response.json()
    assert (job["state"], job["phase"], job["provider"]["code"]) == (
        "queued",
        "uploaded",
        "nx-culture-tourism",
    )
    assert job["all_or_nothing"] is (mode == "true")
    assert run_queued_jobs() == ["SUCCESSFUL"]
    answer = client.get(job["status_url"], headers=bearer(provider_staff)).json()
    assert (answer["state"], answer["phase"]) == ("done", "done")
    assert (answer["created"], answer["updated"]) == (created, 0)
    assert answer["progress"] == {
        "rows_read": 400,
        "rows_total": 400,
        "resources_written": created,
        "resources_total": 200,
    }
    assert [(e["row"], e["column"], e["header"]) for e in answer["errors"]] == [
        (36, "U", "数据类型"),
        (178, "X", "分级"),
        (302, "T", "信息项名称"),
    ]
    assert answer["errors"][2]["message"] == "This column must be filled in."
    assert DataResource.objects.count() == created


def test_a_gb18030_csv_imports(client, provider_staff):
    data = csv_bytes(resource_rows(1), encoding="gb18030")
    response = post(client, provider_staff, data, name="目录.csv")
    assert response.status_code == 202
    run_queued_jobs()
    answer = client.get(response.json()["status_url"], headers=bearer(provider_staff)).json()
    assert (answer["created"], answer["errors"]) == (1, [])


def test_a_file_that_is_not_a_workbook_answers_400(client, provider_staff):
    response = post(client, provider_staff, b"%PDF-1.7", name="catalog.xlsx")
    assert response.status_code == 400
    assert "not a catalog workbook" in response.json()["detail"]
    assert not ImportJob.objects.exists()


def test_a_file_over_the_limit_answers_400(client, provider_staff, settings):
    settings.CATALOG_IMPORT_MAX_MB = 1
    response = post(client, provider_staff, b"a" * (1024 * 1024 + 1), name="catalog.csv")
    assert response.status_code == 400
    assert "at most 1 MB" in response.json()["detail"]
    assert not ImportJob.objects.exists()


def test_a_provider_imports_for_its_own_unit_only(client, provider_staff):
    response = post(client, provider_staff, b"x", name="a.csv", provider="nx-education")
    assert response.status_code == 403
    response = post(client, provider_staff, b"x", name="a.csv", provider="no-such-unit")
    assert response.status_code == 422
    assert not ImportJob.objects.exists()


def test_another_unit_s_staff_cannot_read_the_job(client, provider_staff, other_staff):
    response = post(client, provider_staff, csv_bytes(resource_rows(1)), name="a.csv")
    assert client.get(response.json()["status_url"], headers=bearer(other_staff)).status_code == 403
