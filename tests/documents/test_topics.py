"""主题分类 of documents (issue 14, point 3): proposed at ingest, shown and explained on the
document page, edited by the people who ingest, audited, and carried into the index items."""

import pytest
from django.urls import reverse

from shuzheng.accounts.models import User
from shuzheng.audit.models import AuditEvent
from shuzheng.documents.models import Document
from shuzheng.search.sources import source_items
from tests.documents import parsed_samples as samples
from tests.documents.test_services import ingest, units  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def opinion(units):  # noqa: F811
    ingest(samples.build_result())
    return Document.objects.get(title=samples.OPINION_TITLE)


@pytest.fixture
def editor():
    return User.objects.create_user("editor-test", role="administrator")


def test_ingest_proposes_the_topics_and_every_item_carries_them(opinion):
    assert opinion.topics == ["01"] and not opinion.topics_edited
    items = source_items([opinion.pk])
    assert {item.kind for item in items} == {"document", "section", "task"}
    assert {item.topics for item in items} == {("01",)}


def test_the_documents_own_topic_line_is_taken_over_a_proposal(client, units):  # noqa: F811
    ingest(samples.build_result(opinion_extra="主题分类：科技、教育\n"))
    opinion = Document.objects.get(title=samples.OPINION_TITLE)
    assert opinion.topics == ["10"] and not opinion.topics_edited
    body = client.get(opinion.get_absolute_url()).content.decode()
    assert 'data-topic="10"' in body and "proposed from the words" not in body


def test_the_api_gives_the_topic_codes(client, opinion):
    answer = client.get(f"/api/v1/documents/{opinion.pk}").json()
    assert answer["topics"] == ["01"]


def test_the_page_names_the_topic_links_its_search_and_says_why(client, opinion):
    body = client.get(opinion.get_absolute_url()).content.decode()
    assert 'data-topic="01"' in body and "/search/?topic=01" in body
    assert "General government affairs" in body
    assert "proposed from the words 政务数据" in body
    assert "Change the topics" not in body  # the editor is for those who ingest


def test_an_editor_sets_the_topics_audited_and_indexed(client, opinion, editor):
    client.force_login(editor)
    assert "Change the topics" in client.get(opinion.get_absolute_url()).content.decode()
    answer = client.post(
        reverse("documents:topics", args=[opinion.pk]), {"topics": ["10", "03"]}, follow=True
    )
    opinion.refresh_from_db()
    assert opinion.topics == ["03", "10"] and opinion.topics_edited
    body = answer.content.decode()
    assert "The topics were saved." in body and "proposed from the words" not in body
    event = AuditEvent.objects.get(action="documents.set_topics")
    assert event.before["topics"] == ["01"] and event.after["topics"] == ["03", "10"]
    assert event.actor_id == editor.pk
    assert {item.topics for item in source_items([opinion.pk])} == {("03", "10")}


@pytest.mark.parametrize("choice", [[], ["99"], ["01", "99"]])
def test_a_bad_choice_is_said_and_changes_nothing(client, opinion, editor, choice):
    client.force_login(editor)
    answer = client.post(
        reverse("documents:topics", args=[opinion.pk]), {"topics": choice}, follow=True
    )
    assert answer.status_code == 200
    body = answer.content.decode()
    assert "Choose at least one topic." in body or "is not one of the available choices" in body
    opinion.refresh_from_db()
    assert opinion.topics == ["01"] and not opinion.topics_edited
    assert not AuditEvent.objects.filter(action="documents.set_topics").exists()


def test_a_new_version_keeps_the_topics_an_editor_gave(client, opinion, editor):
    client.force_login(editor)
    client.post(reverse("documents:topics", args=[opinion.pk]), {"topics": ["09"]})
    ingest(samples.build_result(opinion_extra="本意见自印发之日起施行。\n", name="v2.txt"))
    newer = Document.objects.get(title=samples.OPINION_TITLE, is_current=True)
    assert newer.pk != opinion.pk
    assert newer.topics == ["09"] and newer.topics_edited
    assert {item.topics for item in source_items([newer.pk])} == {("09",)}


def test_the_page_names_topics_in_chinese(client, opinion):
    body = client.get(opinion.get_absolute_url(), headers={"accept-language": "zh-hans"})
    text = body.content.decode()
    assert "综合政务" in text and "主题分类" in text
