"""Data quality of a resource (issue 11, point 4): checks defined, edited and deleted in the
pages (audited), "运行检查" queuing a worker run that reads the distribution's data (CSV in
GB18030, Excel, JSON, a database table), results and the trend on the resource page, the
failing rows as CSV for who may see the data, and the scheduled runs."""

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from openpyxl import Workbook

from shuzheng.audit.models import AuditEvent
from shuzheng.catalog import quality_services as qs
from shuzheng.catalog import services
from shuzheng.catalog.models import QualityCheck, QualityRun
from shuzheng.catalog.samples import load_categories
from shuzheng.orgs.models import Unit

pytestmark = pytest.mark.django_db

ROWS = [
    ["name", "level", "visitors", "rated_on"],
    ["沙坡头", "5A", "120", "2007-05-08"],
    ["镇北堡", "5A", "95", "2011-01-17"],
    ["", "4A", "-3", "2015-03-01"],
    ["沙湖", "9Z", "80", "not a date"],
    ["镇北堡", "5A", "70", "2016-06-06"],
]


@pytest.fixture
def category(registry):
    load_categories(
        [["3", "部门信息资源", ""], ["304", "文化旅游", "3"], ["304001", "旅游景区", "304"]]
    )
    from shuzheng.catalog.models import ResourceCategory

    return ResourceCategory.objects.get(code="304001")


def make_resource(category, *, grade="general", name="scenic", frequency="yearly", unit=None):
    important = grade != "general"
    return services.register_resource(
        actor=None,
        data=services.ResourceInput(
            title=f"景区{name}",
            category=category,
            provider=unit or Unit.objects.get(code="nx-culture-tourism"),
            summary="景区名录。",
            share_type="unconditional",
            open_type="none" if important else "unconditional",
            update_frequency=frequency,
            grade=grade,
            name=name,
            fields=[
                services.FieldInput(name="景区名称", column="name", data_type="string"),
                services.FieldInput(name="等级", column="level", data_type="string"),
                services.FieldInput(name="游客数", column="visitors", data_type="integer"),
                services.FieldInput(name="评定日期", column="rated_on", data_type="date"),
            ],
        ),
    )


def attach(resource, content: bytes, filename: str, fmt: str):
    return services.add_distribution(
        actor=None,
        resource=resource,
        data=services.DistributionInput(
            title=f"数据{fmt}",
            kind="file",
            format=fmt,
            upload=SimpleUploadedFile(filename, content),
        ),
    )


def csv_bytes(rows, encoding="utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def declare(resource):
    for data in (
        qs.CheckInput(kind="completeness", column="name"),
        qs.CheckInput(kind="format", column="level", pattern=r"[1-5]A"),
        qs.CheckInput(kind="range", column="visitors", minimum=Decimal(0)),
        qs.CheckInput(kind="uniqueness", column="name"),
        qs.CheckInput(kind="format", column="rated_on"),
    ):
        qs.create_check(actor=None, resource=resource, data=data)


def run_now(resource, actor=None):
    run = qs.queue_run(actor=actor, resource=resource)
    assert DBTaskResult.objects.filter(task_path=qs.RUN_TASK).exists()
    qs.run_quality_job(run.pk)
    run.refresh_from_db()
    return run


def by_kind(run):
    return {(r.kind, r.column): (r.checked, r.failed) for r in run.results.all()}


EXPECTED = {
    ("completeness", "name"): (5, 1),
    ("format", "level"): (5, 1),
    ("range", "visitors"): (5, 1),
    ("uniqueness", "name"): (4, 1),
    ("format", "rated_on"): (5, 1),
}


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_a_csv_run_in_utf8_or_gb18030_keeps_results_score_and_failing_rows(category, encoding):
    resource = make_resource(category)
    attach(resource, csv_bytes(ROWS, encoding), "scenic.csv", "CSV")
    declare(resource)
    run = run_now(resource)
    assert run.state == "done", run.error
    assert (run.rows, run.failing_row_count) == (5, 3)
    assert by_kind(run) == EXPECTED
    assert run.score == Decimal("79.00")
    text = run.failing_rows.open("rb").read().decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0][:2] == ["Row", "Failed checks"]
    assert [line[0] for line in lines[1:]] == ["3", "4", "5"]
    assert lines[1][2:] == ["", "4A", "-3", "2015-03-01"]
    assert AuditEvent.objects.filter(action="catalog.quality_run").exists()


