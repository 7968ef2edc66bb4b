"""The subscriptions pages, the search page's subscribe button, the document page's follow
button and highlight, and the larger-text switch without JavaScript."""

import pytest

from shuzheng.subscriptions import services
from shuzheng.subscriptions.models import EnterpriseProfile, Subscription
from tests.subscriptions.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, citizen):
    client.force_login(citizen)
    return client


def html_of(response) -> str:
    return response.content.decode()


def test_the_search_page_offers_to_subscribe_with_the_current_query(signed_in, sample):
    page = html_of(signed_in.get("/search/", {"q": "数据共享", "kind": "section", "page": "1"}))
    assert 'action="/subscriptions/new/"' in page
    assert '<input type="hidden" name="q" value="数据共享">' in page
    assert '<input type="hidden" name="kind" value="section">' in page
    response = signed_in.post(
        "/subscriptions/new/",
        {"follow": "search", "q": "数据共享", "kind": "section", "page": "1"},
    )
    assert response.status_code == 302 and response["Location"] == "/subscriptions/"
    assert Subscription.objects.get().params == {"q": "数据共享", "kind": "section"}


def test_the_saved_search_keeps_its_facet_filter(signed_in, sample):
    data = {"follow": "search", "q": "数据共享", "issuer": "宁夏回族自治区人民政府"}
    signed_in.post("/subscriptions/new/", data)
    subscription = Subscription.objects.get()
    assert subscription.params == {"q": "数据共享", "issuer": "宁夏回族自治区人民政府"}
    page = html_of(signed_in.get("/subscriptions/"))
    assert subscription.label in page
    assert subscription.search_url in page.replace("&amp;", "&")


def test_anonymous_visitors_are_asked_to_log_in_to_subscribe(client, sample):
    page = html_of(client.get("/search/", {"q": "数据共享"}))
    assert "/accounts/login/?next=" in page and 'action="/subscriptions/new/"' not in page


def test_bad_input_shows_the_message_and_stores_nothing(signed_in, registry):
    english = {"Accept-Language": "en"}
    response = signed_in.post(
        "/subscriptions/new/", {"follow": "search", "q": "", "year": "x"}, headers=english
    )
    assert response.status_code == 400
    assert "year must be a whole number" in html_of(response)
    response = signed_in.post(
        "/subscriptions/new/", {"follow": "unit", "unit": "不存在的局"}, headers=english
    )
    assert response.status_code == 400
    assert "No single unit is called “不存在的局”" in html_of(response)
    response = signed_in.post(
        "/subscriptions/new/", {"follow": "topic", "topic": "数"}, headers=english
    )
    assert response.status_code == 400
    assert 'role="alert"' in html_of(response)
    assert not Subscription.objects.exists()


