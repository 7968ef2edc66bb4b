"""Knowledge answers (即问即答, issue 15 point 5): reviewed entries citing policy paragraphs,
answers drafted from the policy library's search, expiry when a cited document is repealed."""

import datetime as dt

import pytest
from django.urls import reverse

from shuzheng import clock
from shuzheng.accounts.choices import Role
from shuzheng.audit.models import AuditEvent
from shuzheng.documents.models import Document, Section
from shuzheng.documents.samples import ingest_sample_gazette
from shuzheng.hotline import knowledge, selectors
from shuzheng.hotline.choices import KnowledgeState
from shuzheng.hotline.models import KnowledgeEntry
from shuzheng.hotline.samples import load_sample_hotline
from shuzheng.hotline.services import (
    KnowledgeError,
    cited_sections,
    review_knowledge,
    save_knowledge,
    withdraw_knowledge,
)
from shuzheng.orgs.models import Unit
from tests.hotline.conftest import make_user

ECO = "关于深化生态保护补偿制度改革的实施意见"
DESERT = "沙化土地封禁保护后有没有补偿？"


# --- the pure rules ---------------------------------------------------------------------------

TODAY = dt.date(2026, 12, 3)


@pytest.mark.parametrize(
    ("state", "review_on", "cited", "repealed", "expected"),
    [
        ("reviewed", TODAY, 1, 0, knowledge.ACTIVE),
        ("reviewed", TODAY - dt.timedelta(days=1), 1, 0, knowledge.REVIEW_DUE),
        ("reviewed", TODAY, 2, 1, knowledge.EXPIRED),
        ("reviewed", TODAY, 0, 0, knowledge.UNCITED),
        ("draft", TODAY, 1, 0, knowledge.DRAFT),
        ("withdrawn", TODAY, 1, 1, knowledge.WITHDRAWN),
    ],
)
def test_status(state, review_on, cited, repealed, expected):
    assert knowledge.status(state, review_on, TODAY, cited=cited, repealed=repealed) == expected


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("/documents/3/#s-二-六", (3, "s-二-六")),
        ("https://gov.example/documents/12/?hl=沙化#s-%E4%BA%8C", (12, "s-二")),
        ("/en/documents/5/#s-一", (5, "s-一")),
        ("/documents/3/", None),
        ("/tasks/3/#s-一", None),
        ("沙化土地", None),
    ],
)
def test_parse_citation(link, expected):
    assert knowledge.parse_citation(link) == expected


def split(text):
    return [word for word in text.replace("？", " ").split() if word]


def test_rank_needs_shared_words_and_prefers_the_likely_service():
    entries = [
        knowledge.Entry(1, "沙化 封禁 补偿", category="environment"),
        knowledge.Entry(2, "工资 拖欠 补偿", category="wage-arrears"),
        knowledge.Entry(3, "路灯", category="street-light"),
    ]
    found = knowledge.rank("沙化 土地 封禁 没有 补偿", entries, split)
    assert [m.entry.key for m in found] == [1]
    assert found[0].shared == ("沙化", "封禁", "补偿")
    # One shared word of three is not enough; with the likely service's bonus neither.
    assert knowledge.rank("补偿", entries, split, categories=["wage-arrears"]) == []
    assert [m.entry.key for m in knowledge.rank("路灯 不亮", entries, split)] == [3]


def test_search_texts_go_from_specific_to_single_words():
    assert knowledge.search_texts(["沙化", "封禁", "补偿"]) == ["沙化 封禁", "沙化", "封禁", "补偿"]
    assert knowledge.search_texts(["沙化"]) == ["沙化"]
    assert knowledge.search_texts([]) == []


# --- with the sample gazette --------------------------------------------------------------------


@pytest.fixture
def gazette(catalog):
    ingest_sample_gazette()


def section(path, title=ECO):
    return Section.objects.get(document__title=title, path=path)


def link(found):
    return f"/documents/{found.document_id}/#{found.anchor}"


