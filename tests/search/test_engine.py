"""The search engine (tantivy) and its outbox (issue 13, item 1): the database is the source
of truth; changes reach the engine through ``search_outbox`` rows written in the changing
transaction and applied after commit; several processes read one index; ``shuzheng reindex
--verify`` names what differs. Runs on SQLite and PostgreSQL."""

import dataclasses
import datetime
import subprocess
import sys
import textwrap

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from shuzheng.search import services
from shuzheng.search.backends.tantivy_index import IndexBusy, TantivyIndex
from shuzheng.search.models import SearchEntry, SearchOutbox
from shuzheng.search.query import SearchQuery
from tests.search.sample_items import DIGITAL_GOVERNMENT, ECO_COMPENSATION

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def on_disk(settings, tmp_path):
    """These tests use the index as production does: a directory several processes open."""
    settings.SEARCH_INDEX_IN_MEMORY = False
    settings.SEARCH_INDEX_DIR = tmp_path / "search-index"


def engine_ids(text):
    return {hit.object_id for hit in services.search(SearchQuery(text=text, per_page=100)).hits}


def test_applied_changes_leave_the_outbox_and_reach_the_engine(indexed, run_search):
    assert not SearchOutbox.objects.exists()
    assert services.engine().num_docs() == SearchEntry.objects.count()
    assert run_search("一网通办").total > 0


def test_the_outbox_row_is_written_in_the_changing_transaction(indexed, settings):
    settings.SEARCH_INDEX_AT_ONCE = False
    items = [i for i in indexed if i.document_id == DIGITAL_GOVERNMENT]
    with pytest.raises(RuntimeError), transaction.atomic():
        services.replace_document_entries(DIGITAL_GOVERNMENT, items[:1])
        assert SearchOutbox.objects.filter(document_id=DIGITAL_GOVERNMENT).exists()
        raise RuntimeError("roll back")
    # Rolled back: neither the entries nor the outbox row changed, the engine neither.
    assert not SearchOutbox.objects.exists()
    assert SearchEntry.objects.filter(document_id=DIGITAL_GOVERNMENT).count() == len(items)
    assert services.engine().num_docs() == SearchEntry.objects.count()


def test_a_change_is_applied_after_commit_not_before(indexed, settings, run_search):
    settings.SEARCH_INDEX_AT_ONCE = False
    before = run_search("一网通办").total
    with transaction.atomic():
        removed = services.delete_document_entries(DIGITAL_GOVERNMENT)
        # Not committed yet: the engine still answers as before.
        assert services.engine().num_docs() == SearchEntry.objects.count() + removed
    # pytest's transaction never commits; the after-commit step is what runs on commit.
    assert SearchOutbox.objects.filter(document_id=DIGITAL_GOVERNMENT).exists()
    services.apply_outbox_quietly()
    assert not SearchOutbox.objects.exists()
    assert run_search("一网通办").total < before
    assert services.engine().num_docs() == SearchEntry.objects.count()


def test_a_busy_writer_leaves_the_change_for_the_worker(indexed, settings, run_search):
    from shuzheng.search.tasks import apply_search_outbox

    settings.SEARCH_INDEX_AT_ONCE = False
    other = TantivyIndex(settings.SEARCH_INDEX_DIR)  # another process's handle
    with other.writer():
        services.delete_document_entries(DIGITAL_GOVERNMENT)
        services.apply_outbox_quietly()  # what runs after commit: busy, so it leaves it
        assert SearchOutbox.objects.exists()
        with pytest.raises(IndexBusy):
            services.apply_outbox()
    assert apply_search_outbox.call() == "1 change(s) applied"
    assert not SearchOutbox.objects.exists()
    hits = services.search(SearchQuery(text="数据", per_page=100)).hits
    assert all(hit.document_id != DIGITAL_GOVERNMENT for hit in hits)


