"""The catalog import page (issue 11, point 2): upload, the worker's import with a progress
bar the page polls, the report by row and column and its download; bad files get a clear
message and land nothing; who imports for which unit."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from shuzheng import clock
from shuzheng.catalog import workbook
from shuzheng.catalog.choices import ImportPhase, JobState
from shuzheng.catalog.models import DataResource, ImportJob
from shuzheng.orgs.models import Unit
from tests.catalog.test_imports import two_hundred_with_three_bad
from tests.catalog.workbooks import resource_rows, xlsx_bytes
from tests.catalog_import.workers import run_queued_jobs

pytestmark = [pytest.mark.django_db, pytest.mark.chinese_ui]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def post(client, data: bytes, name="目录.xlsx", **fields):
    fields.setdefault("mode", "valid")
    upload = SimpleUploadedFile(name, data)
    return client.post(reverse("catalog:import"), {"file": upload, **fields})


def import_as(client, user, data, **fields):
    client.force_login(user)
    response = post(client, data, **fields)
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("catalog:import_job", args=[job.pk])
    assert run_queued_jobs() == ["SUCCESSFUL"]
    job.refresh_from_db()
    return job


def test_the_page_is_in_chinese_with_the_template_link(client, provider_staff):
    client.force_login(provider_staff)
    response = client.get(reverse("catalog:import"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "导入目录表" in text and "下载模板" in text and "全部不导入（全部或全不）" in text
    # A provider's staff import for their own unit only: no other unit is offered.
    assert "宁夏回族自治区文化和旅游厅" in text and "宁夏回族自治区教育厅" not in text
    template = client.get(reverse("catalog:import_template"))
    assert template["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(template.content)).active
    # The title, the headers and the example resource's rows.
    assert sheet.max_row == 2 + len(workbook.example_rows())
    assert [cell.value for cell in sheet[2]] == workbook.HEADERS


def test_two_hundred_resources_three_bad_rows_through_the_page(client, provider_staff):
    job = import_as(client, provider_staff, two_hundred_with_three_bad())
    assert (job.state, job.phase) == (JobState.DONE, ImportPhase.DONE)
    assert (job.created_resources, job.total_rows, job.total_resources) == (197, 400, 200)
    assert DataResource.objects.count() == 197
    page = client.get(reverse("catalog:import_job", args=[job.pk]))
    text = page.content.decode()
    assert "新建资源 197 条，更新 0 条。" in text
    assert "hx-trigger" not in text  # finished: the fragment no longer polls
    for row, column, header in (
        ("36", "U", "数据类型"),
        ("178", "X", "分级"),
        ("302", "T", "信息项名称"),
    ):
        assert f"<td>{row}</td><td>{column}</td><td>{header}</td>" in text
    assert "此列必须填写" in text or "必须填写" in text
    download = client.get(reverse("catalog:import_errors", args=[job.pk]))
    assert download["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(download.content)).active
    rows = [row for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert [(row[0], row[1], row[2]) for row in rows] == [
        (36, "U", "数据类型"),
        (178, "X", "分级"),
        (302, "T", "信息项名称"),
    ]
    assert sheet.cell(row=2, column=1).value == "行"


def test_all_or_nothing_through_the_page_lands_nothing(client, provider_staff):
    job = import_as(client, provider_staff, two_hundred_with_three_bad(), mode="all")
    assert job.created_resources == 0
    assert not DataResource.objects.exists()
    assert len(job.errors) == 3
    text = client.get(reverse("catalog:import_job", args=[job.pk])).content.decode()
    assert "未导入任何资源。" in text and "全部或全不" in text


def test_the_progress_bar_follows_the_job(client, provider_staff):
    client.force_login(provider_staff)
    job = ImportJob.objects.create(
        original_name="目录.xlsx",
        provider=provider_staff.unit,
        created_at=clock.now(),
        created_by=provider_staff,
        state=JobState.RUNNING,
        phase=ImportPhase.READ,
        done_rows=100,
        total_rows=400,
    )
    url = reverse("catalog:import_job", args=[job.pk])
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="import-job"')
    assert 'hx-trigger="every 1s"' in fragment
    assert 'value="25"' in fragment and "已读取 100 / 400 行" in fragment
    ImportJob.objects.filter(pk=job.pk).update(
        phase=ImportPhase.WRITE, done_resources=150, total_resources=200
    )
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'value="75"' in fragment and "正在写入资源" in fragment


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"%PDF-1.7 not a workbook", "目录.xlsx", "不是目录表"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old excel", "目录.xls", ".xls"),
    ],
)
def test_a_file_that_is_not_a_workbook_is_refused_at_upload(
    client, provider_staff, data, name, expected
):
    client.force_login(provider_staff)
    response = post(client, data, name=name)
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_file_over_the_limit_is_refused_at_upload(client, provider_staff, settings):
    settings.CATALOG_IMPORT_MAX_MB = 1
    client.force_login(provider_staff)
    response = post(client, b"x" * (1024 * 1024 + 1), name="目录.csv")
    assert response.status_code == 400
    assert "最多 1 MB" in response.content.decode() or "1 MB" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_wrong_headers_and_merged_cells_are_reported_and_nothing_lands(client, provider_staff):
    headers = ["信息资源名称", "负责人"]
    job = import_as(client, provider_staff, xlsx_bytes([["x", "y"]], headers=headers))
    assert job.created_resources == 0
    text = client.get(reverse("catalog:import_job", args=[job.pk])).content.decode()
    assert "负责人" in text
    ImportJob.objects.all().delete()
    rows = resource_rows(1) + resource_rows(2)
    job = import_as(client, provider_staff, xlsx_bytes(rows, merge="E3:E4"))
    text = client.get(reverse("catalog:import_job", args=[job.pk])).content.decode()
    assert "E3:E4" in text and "<td>3</td>" in text
    assert not DataResource.objects.exists()


def test_a_provider_cannot_import_for_another_unit(client, provider_staff):
    client.force_login(provider_staff)
    response = post(client, xlsx_bytes(resource_rows(1)), provider="nx-education")
    assert response.status_code == 400
    assert not ImportJob.objects.exists()


def test_the_office_imports_for_any_unit(client, office):
    rows = resource_rows(1) + resource_rows(2, provider="自治区教育厅")
    job = import_as(client, office, xlsx_bytes(rows))
    assert job.provider is None
    assert job.created_resources == 2, job.errors
    providers = set(DataResource.objects.values_list("provider__code", flat=True))
    assert providers == {"nx-culture-tourism", "nx-education"}


def test_an_import_is_seen_by_its_unit_and_the_office_only(client, provider_staff, other_staff):
    job = import_as(client, provider_staff, xlsx_bytes(resource_rows(1)))
    client.force_login(other_staff)
    assert client.get(reverse("catalog:import_job", args=[job.pk])).status_code == 403
    assert "目录.xlsx" not in client.get(reverse("catalog:import")).content.decode()
    assert Unit.objects.get(code="nx-culture-tourism") == job.provider