def test_a_knowledge_answer_cites_a_paragraph_of_the_sample_gazette_and_its_link_opens_it(
    client, gazette
):
    assert "5 created" in load_sample_hotline()
    assert "5 kept" in load_sample_hotline()  # idempotent
    answer = client.get(
        reverse("hotline:answers"),
        {"description": "我家承包的沙化土地被划为封禁保护，有没有补偿？"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    html = answer.content.decode()
    assert answer.status_code == 200
    assert "健全沙化土地封禁补偿制度" in html  # the reviewed answer
    cited = section("二/(六)")
    assert f'href="{link(cited)}"' in html
    assert (
        "《深化生态保护补偿制度改革的实施意见》" in html
        and "（六）建立沙化土地生态保护补偿制度" in html
    )
    # The link opens that paragraph: the document page has the paragraph under its anchor.
    page = client.get(link(cited).split("#")[0], HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    assert f'id="{cited.anchor}"' in page.content.decode()
    assert "对暂不具备治理条件和因保护生态不宜开发利用的连片沙化土地" in page.content.decode()


def test_a_paragraph_of_the_policy_library_is_drafted_when_no_entry_answers(client, gazette):
    answer = client.get(reverse("hotline:answers"), {"description": "湿地保护补偿标准"})
    html = answer.content.decode()
    wetland = section("二/(四)")
    assert "<mark>" in html and "湿地" in html
    assert f"/documents/{wetland.document_id}/" in html and f"#{wetland.anchor}" in html
    # Drafts are not offered to the public as knowledge entries to write.
    assert reverse("hotline:knowledge_new") not in html


def test_nothing_typed_or_nothing_found_says_so(client, gazette):
    assert (
        "appear as the description is typed"
        in client.get(reverse("hotline:answers")).content.decode()
    )
    none = client.get(reverse("hotline:answers"), {"description": "zzzz qqqq"}).content.decode()
    assert "No answer cites a paragraph" in none


def test_the_console_shows_answers_with_their_sources(client, gazette):
    load_sample_hotline()
    client.force_login(make_user("operator", Role.SUPERVISOR))
    hints = client.post(
        reverse("hotline:console_hints"),
        {"description": "反映一下，12345热线都能受理哪些诉求，还有哪些渠道", "address_string": ""},
    ).content.decode()
    digital = section("五/(七)", "自治区人民政府关于加强数字政府建设的实施意见")
    assert "12345政务服务便民热线为枢纽" in hints
    assert f'href="{link(digital)}"' in hints


def entry_of(owner, **changes):
    values = {
        "question": "湿地保护有没有补偿",
        "answer": "有，见湿地生态保护补偿制度。",
        "owner": owner,
        "review_on": clock.today() + dt.timedelta(days=30),
        "sections": [section("二/(四)")],
        "keywords": "湿地 补偿",
        "actor": None,
    }
    return save_knowledge(None, **(values | changes))


def test_no_answer_without_a_source_and_links_must_name_a_paragraph(gazette):
    owner = Unit.objects.get(code="nx-forestry-grassland")
    with pytest.raises(KnowledgeError) as refused:
        entry_of(owner, sections=[])
    assert refused.value.field == "sources"
    for bad in (["/documents/999/#s-一"], ["https://example.org/x"], ["", "  "]):
        with pytest.raises(KnowledgeError):
            cited_sections(bad, actor=None)
    found = section("二/(四)")
    assert cited_sections([f"http://localhost{link(found)}", link(found)], actor=None) == [found]
    assert not KnowledgeEntry.objects.exists()


def test_an_entry_answers_once_reviewed_and_expires_when_its_document_is_repealed(gazette):
    owner = Unit.objects.get(code="nx-forestry-grassland")
    entry = entry_of(owner)
    assert AuditEvent.objects.filter(action="hotline.save_knowledge").count() == 1
    assert not selectors.active_knowledge().exists()
    with pytest.raises(KnowledgeError):
        review_knowledge(entry, review_on=clock.today(), actor=None)
    review_knowledge(entry, review_on=clock.today() + dt.timedelta(days=90), actor=None)
    assert list(selectors.active_knowledge()) == [entry]
    # Changing a reviewed entry makes it a draft again.
    entry = entry_of(owner, question="改过的问题")
    edited = save_knowledge(
        KnowledgeEntry.objects.get(question="湿地保护有没有补偿"),
        question="湿地保护有没有补偿？",
        answer="有。",
        owner=owner,
        review_on=clock.today() + dt.timedelta(days=5),
        sections=[section("二/(四)")],
        actor=None,
    )
    assert edited.state == KnowledgeState.DRAFT
    review_knowledge(edited, review_on=clock.today() + dt.timedelta(days=5), actor=None)
    assert edited in selectors.active_knowledge()
    # The document is repealed (失效): the entry expires and cannot be reviewed again.
    Document.objects.filter(title=ECO).update(validity="expired")
    assert edited not in selectors.active_knowledge()
    [shown] = selectors.with_status(list(selectors.knowledge_entries().filter(pk=edited.pk)))
    assert shown.status == knowledge.EXPIRED
    with pytest.raises(KnowledgeError):
        review_knowledge(edited, review_on=clock.today() + dt.timedelta(days=5), actor=None)
    with pytest.raises(KnowledgeError):
        cited_sections([link(section("二/(四)"))], actor=None)
    withdraw_knowledge(edited, reason="政策已废止", actor=None)
    assert AuditEvent.objects.filter(action="hotline.withdraw_knowledge").exists()


def test_staff_write_entries_for_their_unit_and_the_head_reviews(client, gazette):
    forestry = Unit.objects.get(code="nx-forestry-grassland")
    staff = make_user("lincao", Role.UNIT_STAFF, forestry)
    client.force_login(staff)
    wetland = section("二/(四)")
    new = client.get(reverse("hotline:knowledge_new"), {"source": link(wetland)})
    assert new.status_code == 200 and link(wetland) in new.content.decode()
    data = {
        "question": "湿地保护有没有补偿？",
        "answer": "有。自治区健全湿地生态保护补偿制度。",
        "sources": link(wetland),
        "keywords": "湿地",
        "category": "",
        "owner": forestry.name,
        "review_on": (clock.today() + dt.timedelta(days=60)).isoformat(),
    }
    bad = client.post(reverse("hotline:knowledge_new"), data | {"sources": "不是链接"})
    assert bad.status_code == 400 and "sources" in bad.context["form"].errors
    other = client.post(reverse("hotline:knowledge_new"), data | {"owner": "宁夏回族自治区财政厅"})
    assert other.status_code == 400 and "owner" in other.context["form"].errors
    saved = client.post(reverse("hotline:knowledge_new"), data)
    entry = KnowledgeEntry.objects.get()
    assert saved.status_code == 302 and entry.created_by == staff
    # Staff cannot review; their head can.
    review = reverse("hotline:knowledge_review", args=[entry.pk])
    next_date = (clock.today() + dt.timedelta(days=90)).isoformat()
    assert client.post(review, {"review_on": next_date}).status_code == 403
    client.force_login(make_user("lincao_head", Role.UNIT_HEAD, forestry))
    client.post(review, {"review_on": next_date})
    entry.refresh_from_db()
    assert entry.state == KnowledgeState.REVIEWED and entry.review_on.isoformat() == next_date
    listing = client.get(reverse("hotline:knowledge"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert listing.status_code == 200 and "湿地保护有没有补偿？" in listing.content.decode()
    # Another unit's staff read the entry but may not change it.
    client.force_login(make_user("caizheng", Role.UNIT_STAFF, Unit.objects.get(code="nx-finance")))
    assert client.get(reverse("hotline:knowledge_detail", args=[entry.pk])).status_code == 200
    assert client.get(reverse("hotline:knowledge_edit", args=[entry.pk])).status_code == 403


def test_a_year_of_sample_requests_is_loaded_in_bulk_and_feeds_the_views(
    client, catalog, django_assert_max_num_queries
):
    from shuzheng.hotline.models import Callback, ServiceRequest
    from shuzheng.hotline.samples import load_sample_requests

    with django_assert_max_num_queries(400):
        summary = load_sample_requests()
    requests = ServiceRequest.objects.all()
    assert "requests over 365 days" in summary and requests.count() > 700
    assert not requests.filter(is_sample=False).exists()
    assert not requests.exclude(description__startswith="【示例】").exists()
    assert requests.values("region__parent").distinct().count() == 5  # every city
    assert requests.filter(state="visited").exists() and requests.filter(state="reopened").exists()
    assert Callback.objects.filter(satisfaction="dissatisfied").exists()
    assert load_sample_requests() == "kept"
    by_unit, by_region = selectors.rates_by_unit_and_region()
    assert by_unit and by_region
    assert selectors.overdue().exists()
    client.force_login(make_user("operator", Role.SUPERVISOR))
    for name in ("hotline:rates", "hotline:hot_spots", "hotline:overdue"):
        assert client.get(reverse(name)).status_code == 200
