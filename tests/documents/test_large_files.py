"""Large files (issue 9, item 5): ingestion prepares outside its transaction, so other
writers are not blocked while a file is parsed and prepared; a file too large for its
format is refused before any work."""

import re
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.tasks import TaskResultStatus
from django.urls import reverse
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from shuzheng.accounts.models import User
from shuzheng.accounts.services import create_token
from shuzheng.audit.models import AuditEvent
from shuzheng.documents import pipeline, services
from shuzheng.documents.choices import IngestJobStatus
from shuzheng.documents.models import Document, IngestJob, SourceFile
from shuzheng.documents.parsing.formats_common import ExtractionError
from shuzheng.documents.services import IngestionError, ingest_file, size_limit
from shuzheng.orgs.models import Region
from shuzheng.search import services as search_services
from shuzheng.search.models import SearchEntry
from shuzheng.search.sources import source_items
from shuzheng.tasks.models import KeyTask
from tests.documents import parsed_samples as samples
from tests.documents.test_services import ingest, units  # noqa: F401 - fixture


def write_from_another_connection() -> str:
    """A report-like write by another request: a row committed on its own connection (its
    own thread), as a concurrent POST would. "written", or the database's complaint."""
    outcome = []

    def write():
        try:
            with transaction.atomic():
                Region.objects.create(code="640500", name="中卫市", level="city")
            outcome.append("written")
        except Exception as exc:  # the complaint is the test's answer
            outcome.append(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()

    thread = threading.Thread(target=write)
    thread.start()
    thread.join()
    return outcome[0]


@pytest.mark.django_db(transaction=True)
def test_another_connection_writes_while_the_file_is_prepared(monkeypatch, units):  # noqa: F811
    """The index tokens are the costliest preparation: while they are cut, ingestion has no
    transaction open and another connection's write commits at once (before issue 9, they
    were cut inside the transaction, which on SQLite holds the database's write lock)."""
    seen = []
    real_segment = search_services.segment

    def segment_during_a_concurrent_write(item, seg):
        if not seen:
            seen.append((connection.in_atomic_block, write_from_another_connection()))
        return real_segment(item, seg)

    monkeypatch.setattr(search_services, "segment", segment_during_a_concurrent_write)
    report = ingest(samples.build_result())

    assert seen == [(False, "written")]
    assert Region.objects.filter(code="640500").exists()
    assert report.count("created") == 2 and SearchEntry.objects.exists()


@pytest.mark.django_db
def test_the_prepared_index_items_are_the_ones_the_sources_give(units):  # noqa: F811
    """What ingestion drafted before its rows had ids is what ``shuzheng reindex`` builds
    from the stored rows: same items, same order."""
    ingest(samples.build_result())
    ids = list(Document.objects.order_by("pk").values_list("pk", flat=True))
    stored = {
        document_id: list(SearchEntry.objects.filter(document_id=document_id).order_by("pk"))
        for document_id in ids
    }
    for document_id in ids:
        expected = source_items([document_id])
        assert [
            (e.kind, e.object_id, e.body, e.year, e.published_on) for e in stored[document_id]
        ] == [(i.kind, i.object_id, i.body, i.year, i.published_on) for i in expected]


@pytest.mark.django_db
def test_a_file_over_its_formats_limit_is_refused_before_any_work(settings):
    settings.INGEST_MAX_MB = {**settings.INGEST_MAX_MB, "txt": 1, "pdf": 2}
    assert size_limit("gazette.TXT") == 1024 * 1024
    assert size_limit("scan.pdf") == 2 * 1024 * 1024
    parsed = []

    with pytest.raises(IngestionError) as refused:
        ingest_file(
            b"x" * (1024 * 1024 + 1),
            "gazette.txt",
            actor=None,
            parse=lambda data, name: parsed.append(name),
        )

    assert refused.value.message == (
        "The file is 1.0 MB; files of this format may be at most 1 MB. Split it into smaller files."
    )
    assert parsed == []  # refused before the parser saw it
    assert not SourceFile.objects.exists() and not AuditEvent.objects.exists()


@pytest.mark.django_db
@pytest.mark.chinese_ui
def test_the_size_refusal_is_in_chinese(settings):
    settings.INGEST_MAX_MB = {**settings.INGEST_MAX_MB, "txt": 1}
    with pytest.raises(IngestionError) as refused:
        ingest_file(b"x" * (2 * 1024 * 1024), "gazette.txt", actor=None)
    assert (
        refused.value.message
        == "文件大小为 2.0 MB，此格式的文件最大为 1 MB。请拆分为较小的文件后再上传。"
    )


@pytest.mark.django_db
def test_a_file_at_its_limit_is_ingested(settings, units):  # noqa: F811
    result = samples.build_result()
    data = result.text.encode()
    settings.INGEST_MAX_MB = {**settings.INGEST_MAX_MB, "txt": 1}
    assert len(data) <= size_limit("notice.txt")
    report = ingest_file(data, "notice.txt", actor=None, parse=lambda data, name: result)
    assert report.count("created") == 2 and KeyTask.objects.count() == 3


# -- large uploads in the worker ---------------------------------------------------------


@pytest.fixture
def background(settings, tmp_path, monkeypatch):
    """Every upload goes to the worker; kept files go under tmp_path; the sample parse."""
    settings.INGEST_BACKGROUND_MB = 0
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(
        services, "_default_parse", lambda data, name: samples.build_result(name=name)
    )
    return tmp_path / "media"


@pytest.fixture
def ingester():
    return User.objects.create_user("ingester", role="administrator")


def run_queued_jobs() -> list[str]:
    """What a running worker does with the queue: claim each ready row, run it."""
    statuses = []
    for row in DBTaskResult.objects.ready():
        row.claim("test-worker")
        Worker(
            queue_names=["*"],
            excluded_queue_names=[],
            interval=1,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test-worker",
        ).run_task(row)
        statuses.append(DBTaskResult.objects.get(pk=row.pk).status)
    return statuses


def sample_upload(name="notice.txt", content=None):
    return SimpleUploadedFile(name, content or samples.build_result().text.encode())


@pytest.mark.django_db
def test_a_large_upload_is_queued_then_ingested_by_the_worker(
    client,
    background,
    ingester,
    units,  # noqa: F811
):
    client.force_login(ingester)
    answer = client.post(reverse("documents:ingest"), {"file": sample_upload()})

    job = IngestJob.objects.get()
    assert answer.status_code == 302 and answer["Location"] == job.get_absolute_url()
    assert job.status == IngestJobStatus.QUEUED and job.requested_by == ingester
    assert (background / job.upload.name).exists()
    assert not Document.objects.exists()  # nothing ingested in the request

    assert run_queued_jobs() == [TaskResultStatus.SUCCESSFUL]

    job.refresh_from_db()
    assert job.status == IngestJobStatus.DONE and job.finished_at is not None
    assert job.report["summary"]["created"] == 2 and job.report["summary"]["tasks"] == 3
    assert Document.objects.count() == 2 and KeyTask.objects.count() == 3
    assert not list(background.rglob("*.txt"))  # the kept upload is gone, its text stored
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", "actor_id"))
    assert actions[0] == ("documents.queue_ingest", ingester.pk)
    assert ("documents.ingest", ingester.pk) in actions
    assert actions[-1] == ("documents.finish_ingest", ingester.pk)
    assert run_queued_jobs() == []  # nothing left in the queue


@pytest.mark.django_db
def test_the_status_fragment_polls_until_the_job_is_finished(
    client,
    background,
    ingester,
    units,  # noqa: F811
):
    client.force_login(ingester)
    client.post(reverse("documents:ingest"), {"file": sample_upload()})
    job = IngestJob.objects.get()
    page = client.get(job.get_absolute_url()).content.decode()
    assert "<html" in page and 'id="ingest-job"' in page

    def fragment() -> str:
        answer = client.get(job.get_absolute_url(), headers={"HX-Request": "true"})
        assert answer.status_code == 200
        return answer.content.decode()

    queued = fragment()
    assert "<html" not in queued and 'data-status="queued"' in queued
    assert (
        'hx-trigger="every 1s"' in queued and "The file waits for the background worker." in queued
    )

    IngestJob.objects.filter(pk=job.pk).update(status=IngestJobStatus.PARSING)
    assert 'data-status="parsing"' in fragment() and 'hx-trigger="every 1s"' in fragment()

    run_queued_jobs()
    done = fragment()
    assert 'data-status="done"' in done and "hx-trigger" not in done  # polling stops
    opinion = Document.objects.get(title=samples.OPINION_TITLE)
    assert "The file was stored." in done and f'href="{opinion.get_absolute_url()}"' in done


@pytest.mark.django_db
def test_a_queued_file_that_cannot_be_used_fails_with_the_reason(
    client, background, ingester, monkeypatch
):
    def refuse(data, name):
        raise ExtractionError("scanned-pdf", "The PDF has no text layer (a scanned image).")

    monkeypatch.setattr(services, "_default_parse", refuse)
    client.force_login(ingester)
    client.post(reverse("documents:ingest"), {"file": sample_upload("scan.pdf", b"%PDF-1.7")})
    run_queued_jobs()

    job = IngestJob.objects.get()
    assert job.status == IngestJobStatus.FAILED
    assert job.error == "The PDF has no text layer (a scanned image)."
    fragment = client.get(job.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert "Nothing was stored:" in fragment and "no text layer" in fragment
    assert "hx-trigger" not in fragment
    assert not SourceFile.objects.exists()


@pytest.mark.django_db
def test_an_oversized_upload_is_refused_before_it_is_kept(client, background, ingester, settings):
    settings.INGEST_MAX_MB = {**settings.INGEST_MAX_MB, "txt": 1}
    client.force_login(ingester)
    answer = client.post(
        reverse("documents:ingest"), {"file": sample_upload(content=b"x" * (1024 * 1024 + 1))}
    )
    assert answer.status_code == 400
    assert "files of this format may be at most 1 MB" in answer.content.decode()
    assert not IngestJob.objects.exists() and not DBTaskResult.objects.exists()
    assert not background.exists() or not list(background.rglob("*"))


@pytest.mark.django_db
def test_the_api_answers_a_large_upload_with_202_and_a_status_url(
    client,
    background,
    ingester,
    units,  # noqa: F811
):
    _token, secret = create_token(ingester, name="t", scopes=["read", "write"], actor=None)
    bearer = {"Authorization": f"Bearer {secret}"}
    answer = client.post("/api/v1/documents/ingest", {"file": sample_upload()}, headers=bearer)

    assert answer.status_code == 202
    job = answer.json()
    assert job["status"] == "queued" and job["report"] is None
    assert job["status_url"] == f"/api/v1/documents/ingest/jobs/{job['id']}"
    assert client.get(job["status_url"], headers=bearer).json()["status"] == "queued"

    run_queued_jobs()
    done = client.get(job["status_url"], headers=bearer).json()
    assert done["status"] == "done" and done["finished_at"]
    assert done["report"]["summary"]["created"] == 2
    assert client.get("/api/v1/documents/ingest/jobs/999999", headers=bearer).status_code == 404


# -- what is prepared --------------------------------------------------------------------


@pytest.fixture
def register(monkeypatch):
    def add(name, run, order, prepare=None):
        monkeypatch.setitem(pipeline._steps, name, pipeline.IngestStep(name, run, order, prepare))

    return add


def ingest_as(result, name):
    """The same parse result from other bytes (another file holding the same documents)."""
    return ingest_file(
        result.text.encode() + name.encode(), name, actor=None, parse=lambda data, n: result
    )


@pytest.mark.django_db
def test_documents_the_library_holds_already_are_not_prepared(register, units):  # noqa: F811
    prepared = []
    register("test.count", lambda context: None, 1, lambda context: prepared.append(context.new))
    ingest(samples.build_result())
    report = ingest_as(samples.build_result(), "again.txt")

    assert report.status == "unchanged"
    assert [len(new) for new in prepared] == [2, 0]


@pytest.mark.django_db
def test_a_document_changed_by_another_ingestion_meanwhile_stops_the_file(register, units):  # noqa: F811
    ingest(samples.build_result())

    def change_meanwhile(context):
        Document.objects.filter(title=samples.OPINION_TITLE).update(content_sha256="0" * 64)

    register("test.meanwhile", lambda context: None, 1, change_meanwhile)
    with pytest.raises(IngestionError, match="The library changed while this file was being"):
        ingest_as(samples.build_result(), "again.txt")
    assert SourceFile.objects.count() == 1 and Document.objects.count() == 2


@pytest.mark.django_db
def test_a_jobs_report_is_worded_in_the_requesters_language(
    client,
    background,
    ingester,
    units,  # noqa: F811
):
    client.force_login(ingester)
    client.post(reverse("documents:ingest"), {"file": sample_upload()})
    IngestJob.objects.update(language="zh-hans")  # asked for in Chinese; the worker is not
    run_queued_jobs()

    finding = IngestJob.objects.get().report["findings"][0]
    assert finding["code"] == "unit-unresolved"
    assert (
        re.search(r"[\u4e00-\u9fff]", finding["message"]) and "registry" not in finding["message"]
    )
