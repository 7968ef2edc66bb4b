"""Ingestion fills the search index (issue 4, items 1–3): the sample gazette's documents,
sections and key tasks, current versions only, hits that land on their anchors with the
words marked, and ``shuzheng reindex``."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from shuzheng.documents.highlight import highlight_terms, marked_html
from shuzheng.documents.indexing import content_key, new_items
from shuzheng.documents.models import Document, Section
from shuzheng.documents.services import ingest_file
from shuzheng.orgs.services import load_sample_registry
from shuzheng.search import services as search
from shuzheng.search.models import SearchEntry
from shuzheng.search.query import SearchQuery
from shuzheng.search.sources import source_items
from shuzheng.tasks.models import KeyTask

pytestmark = pytest.mark.django_db

SAMPLE = Path(settings.BASE_DIR) / "data" / "samples" / "ningxia-gazette-2023-10.txt"
NOTICE = (
    Path(settings.BASE_DIR) / "tests" / "subscriptions" / "fixtures" / "notice-data-sharing.txt"
)


@pytest.fixture
def sample():
    load_sample_registry()
    return ingest_file(SAMPLE.read_bytes(), SAMPLE.name, actor=None)


def entry_counts() -> dict[str, int]:
    return {
        kind: SearchEntry.objects.filter(kind=kind).count()
        for kind in ("document", "section", "task")
    }


def test_the_sample_gazette_is_indexed_on_ingest(sample):
    # 3 documents; 30 + 26 sections (the covering notice has none); 124 + 20 key tasks.
    assert entry_counts() == {"document": 3, "section": 56, "task": 144}
    assert entry_counts()["section"] == Section.objects.count()
    assert entry_counts()["task"] == KeyTask.objects.filter(document__isnull=False).count()


def test_a_task_entry_carries_its_number_units_and_deadline_years(sample, client):
    task = KeyTask.objects.get(document__doc_number="宁政发〔2023〕17号", number=89)
    results = search.search(SearchQuery(text="惠企政策精准推送", kind="task"))
    hit = next(hit for hit in results.hits if hit.object_id == task.pk)
    assert hit.task_number == "89" and hit.anchor == "task-table-89"
    by_unit = search.search(SearchQuery(text="惠企政策", kind="task", unit="政府办公厅"))
    assert task.pk in {hit.object_id for hit in by_unit.hits}
    by_year = search.search(SearchQuery(text="惠企政策", kind="task", deadline_year=2024))
    assert task.pk in {hit.object_id for hit in by_year.hits}
    page = client.get(hit.url.split("#")[0]).content.decode()
    assert 'id="task-table-89"' in page


def test_a_section_hit_opens_its_paragraph_with_the_words_marked(sample, client):
    results = search.search(SearchQuery(text="数据共享", kind="section"))
    hit = results.hits[0]
    section = Section.objects.get(pk=hit.object_id)
    assert hit.anchor == section.anchor
    path, _, anchor = hit.highlighted_url.partition("#")
    assert anchor == section.anchor and "?hl=" in path
    page = client.get(path).content.decode()
    block = page[page.index(f'id="{section.anchor}"') :]
    block = block[: block.index("</div>")]
    assert "<mark>数据</mark>" in block and "<mark>共享</mark>" in block
    assert "<mark>" not in client.get(f"/documents/{section.document_id}/").content.decode()


def test_search_can_be_limited_to_some_documents(sample):
    opinion = Document.objects.get(doc_number="宁政发〔2023〕17号")
    everywhere = search.search(SearchQuery(text="生态", per_page=100))
    assert len({hit.document_id for hit in everywhere.hits}) > 1
    limited = search.search(SearchQuery(text="生态", document_ids=(opinion.pk,), per_page=100))
    assert 0 < limited.total < everywhere.total
    assert {hit.document_id for hit in limited.hits} == {opinion.pk}
    assert search.search(SearchQuery(text="生态", document_ids=(0,))).total == 0
    with pytest.raises(ValueError):
        SearchQuery(document_ids=("x",))


def test_a_new_version_replaces_the_old_ones_entries(db):
    load_sample_registry()
    text = NOTICE.read_text(encoding="utf-8")
    ingest_file(text.encode(), "v1.txt", actor=None)
    first = Document.objects.get()
    ingest_file(text.replace("社会保险", "社会保险、住房公积金").encode(), "v2.txt", actor=None)
    second = Document.objects.get(is_current=True)
    assert second.previous_version_id == first.pk
    assert not SearchEntry.objects.filter(document_id=first.pk).exists()
    assert SearchEntry.objects.filter(document_id=second.pk).count() == 3
    hits = search.search(SearchQuery(text="住房公积金"))
    assert {hit.document_id for hit in hits.hits} == {second.pk}


def test_new_items_of_a_version_are_the_document_and_its_changed_parts(db):
    load_sample_registry()
    text = NOTICE.read_text(encoding="utf-8")
    ingest_file(text.encode(), "v1.txt", actor=None)
    ingest_file(text.replace("社会保险", "社会保险、住房公积金").encode(), "v2.txt", actor=None)
    second = Document.objects.get(is_current=True)
    current = source_items([second.pk])
    previous = source_items([second.previous_version_id])
    fresh = new_items(current, previous)
    assert [(item.kind, item.heading) for item in fresh] == [
        ("document", ""),
        ("section", "深化涉企数据共享"),
    ]
    unchanged = next(item for item in current if item.heading == "支持中小企业发展")
    before = next(item for item in previous if item.heading == "支持中小企业发展")
    assert content_key(unchanged) == content_key(before) and unchanged.object_id != before.object_id


def test_a_document_not_public_is_indexed_as_not_public(db):
    load_sample_registry()
    text = NOTICE.read_text(encoding="utf-8").replace("（此件公开发布）", "")
    ingest_file(text.encode(), "internal.txt", actor=None)
    assert set(SearchEntry.objects.values_list("is_public", flat=True)) == {False}
    assert search.search(SearchQuery(text="惠企政策")).total == 0


def test_reindex_rebuilds_every_current_document(sample):
    SearchEntry.objects.all().delete()
    out = StringIO()
    call_command("reindex", stdout=out)
    assert entry_counts() == {"document": 3, "section": 56, "task": 144}
    assert "Indexed 203 entries (3 documents, 56 sections, 144 tasks)." in out.getvalue()


def test_highlighting_escapes_the_text_and_marks_only_the_terms():
    assert highlight_terms("数据 共享 数据 " + "长" * 51) == ["数据", "共享"]
    html = marked_html("<b>数据</b>共享\n第二行\n\n第二段", ["数据", "共享"])
    assert html == (
        "<p>&lt;b&gt;<mark>数据</mark>&lt;/b&gt;<mark>共享</mark><br>第二行</p>\n\n<p>第二段</p>"
    )
