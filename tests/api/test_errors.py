"""Issue 9, point 10 (the API part): with DEBUG off, every API error is the documented JSON
body, never an HTML page — also the errors Django answers rather than django-ninja."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from shuzheng.orgs import selectors as orgs_selectors


def assert_json_error(response, status: int) -> None:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert isinstance(response.json()["detail"], str)


@pytest.fixture(autouse=True)
def deploy_mode(settings):
    settings.DEBUG = False


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/nope", "/api/v1/documents/1/nope", "/api/v1/"])
def test_unknown_api_path_is_a_json_404(client, path):
    assert_json_error(client.get(path), 404)


@pytest.mark.django_db
def test_method_the_path_lacks_is_a_json_405_with_allow(client):
    response = client.delete("/api/v1/orgs/regions")
    assert_json_error(response, 405)
    assert response["Allow"] == "GET"


@pytest.mark.django_db
def test_unexpected_exception_inside_an_operation_is_a_json_500(monkeypatch):
    def broken():
        raise RuntimeError("the registry is unreadable")

    monkeypatch.setattr(orgs_selectors, "regions", broken)
    response = Client(raise_request_exception=False).get("/api/v1/orgs/regions")
    assert_json_error(response, 500)
    assert "unreadable" not in response.content.decode()


@pytest.mark.django_db
def test_permission_denied_inside_an_operation_is_a_json_403(client, monkeypatch):
    def refused():
        raise PermissionDenied

    monkeypatch.setattr(orgs_selectors, "regions", refused)
    assert_json_error(client.get("/api/v1/orgs/regions"), 403)


@pytest.mark.django_db
def test_http404_inside_an_operation_is_a_json_404(client):
    assert_json_error(client.get("/api/v1/orgs/regions/000000"), 404)


def test_csrf_failure_on_the_api_is_json(matrix_world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(matrix_world.users["citizen"])
    response = client.post("/api/v1/notifications/read-all")
    assert_json_error(response, 403)
    assert "CSRF" in response.json()["detail"]


@pytest.mark.django_db
def test_pages_keep_their_html_error_pages(client):
    response = client.get("/documents/999999/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "expected"), [("zh-hans", "未找到。"), ("en", "Not found.")])
def test_the_json_404_speaks_the_callers_language(client, language, expected):
    for path in ["/api/v1/nope", "/api/v1/orgs/regions/000000"]:
        response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
        assert response.json() == {"detail": expected}, path


@pytest.mark.django_db
def test_failed_checks_are_worded_in_chinese_for_programs_too(client):
    response = client.get("/api/v1/documents/99999999999999999999", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert response.status_code == 422
    (check,) = response.json()["detail"]
    assert check["type"] == "less_than_equal" and check["loc"] == ["path", "document_id"]
    assert check["msg"] == "该值不得大于 9223372036854775807。"
    english = client.get("/api/v1/documents/0", HTTP_ACCEPT_LANGUAGE="en").json()["detail"][0]
    assert english["msg"] == "The value must be at least 1."


def test_the_csrf_refusal_is_worded_in_chinese(matrix_world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(matrix_world.users["citizen"])
    response = client.post("/api/v1/notifications/read-all", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.json()["detail"].startswith("CSRF 校验失败")