def test_a_reader_in_another_index_handle_sees_each_commit(indexed, settings):
    reader = TantivyIndex(settings.SEARCH_INDEX_DIR)
    count = reader.num_docs()
    assert count == SearchEntry.objects.count()
    services.delete_document_entries(DIGITAL_GOVERNMENT)
    assert reader.num_docs() == SearchEntry.objects.count() < count


def test_a_new_index_directory_catches_up_from_the_outbox(indexed, settings, run_search, tmp_path):
    """A process whose index is gone or behind (a new server, a lost volume): the
    whole-index row that ``migrate`` and ``reindex`` queue copies the database again."""
    expected = run_search("一网通办").total
    settings.SEARCH_INDEX_DIR = tmp_path / "fresh"
    settings.SEARCH_INDEX_AT_ONCE = False
    services.queue_changes([None])
    services._caught_up.clear()
    assert run_search("一网通办").total == expected
    assert not SearchOutbox.objects.exists()


def test_another_process_reads_the_index_the_tests_wrote(indexed, settings):
    """Several web processes read one index: a separate Python process opens the directory
    read-only and finds what this process committed."""
    script = textwrap.dedent(
        f"""
        import tantivy
        from shuzheng.search.backends.tantivy_index import TantivyIndex
        from pathlib import Path
        print(TantivyIndex(Path({str(settings.SEARCH_INDEX_DIR)!r})).num_docs())
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert int(out.stdout.strip()) == SearchEntry.objects.count()


def test_verify_names_entries_that_differ(indexed, capsys):
    call_command("reindex", "--verify")
    assert "holds the" in capsys.readouterr().out
    entry = SearchEntry.objects.filter(kind="section").first()
    # Changed behind the outbox's back: the engine no longer matches the database.
    SearchEntry.objects.filter(pk=entry.pk).update(body_tokens="改过 的 内容")
    gone = SearchEntry.objects.filter(kind="task").first()
    SearchEntry.objects.filter(pk=gone.pk).delete()
    with pytest.raises(CommandError) as failure:
        call_command("reindex", "--verify")
    assert failure.value.returncode == 1
    out = capsys.readouterr().out
    assert f"1 entries differing from the database: ids {entry.pk}" in out
    assert f"1 entries in the search engine only: ids {gone.pk}" in out
    call_command("reindex")
    call_command("reindex", "--verify")


def test_date_sort_is_newest_first(indexed, run_search):
    older = [
        dataclasses.replace(item, published_on=datetime.date(2019, 3, 1), year=2019)
        for item in indexed
        if item.document_id == ECO_COMPENSATION
    ]
    services.replace_document_entries(ECO_COMPENSATION, older)
    by_relevance = run_search("生态 保护", per_page=100)
    by_date = run_search("生态 保护", sort="date", per_page=100)
    assert by_date.total == by_relevance.total
    relevance_dates = [hit.published_on for hit in by_relevance.hits]
    dates = [hit.published_on for hit in by_date.hits]
    assert len(set(dates)) == 2 and relevance_dates != sorted(relevance_dates, reverse=True)
    assert dates == sorted(dates, reverse=True)


def test_a_document_restricted_search_sees_the_callers_uncommitted_entries(indexed, settings):
    """Subscriptions look at what an ingest just stored, inside its transaction: a small
    temporary index of those documents, read from the database."""
    settings.SEARCH_INDEX_AT_ONCE = False
    items = [i for i in indexed if i.document_id == DIGITAL_GOVERNMENT]
    changed = [
        dataclasses.replace(items[1], body=items[1].body + "量子通信试点"),
        *items[2:],
    ]
    query = SearchQuery(text="量子通信", document_ids=(DIGITAL_GOVERNMENT,))
    services.search(SearchQuery(text="数据"))  # this process has caught up with the outbox
    with transaction.atomic():
        services.replace_document_entries(DIGITAL_GOVERNMENT, [items[0], *changed])
        assert services.search(query).total == 1
        # The installation's engine does not have it before the commit.
        assert services.search(SearchQuery(text="量子通信")).total == 0