def test_excel_and_json_distributions_give_the_same_results(category):
    book = Workbook()
    sheet = book.active
    for row in ROWS:
        sheet.append([int(v) if v.lstrip("-").isdigit() and len(v) < 5 else v for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    excel = make_resource(category, name="excel")
    attach(excel, buffer.getvalue(), "scenic.xlsx", "XLSX")
    declare(excel)
    assert by_kind(run_now(excel)) == EXPECTED

    records = [dict(zip(ROWS[0], row, strict=True)) for row in ROWS[1:]]
    payload = json.dumps({"data": records}, ensure_ascii=False).encode()
    js = make_resource(category, name="json")
    attach(js, payload, "scenic.json", "JSON")
    declare(js)
    assert by_kind(run_now(js)) == EXPECTED


def test_a_database_table_is_read_and_the_platforms_own_tables_are_refused(category):
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE data_scenic (name varchar(20), visitors integer)")
        cursor.execute(
            "INSERT INTO data_scenic VALUES ('沙坡头', 120), ('沙湖', -1), ('镇北堡', 7)"
        )
    resource = make_resource(category)
    services.add_distribution(
        actor=None,
        resource=resource,
        data=services.DistributionInput(title="库表", kind="table", table_name="data_scenic"),
    )
    qs.create_check(
        actor=None,
        resource=resource,
        data=qs.CheckInput(kind="range", column="visitors", minimum=Decimal(0)),
    )
    run = run_now(resource)
    assert (run.state, run.rows, run.failing_row_count) == ("done", 3, 1)

    other = make_resource(category, name="users")
    services.add_distribution(
        actor=None,
        resource=other,
        data=services.DistributionInput(title="用户", kind="table", table_name="accounts_user"),
    )
    qs.create_check(
        actor=None, resource=other, data=qs.CheckInput(kind="completeness", column="id")
    )
    run = run_now(other)
    assert run.state == "failed" and "data_" in run.error and run.rows == 0


def test_reference_and_cross_source_read_the_other_resources_data(category):
    source = make_resource(category, name="source")
    attach(
        source, csv_bytes([["name", "level"], ["沙坡头", "5A"], ["镇北堡", "4A"]]), "s.csv", "CSV"
    )
    copy = make_resource(category, name="copy")
    attach(
        copy,
        csv_bytes([["name", "level"], ["沙坡头", "5A"], ["镇北堡", "5A"], ["沙湖", "5A"]]),
        "c.csv",
        "CSV",
    )
    qs.create_check(
        actor=None,
        resource=copy,
        data=qs.CheckInput(
            kind="reference", column="name", reference=source.code, reference_column="name"
        ),
    )
    qs.create_check(
        actor=None,
        resource=copy,
        data=qs.CheckInput(
            kind="cross_source", column="level", reference=source.code, reference_column="name"
        ),
    )
    run = run_now(copy)
    assert by_kind(run) == {("reference", "name"): (3, 1), ("cross_source", "level"): (2, 1)}


def test_a_missing_column_fails_the_run_with_the_reason_in_chinese(category, settings):
    resource = make_resource(category)
    attach(resource, csv_bytes([["other"], ["x"]]), "bad.csv", "CSV")
    qs.create_check(
        actor=None, resource=resource, data=qs.CheckInput(kind="completeness", column="name")
    )
    run = run_now(resource)
    assert run.state == "failed"
    assert "name" in run.error


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (qs.CheckInput(kind="format", column="name", pattern="("), "pattern"),
        (qs.CheckInput(kind="format", column="name"), "pattern"),
        (qs.CheckInput(kind="range", column="visitors"), "minimum"),
        (
            qs.CheckInput(kind="range", column="visitors", minimum=Decimal(5), maximum=Decimal(1)),
            "maximum",
        ),
        (qs.CheckInput(kind="reference", column="name", reference="9/9"), "reference"),
        (qs.CheckInput(kind="completeness", column=""), "column"),
    ],
)
def test_bad_checks_are_refused_naming_the_field(category, data, field):
    resource = make_resource(category)
    with pytest.raises(services.CatalogError) as refused:
        qs.create_check(actor=None, resource=resource, data=data)
    assert field in refused.value.errors
    assert not QualityCheck.objects.exists()


def test_freshness_needs_an_update_frequency_with_a_limit(category):
    resource = make_resource(category, frequency="irregular")
    with pytest.raises(services.CatalogError) as refused:
        qs.create_check(
            actor=None, resource=resource, data=qs.CheckInput(kind="freshness", column="rated_on")
        )
    assert "kind" in refused.value.errors


