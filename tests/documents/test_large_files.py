"""Large files (issue 9, item 5): ingestion prepares outside its transaction, so other
writers are not blocked while a file is parsed and prepared; a file too large for its
format is refused before any work."""

import threading

import pytest
from django.db import connection, transaction

from shuzheng.audit.models import AuditEvent
from shuzheng.documents.models import Document, SourceFile
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
