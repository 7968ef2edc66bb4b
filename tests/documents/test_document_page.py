"""The document page reads like the official text (issue 14): no raw Markdown, the
GB/T 9704-2012 elements each in its place, the print view, the original's download,
related documents and the 政策解读 linked both ways."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from shuzheng.accounts.models import User
from shuzheng.documents.models import Document, SourceOriginal
from shuzheng.documents.services import ingest_file
from shuzheng.orgs.services import load_sample_registry
from shuzheng.search import services as search
from shuzheng.search.query import SearchQuery
from tests.documents import parsed_samples as samples
from tests.documents.test_services import ingest, units  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

SAMPLE = Path(settings.BASE_DIR) / "data" / "samples" / "ningxia-gazette-2023-10.txt"
FIXTURES = Path(__file__).with_name("fixtures")
INTERPRETATION = FIXTURES / "interpretation.txt"


@pytest.fixture
def gazette():
    load_sample_registry()
    ingest_file(SAMPLE.read_bytes(), SAMPLE.name, actor=None)
    return Document.objects.get(doc_number="宁政发〔2023〕17号")


def visible_text(page: str) -> str:
    """The page's text as a reader sees it: tags, scripts and styles left out."""
    body = page[page.index("<body") :]
    return re.sub(r"<[^>]+>", "", body)


def element(page: str, css_class: str) -> str:
    match = re.search(rf'<(\w+) class="{css_class}"[^>]*>(.*?)</\1>', page, re.S)
    assert match, f"no element of class {css_class}"
    return re.sub(r"<[^>]+>", "", match.group(2)).strip()


def test_no_markdown_mark_is_shown_and_headings_are_heading_elements(client, gazette):
    page = client.get(gazette.get_absolute_url()).content.decode()
    text = visible_text(page)
    assert not re.search(r"^\s*#", text, re.M) and "##" not in text
    assert "- 附件" not in text
    assert '<h2 class="doc-heading">一、总体要求</h2>' in page
    assert '<h3 class="doc-heading">（一）指导思想。</h3>' in page
    assert '<h2 class="doc-heading">四、健全“五个一”和“六级贯通”的工作体系' in page
    assert "<th>主要任务</th>" in page  # the task list is a table, not tab-separated text


def test_the_elements_of_gb_t_9704_each_stand_in_their_place(client, gazette):
    page = client.get(gazette.get_absolute_url()).content.decode()
    assert element(page, "doc-issuer-mark") == "宁夏回族自治区人民政府"
    assert element(page, "doc-number") == "宁政发〔2023〕17号"
    assert element(page, "doc-title") == gazette.title
    assert (
        element(page, "doc-addressees") == "各市、县（区）人民政府，自治区政府各部门、各直属机构："
    )
    note = element(page, "doc-attachment-note")
    assert note.startswith("附件：1. 宁夏回族自治区数字政府“34567”体系框架（略）")
    assert element(page, "doc-issuer") == "宁夏回族自治区人民政府"
    assert element(page, "doc-date") == "2023年5月16日"
    assert element(page, "doc-note") == "（此件公开发布）"
    order = [
        page.index(f'class="{name}"')
        for name in (
            "doc-issuer-mark",
            "doc-number",
            "doc-title",
            "doc-addressees",
            "doc-body",
            "doc-attachment-note",
            "doc-signature",
            "doc-note",
            "doc-appendix",
        )
    ]
    assert order == sorted(order)
    # The head's lines are shown once, from the fields, not again as body text.
    body = page[page.index('class="doc-body"') : page.index('class="doc-attachment-note"')]
    assert "宁政发〔2023〕17号" not in body and "各直属机构：" not in body
    # The attachment's text is under the 附件 and the attachment list links it.
    appendix = page[page.index('class="doc-appendix"') :]
    assert 'id="s-附件2"' in appendix and 'href="#s-附件2"' in page


def test_every_section_anchor_is_kept(client, gazette):
    page = client.get(gazette.get_absolute_url()).content.decode()
    for anchor in gazette.sections.values_list("anchor", flat=True):
        assert f'id="{anchor}"' in page


def test_snippets_and_index_entries_read_as_prose(gazette):
    results = search.search(SearchQuery(text="自治区人民政府", kind="document"))
    assert results.hits
    for hit in results.hits:
        assert "#" not in hit.snippet
    results = search.search(SearchQuery(text="总体要求", kind="section"))
    assert results.hits and all("#" not in hit.snippet for hit in results.hits)


def test_the_print_view_is_the_official_text_without_the_site(client, gazette):
    page = client.get(reverse("documents:print", args=[gazette.pk])).content.decode()
    assert "<nav" not in page and "site-header" not in page and "site-footer" not in page
    assert element(page, "doc-title") == gazette.title
    assert '<h2 class="doc-heading">一、总体要求</h2>' in page
    assert "documents/document.css" in page


def test_the_original_file_is_downloaded_as_it_was_uploaded(client, gazette):
    answer = client.get(reverse("documents:original", args=[gazette.pk]))
    assert answer.status_code == 200
    assert answer.content == SAMPLE.read_bytes()
    assert answer["Content-Type"] == "text/plain; charset=utf-8"
    assert answer["Content-Disposition"] == f'attachment; filename="{SAMPLE.name}"'
    page = client.get(gazette.get_absolute_url()).content.decode()
    assert reverse("documents:original", args=[gazette.pk]) in page