@pytest.mark.chinese_ui
def test_pages_define_edit_delete_and_run_checks_audited(category, client, provider_staff):
    resource = make_resource(category)
    attach(resource, csv_bytes(ROWS), "scenic.csv", "CSV")
    client.force_login(provider_staff)
    url = reverse("catalog:quality", args=[resource.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "添加检查规则" in page.content.decode()
    bad = client.post(url, {"kind": "range", "column": "visitors", "weight": 1, "enabled": "on"})
    assert bad.status_code == 400 and "最小值" in bad.content.decode()
    added = client.post(
        url, {"kind": "range", "column": "visitors", "minimum": "0", "weight": 2, "enabled": "on"}
    )
    assert added.status_code == 302
    check = QualityCheck.objects.get()
    assert check.parameters == {"min": "0"} and check.weight == 2
    edit = reverse("catalog:quality_edit", args=[resource.pk, check.pk])
    assert client.get(edit).status_code == 200
    client.post(
        edit,
        {
            "kind": "range",
            "column": "visitors",
            "minimum": "0",
            "maximum": "100",
            "weight": 1,
            "enabled": "on",
        },
    )
    check.refresh_from_db()
    assert check.parameters == {"min": "0", "max": "100"}
    assert client.post(reverse("catalog:quality_run", args=[resource.pk])).status_code == 302
    run = QualityRun.objects.get()
    assert run.state == "queued" and run.requested_by == provider_staff
    qs.run_quality_job(run.pk)
    detail = client.get(resource.get_absolute_url()).content.decode()
    assert "最新一次检查的结果" in detail and "下载 CSV" in detail and "质量评分的变化" in detail
    download = client.get(reverse("catalog:quality_failing_rows", args=[resource.pk, run.pk]))
    assert download.status_code == 200
    body = b"".join(download.streaming_content).decode("utf-8-sig")
    assert "-3" in body and "沙坡头" in body and "镇北堡" not in body
    assert "visitors：值域" in body
    client.post(reverse("catalog:quality_delete", args=[resource.pk, check.pk]))
    assert not QualityCheck.objects.exists()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "catalog.create_quality_check",
        "catalog.update_quality_check",
        "catalog.delete_quality_check",
        "catalog.queue_quality_run",
        "catalog.download_failing_rows",
    } <= actions


@pytest.mark.chinese_ui
def test_failing_rows_of_important_data_stay_with_the_provider(
    category, client, provider_staff, office
):
    resource = make_resource(category, grade="important")
    attach(resource, csv_bytes(ROWS), "scenic.csv", "CSV")
    declare(resource)
    run = run_now(resource)
    url = reverse("catalog:quality_failing_rows", args=[resource.pk, run.pk])
    client.force_login(office)
    assert client.get(url).status_code == 403
    assert "因数据分级不予显示" in client.get(resource.get_absolute_url()).content.decode()
    client.force_login(provider_staff)
    assert client.get(url).status_code == 200


def test_a_run_without_checks_or_readable_data_is_refused(category):
    resource = make_resource(category)
    with pytest.raises(services.CatalogError) as refused:
        qs.queue_run(actor=None, resource=resource)
    assert "checks" in refused.value.errors
    qs.create_check(
        actor=None, resource=resource, data=qs.CheckInput(kind="completeness", column="name")
    )
    with pytest.raises(services.CatalogError) as refused:
        qs.queue_run(actor=None, resource=resource)
    assert "distribution" in refused.value.errors


def test_scheduled_runs_follow_the_update_frequency(category):
    daily = make_resource(category, name="daily", frequency="daily")
    yearly = make_resource(category, name="yearly")
    for resource in (daily, yearly):
        attach(resource, csv_bytes(ROWS), "scenic.csv", "CSV")
        qs.create_check(
            actor=None, resource=resource, data=qs.CheckInput(kind="completeness", column="name")
        )
    from shuzheng import clock

    now = clock.now()
    assert qs.queue_due_runs(now) == 2
    assert qs.queue_due_runs(now + dt.timedelta(hours=2)) == 0
    assert qs.queue_due_runs(now + dt.timedelta(days=2)) == 1
    assert QualityRun.objects.filter(resource=daily).count() == 2


def bearer(user, scopes=("read", "write")):
    from shuzheng.accounts.services import create_token

    _token, secret = create_token(user, name="test", scopes=list(scopes), actor=None)
    return {"Authorization": f"Bearer {secret}"}


def test_the_api_declares_runs_and_reports_checks(category, client, provider_staff, office):
    resource = make_resource(category)
    attach(resource, csv_bytes(ROWS), "scenic.csv", "CSV")
    headers = bearer(provider_staff)
    base = f"/api/v1/catalog/resources/{resource.pk}"
    nothing = client.post(f"{base}/quality-runs", headers=headers)
    assert nothing.status_code == 422 and nothing.json()["detail"][0]["loc"] == ["body", "checks"]
    bad = client.post(
        f"{base}/quality-checks",
        {"kind": "range", "column": "visitors"},
        content_type="application/json",
        headers=headers,
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "minimum"]
    made = client.post(
        f"{base}/quality-checks",
        {"kind": "range", "column": "visitors", "minimum": "0"},
        content_type="application/json",
        headers=headers,
    )
    assert made.status_code == 201, made.content
    check_id = made.json()["id"]
    changed = client.put(
        f"/api/v1/catalog/quality-checks/{check_id}",
        {"kind": "range", "column": "visitors", "minimum": "0", "maximum": "100"},
        content_type="application/json",
        headers=headers,
    )
    assert changed.status_code == 200 and changed.json()["parameters"] == {"min": "0", "max": "100"}
    listed = client.get(f"{base}/quality-checks", headers=headers).json()
    assert [item["id"] for item in listed["items"]] == [check_id]
    queued = client.post(f"{base}/quality-runs", headers=headers)
    assert queued.status_code == 202 and queued.json()["state"] == "queued"
    qs.run_quality_job(queued.json()["id"])
    runs = client.get(f"{base}/quality-runs", headers=headers).json()["items"]
    assert runs[0]["state"] == "done" and runs[0]["failing_rows"] == 2
    assert runs[0]["results"][0] | {"examples": None} == {
        "check_id": check_id,
        "kind": "range",
        "column": "visitors",
        "checked": 5,
        "failed": 2,
        "passed": False,
        "examples": None,
    }
    assert runs[0]["failing_rows_url"].endswith("failing-rows.csv")
    detail = client.get(f"/api/v1/catalog/quality-runs/{runs[0]['id']}", headers=bearer(office))
    assert detail.status_code == 200 and detail.json()["results"][0]["examples"]
    gone = client.delete(f"/api/v1/catalog/quality-checks/{check_id}", headers=headers)
    assert gone.status_code == 204 and not QualityCheck.objects.exists()


def test_the_api_hides_failing_values_of_important_data_from_the_office(
    category, client, office, other_staff
):
    resource = make_resource(category, grade="important")
    attach(resource, csv_bytes(ROWS), "scenic.csv", "CSV")
    declare(resource)
    run = run_now(resource)
    answer = client.get(f"/api/v1/catalog/quality-runs/{run.pk}", headers=bearer(office)).json()
    assert answer["failing_rows_url"] == ""
    assert all(result["examples"] == [] for result in answer["results"])
    assert (
        client.get(
            f"/api/v1/catalog/quality-runs/{run.pk}", headers=bearer(other_staff)
        ).status_code
        == 403
    )


def test_a_read_only_token_reads_checks_and_runs_but_changes_nothing(
    category, client, provider_staff
):
    resource = make_resource(category)
    attach(resource, csv_bytes(ROWS), "scenic.csv", "CSV")
    declare(resource)
    check = QualityCheck.objects.filter(resource=resource).first()
    run = run_now(resource)
    headers = bearer(provider_staff, scopes=("read",))
    base = f"/api/v1/catalog/resources/{resource.pk}"
    assert client.get(f"{base}/quality-checks", headers=headers).status_code == 200
    assert client.get(f"/api/v1/catalog/quality-runs/{run.pk}", headers=headers).status_code == 200
    refused = [
        client.post(
            f"{base}/quality-checks",
            {"kind": "completeness", "column": "visitors"},
            content_type="application/json",
            headers=headers,
        ),
        client.delete(f"/api/v1/catalog/quality-checks/{check.pk}", headers=headers),
        client.post(f"{base}/quality-runs", headers=headers),
    ]
    assert [answer.status_code for answer in refused] == [403, 403, 403]
    assert QualityCheck.objects.filter(pk=check.pk).exists()
    assert QualityRun.objects.filter(resource=resource).count() == 1
