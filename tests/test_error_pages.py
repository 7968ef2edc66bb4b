"""The error pages (issue 8, item 6): 400, 403 (CSRF), 404 and 500 in the site's layout, in
Chinese by default and in English when switched — never Django's debug or plain pages."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

LAYOUT = 'class="site-header"'


def text_of(response) -> str:
    """The page's visible text, without tags, scripts and attribute values."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def english_words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z]{3,}", text)


@pytest.mark.chinese_ui
def test_an_unknown_address_gets_the_chinese_404_in_the_layout(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert LAYOUT in page and "页面不存在" in page
    assert "URLconf" not in page and "Page not found" not in page
    assert english_words(text_of(response).replace("English", "")) == []


@pytest.mark.chinese_ui
def test_the_export_of_a_year_without_rules_gives_the_chinese_404(client, matrix_world):
    """The assessment page of such a year explains itself (tests/dashboard); its exports, with
    nothing to export, answer with the product's Chinese 404, not Django's English debug page."""
    client.force_login(matrix_world.users["supervisor"])
    response = client.get("/dashboard/assessment/2026/export.xlsx")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_the_404_is_english_when_the_visitor_switched_to_english(client):
    client.cookies["django_language"] = "en"
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.chinese_ui
def test_a_host_that_is_not_allowed_gets_the_chinese_400(client):
    response = client.get("/", HTTP_HOST="intruder.example")
    assert response.status_code == 400
    page = response.content.decode()
    assert LAYOUT in page and "请求无效" in page


@pytest.mark.chinese_ui
def test_a_form_without_its_token_gets_the_chinese_403_in_the_layout():
    response = Client(enforce_csrf_checks=True).post("/text-size/", {"large": "1"})
    assert response.status_code == 403
    page = response.content.decode()
    assert LAYOUT in page and "表单已失效" in page
    assert "CSRF" not in text_of(response)


@pytest.fixture
def failing_home(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the registry is away")

    monkeypatch.setattr("shuzheng.views.registry_overview", broken)
    return Client(raise_request_exception=False)


@pytest.mark.chinese_ui
def test_an_error_in_a_page_gets_the_chinese_500_in_the_layout(failing_home):
    response = failing_home.get("/")
    assert response.status_code == 500
    page = response.content.decode()
    assert LAYOUT in page and "服务器出错" in page
    assert "the registry is away" not in page and "Traceback" not in page


@pytest.mark.chinese_ui
def test_when_the_layout_itself_fails_the_500_is_a_bare_chinese_page(failing_home, monkeypatch):
    def database_away(*args, **kwargs):
        raise RuntimeError("the layout reads the database, and the database is away")

    monkeypatch.setattr("shuzheng.views.render", database_away)
    response = failing_home.get("/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "服务器出错" in page and LAYOUT not in page