def test_a_gb18030_original_keeps_its_bytes_name_and_charset(client, units):  # noqa: F811
    data = (FIXTURES / "notice-gb18030.txt").read_bytes()
    ingest_file(data, "自治区通知.txt", actor=None)
    document = Document.objects.get(source__name="自治区通知.txt")
    answer = client.get(reverse("documents:original", args=[document.pk]))
    assert answer.content == data
    assert answer["Content-Type"] == "text/plain; charset=gb18030"
    assert answer["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E8%87%AA%E6%B2%BB%E5%8C%BA%E9%80%9A%E7%9F%A5.txt"
    )


def test_without_a_kept_original_there_is_no_download(client, units):  # noqa: F811
    ingest(samples.build_result())
    notice = Document.objects.get(doc_number=samples.NOTICE_NUMBER)
    SourceOriginal.objects.all().delete()
    assert client.get(reverse("documents:original", args=[notice.pk])).status_code == 404
    page = client.get(notice.get_absolute_url()).content.decode()
    assert reverse("documents:original", args=[notice.pk]) not in page


def test_the_original_of_an_internal_document_is_for_government_roles(client, units):  # noqa: F811
    ingest(samples.build_result())
    notice = Document.objects.get(doc_number=samples.NOTICE_NUMBER)
    Document.objects.filter(pk=notice.pk).update(disclosure="not_public")
    url = reverse("documents:original", args=[notice.pk])
    assert client.get(url).status_code == 302
    client.force_login(User.objects.create_user("citizen-test", role="citizen"))
    assert client.get(url).status_code == 403
    client.force_login(User.objects.create_user("staff-test", role="unit_staff"))
    assert client.get(url).content == samples.build_result().text.encode()


def related(page: str, relation: str) -> list[str]:
    return re.findall(rf'<a href="([^"]+)" data-relation="{relation}">', page)


def test_related_documents_link_both_ways(client, units):  # noqa: F811
    ingest(samples.build_result())
    ingest(samples.cited_result())
    notice = Document.objects.get(doc_number=samples.NOTICE_NUMBER)
    opinion = Document.objects.get(title=samples.OPINION_TITLE)
    cited = Document.objects.get(doc_number=samples.CITED_NUMBER)

    opinion_page = client.get(opinion.get_absolute_url()).content.decode()
    assert related(opinion_page, "cites") == [cited.get_absolute_url()]
    assert related(opinion_page, "transmitted-by") == [notice.get_absolute_url()]
    cited_page = client.get(cited.get_absolute_url()).content.decode()
    assert related(cited_page, "cited-by") == [opinion.get_absolute_url()]
    notice_page = client.get(notice.get_absolute_url()).content.decode()
    assert related(notice_page, "transmits") == [opinion.get_absolute_url()]


def test_a_related_document_not_public_is_not_linked_for_the_public(client, units):  # noqa: F811
    ingest(samples.build_result())
    ingest(samples.cited_result())
    opinion = Document.objects.get(title=samples.OPINION_TITLE)
    Document.objects.filter(doc_number=samples.CITED_NUMBER).update(disclosure="not_public")
    page = client.get(opinion.get_absolute_url()).content.decode()
    assert related(page, "cites") == []


def test_an_interpretation_and_its_document_link_both_ways(client, gazette):
    ingest_file(INTERPRETATION.read_bytes(), INTERPRETATION.name, actor=None)
    interpretation = Document.objects.get(title__contains="政策解读")

    page = client.get(gazette.get_absolute_url()).content.decode()
    assert related(page, "interpretation") == [interpretation.get_absolute_url()]
    assert 'class="interpretation-link"' in page
    assert interpretation.get_absolute_url() not in "".join(related(page, "cited-by"))
    back = client.get(interpretation.get_absolute_url()).content.decode()
    assert related(back, "interprets") == [gazette.get_absolute_url()]
    assert related(back, "cites") == []


def test_chinese_labels_of_the_new_parts(client, gazette):
    ingest_file(INTERPRETATION.read_bytes(), INTERPRETATION.name, actor=None)
    page = client.get(gazette.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = page.content.decode()
    for label in ("打印版", "下载原件", "相关文件", "公文信息", "政策解读：", "本文件的政策解读"):
        assert label in body


def test_a_paragraph_broken_at_a_page_end_is_one_paragraph(client, gazette):
    """The sample breaks 持续深化黄河宁 / 夏段干支流 across a page: the page and the index show
    one paragraph (the stored text is not rewritten; the parser says where it breaks)."""
    opinion = Document.objects.get(title="关于深化生态保护补偿制度改革的实施意见")
    assert "持续深化黄河宁\n\n夏段干支流" in opinion.text
    page = client.get(opinion.get_absolute_url()).content.decode()
    assert "持续深化黄河宁夏段干支流" in page and "黄河宁</p>" not in page
    results = search.search(SearchQuery(text="黄河宁夏段干支流", kind="section"))
    assert any(
        "黄河宁夏段干支流" in hit.snippet.replace("<mark>", "").replace("</mark>", "")
        for hit in results.hits
    )