def test_follow_topic_and_unit_then_edit_pause_and_delete(signed_in, citizen, registry):
    signed_in.post("/subscriptions/new/", {"follow": "topic", "topic": "惠企政策"})
    signed_in.post("/subscriptions/new/", {"follow": "unit", "unit": "财政厅"})
    topic, unit = Subscription.objects.order_by("id")
    assert unit.unit.code == "nx-finance"
    assert signed_in.get(f"/subscriptions/{topic.pk}/edit/").status_code == 200
    response = signed_in.post(
        f"/subscriptions/{topic.pk}/edit/",
        {"name": "惠企", "topic": "惠企政策兑现", "active": "on"},
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert (topic.name, topic.topic, topic.active) == ("惠企", "惠企政策兑现", True)
    signed_in.post(f"/subscriptions/{unit.pk}/pause/", {"active": "0"})
    unit.refresh_from_db()
    assert not unit.active
    signed_in.post(f"/subscriptions/{unit.pk}/delete/")
    assert list(Subscription.objects.filter(owner=citizen)) == [topic]


def test_a_saved_search_is_edited_with_its_words_and_filters(signed_in, citizen):
    subscription = services.subscribe_to_search(citizen, {"q": "数据共享"}, actor=citizen)
    response = signed_in.post(
        f"/subscriptions/{subscription.pk}/edit/",
        {"q": "数据共享", "issuer": "财政厅", "year": "2023", "active": "on"},
    )
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert subscription.params == {"q": "数据共享", "issuer": "财政厅", "year": "2023"}
    response = signed_in.post(f"/subscriptions/{subscription.pk}/edit/", {"q": "", "active": "on"})
    assert response.status_code == 400


def test_nobody_sees_or_changes_another_persons_subscription(client, citizen, registry):
    other = make_user("other", "citizen")
    subscription = services.subscribe_to_topic(other, "惠企政策", actor=other)
    client.force_login(citizen)
    assert subscription.label not in html_of(client.get("/subscriptions/"))
    for path in ("edit/", "pause/", "delete/"):
        method = client.get if path == "edit/" else client.post
        assert method(f"/subscriptions/{subscription.pk}/{path}").status_code == 404
    subscription.refresh_from_db()
    assert subscription.active


def test_the_enterprise_profile_form(client, enterprise, citizen, registry):
    client.force_login(enterprise)
    page = html_of(client.get("/subscriptions/"))
    assert "/subscriptions/profile/" in page
    region = client.get("/subscriptions/profile/")
    assert region.status_code == 200
    response = client.post(
        "/subscriptions/profile/",
        {
            "industry": "制造业",
            "region": _region_id("640100"),
            "size": "sme",
            "tags": "专精特新, 跨境电商",
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert str(EnterpriseProfile.objects.get(owner=enterprise)) == (
        "制造业 · 银川市 · 中小企业 · 专精特新 · 跨境电商"
    )
    assert "制造业 · 银川市" in html_of(client.get("/subscriptions/"))
    client.force_login(citizen)
    assert client.get("/subscriptions/profile/").status_code == 403
    assert "/subscriptions/profile/" not in html_of(client.get("/subscriptions/"))


def _region_id(code):
    from shuzheng.orgs.models import Region

    return Region.objects.get(code=code).pk


def test_the_document_page_offers_to_follow_the_document(signed_in, citizen, sample):
    from shuzheng.documents.models import Document

    document = Document.objects.get(doc_number="宁政发〔2023〕17号")
    page = html_of(signed_in.get(f"/documents/{document.pk}/"))
    assert 'name="follow" value="document"' in page
    signed_in.post("/subscriptions/new/", {"follow": "document", "document": document.pk})
    subscription = Subscription.objects.get(owner=citizen)
    assert subscription.document_identity == document.identity
    assert subscription.label == document.title


def test_the_follow_button_is_the_subscriptions_panel_after_the_document_information(
    signed_in, client, sample, monkeypatch
):
    from shuzheng.documents import panels
    from shuzheng.documents.models import Document

    document = Document.objects.get(doc_number="宁政发〔2023〕17号")
    page = html_of(signed_in.get(f"/documents/{document.pk}/"))
    assert page.index("</table>") < page.index('value="document"') < page.index("toc-heading")
    monkeypatch.delitem(panels._panels, "subscriptions.follow")
    assert 'value="document"' not in html_of(signed_in.get(f"/documents/{document.pk}/"))


def test_a_visitor_is_not_offered_to_follow_a_document(client, sample):
    from shuzheng.documents.models import Document

    document = Document.objects.get(doc_number="宁政发〔2023〕17号")
    page = html_of(client.get(f"/documents/{document.pk}/"))
    assert page.count("<h1") == 1 and 'value="document"' not in page


def test_larger_text_is_remembered_in_a_cookie_without_javascript(client, db):
    page = html_of(client.get("/"))
    assert 'class="large-text"' not in page and 'aria-pressed="false"' in page
    response = client.post("/text-size/", {"large": "1", "next": "/documents/"})
    assert response.status_code == 302 and response["Location"] == "/documents/"
    assert response.cookies["large_text"].value == "1"
    page = html_of(client.get("/"))
    assert 'class="large-text"' in page and 'aria-pressed="true"' in page
    response = client.post("/text-size/", {"large": "0", "next": "https://elsewhere.example/"})
    assert response["Location"] == "/"
    assert 'class="large-text"' not in html_of(client.get("/"))
