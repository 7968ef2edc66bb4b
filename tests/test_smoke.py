from pathlib import Path

import pytest
from django.urls import reverse

from shuzheng.documents.services import ingest_file

pytestmark = pytest.mark.django_db


@pytest.mark.chinese_ui
def test_home_page_offers_login_and_registry(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("accounts:login") in body
    assert 'lang="zh-hans"' in body
    assert "登录" in body


def test_openapi_page_is_served(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "https://" not in page and "http://" not in page  # offline intranets: no CDN
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "shuzheng API"


def test_home_page_lists_the_latest_documents_and_the_search(client):
    fixture = Path(__file__).parent / "documents" / "fixtures" / "notice-gb18030.txt"
    report = ingest_file(fixture.read_bytes(), fixture.name, actor=None)
    [outcome] = report.documents
    body = client.get(reverse("home")).content.decode()
    assert f'href="/documents/{outcome.id}/"' in body
    assert 'id="home-search-q"' in body and 'action="/search/"' in body
