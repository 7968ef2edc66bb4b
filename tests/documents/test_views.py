"""The document pages: list, document page, upload (issue 3, item 7)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shuzheng.accounts.models import User
from shuzheng.documents import services
from shuzheng.documents.models import Document, SourceFile
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
def administrator():
    return User.objects.create_user("admin-test", role="administrator")


def test_the_list_shows_documents_and_filters_by_number_in_any_brackets(client, stored):
    page = client.get(reverse("documents:list"))
    assert page.status_code == 200
    assert samples.NOTICE_TITLE in page.content.decode()

    found = client.get(reverse("documents:list"), {"q": "宁政办发[2023]5号"}).content.decode()
    assert stored["notice"].get_absolute_url() in found
    assert stored["opinion"].get_absolute_url() not in found

    none = client.get(reverse("documents:list"), {"doc_type": "决定"}).content.decode()
    assert "No documents match these filters." in none


def test_the_list_answers_htmx_with_the_results_only(client, stored):
    page = client.get(reverse("documents:list"), headers={"HX-Request": "true"})
    assert "<html" not in page.content.decode()
    assert samples.OPINION_TITLE in page.content.decode()


def test_the_list_costs_the_same_queries_for_one_or_many_documents(client, stored):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("documents:list")).status_code == 200
        return len(captured)

    few = queries()
    ingest(samples.cited_result())
    ingest(samples.build_result(notice_number="宁政办发〔2023〕6号", name="other.txt"))
    assert Document.objects.filter(is_current=True).count() == 4
    assert queries() == few


def test_the_document_page_shows_metadata_contents_text_tasks_and_links(client, stored):
    opinion = stored["opinion"]
    body = client.get(opinion.get_absolute_url()).content.decode()

    assert 'id="s-二-一"' in body and 'href="#s-二-一"' in body
    assert "<caption>" in body and 'scope="row"' in body
    assert stored["notice"].get_absolute_url() in body  # transmitted by
    assert "建立数据共享考核制度。" in body
    assert "银川市人民政府" in body and "not in the registry" in body
    assert "not in the library" in body  # the cited 国发〔2022〕14号 is not stored yet
    assert "Ingestion findings" not in body  # findings are for staff


def test_the_document_page_lists_findings_for_staff(client, stored, administrator):
    client.force_login(administrator)
    body = client.get(stored["opinion"].get_absolute_url()).content.decode()
    assert "Ingestion findings" in body and "unit-unresolved" in body


def test_the_notice_page_links_the_document_it_transmits(client, stored):
    body = client.get(stored["notice"].get_absolute_url()).content.decode()
    assert stored["opinion"].get_absolute_url() in body
    assert "重点任务分工表" in body


def test_a_resolved_citation_links_the_cited_document(client, stored):
    ingest(samples.cited_result())
    cited = Document.objects.get(doc_number=samples.CITED_NUMBER)
    body = client.get(stored["opinion"].get_absolute_url()).content.decode()
    assert f'href="{cited.get_absolute_url()}"' in body


def test_the_task_table_filters_and_sorts_without_javascript(client, stored):
    url = stored["opinion"].get_absolute_url()

    def rows(**query):
        body = client.get(url, query).content.decode()
        return [number for number in (1, 2, 3) if f'id="task-inline-{number}"' in body], body

    assert rows(unit="yinchuan-gov")[0] == [1]
    assert rows(unit="nx-gov-office")[0] == [2, 3]
    assert rows(year="2023")[0] == [2]
    _, body = rows(sort="deadline")
    order = [body.index(f'id="task-inline-{number}"') for number in (2, 1, 3)]
    assert order == sorted(order)  # 2023, 2024, then the ongoing task without a year


def test_the_task_table_answers_htmx_with_the_table_only(client, stored):
    page = client.get(
        stored["opinion"].get_absolute_url(),
        {"sort": "category"},
        headers={"HX-Request": "true", "HX-Target": "task-table"},
    )
    body = page.content.decode()
    assert body.lstrip().startswith('<div id="task-table">') and "<html" not in body


def test_the_document_page_costs_a_fixed_number_of_queries(client, stored):
    def queries(document):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(document.get_absolute_url()).status_code == 200
        return len(captured)

    with_tasks = queries(stored["opinion"])
    extra = samples.build_result(opinion_extra="4. 另一项。\n")
    ingest(extra)
    newer = Document.objects.get(title=samples.OPINION_TITLE, is_current=True)
    assert queries(newer) == with_tasks


def test_a_document_not_marked_public_is_for_government_roles(client, stored):
    Document.objects.filter(pk=stored["notice"].pk).update(disclosure="not_public")
    url = stored["notice"].get_absolute_url()
    assert client.get(url).status_code == 302
    assert samples.NOTICE_TITLE not in client.get(reverse("documents:list")).content.decode()
    citizen = User.objects.create_user("citizen-test", role="citizen")
    client.force_login(citizen)
    assert client.get(url).status_code == 403
    client.force_login(User.objects.create_user("staff-test", role="unit_staff"))
    assert client.get(url).status_code == 200


def test_an_unknown_document_is_not_found(client):
    assert client.get(reverse("documents:detail", args=[999999])).status_code == 404


def test_upload_stores_the_file_and_shows_the_report(client, administrator, units, monkeypatch):  # noqa: F811
    monkeypatch.setattr(
        services, "_default_parse", lambda data, name: samples.build_result(name=name)
    )
    client.force_login(administrator)
    upload = SimpleUploadedFile("notice.txt", samples.build_result().text.encode())

    page = client.post(reverse("documents:ingest"), {"file": upload})

    body = page.content.decode()
    assert page.status_code == 200
    assert "The file was stored." in body and samples.OPINION_TITLE in body
    assert "unit-unresolved" in body
    assert SourceFile.objects.get().ingested_by == administrator


def test_upload_of_an_empty_file_explains_and_stores_nothing(client, administrator):
    client.force_login(administrator)
    page = client.post(reverse("documents:ingest"), {"file": SimpleUploadedFile("empty.txt", b"")})
    assert page.status_code == 400
    assert "Nothing was stored:" in page.content.decode()
    assert "The file is empty." in page.content.decode()
    assert SourceFile.objects.count() == 0


def test_upload_of_an_unsupported_format_explains_and_stores_nothing(client, administrator):
    client.force_login(administrator)
    page = client.post(
        reverse("documents:ingest"),
        {"file": SimpleUploadedFile("picture.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")},
    )
    assert page.status_code == 400
    assert "Nothing was stored:" in page.content.decode()
    assert SourceFile.objects.count() == 0


def test_upload_without_a_file_shows_the_form_error(client, administrator):
    client.force_login(administrator)
    page = client.post(reverse("documents:ingest"), {})
    assert page.status_code == 200
    assert 'role="alert"' in page.content.decode()
