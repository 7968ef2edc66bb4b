"""Text that the database cannot store is refused by validation, not by the database: NUL
characters (PostgreSQL refuses them) and text longer than its column (found by schemathesis
on PostgreSQL, where both were 500s)."""

import pytest

from shuzheng.accounts.services import create_token

LONG = "数" * 700


@pytest.fixture
def supervisor(matrix_world):
    _token, secret = create_token(
        matrix_world.users["supervisor"], name="t", scopes=["read", "write"], actor=None
    )
    return {"Authorization": f"Bearer {secret}"}


def test_nul_in_a_body_is_refused(client, supervisor):
    response = client.post(
        "/api/v1/subscriptions/",
        {"kind": "topic", "topic": "数据\x00共享"},
        content_type="application/json",
        headers=supervisor,
    )
    assert response.status_code == 422
    assert "NUL" in response.json()["detail"][0]["msg"]


def test_nul_in_a_multipart_text_field_is_refused(client, supervisor):
    response = client.post("/api/v1/tasks/1/reports", {"text": "a\x00b"}, headers=supervisor)
    assert response.status_code == 422


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/orgs/regions/64%00",
        f"/api/v1/orgs/units/{LONG}",
        "/api/v1/orgs/resolve?text=a%00b",
        f"/api/v1/orgs/resolve?text={LONG}",
    ],
)
def test_a_code_with_nul_or_too_long_is_refused(client, path):
    assert client.get(path).status_code == 422


def test_a_category_longer_than_its_column_is_refused(client, supervisor):
    response = client.post(
        "/api/v1/tasks/",
        {"content": "x", "deadline": "2025年底前", "category": LONG},
        content_type="application/json",
        headers=supervisor,
    )
    assert response.status_code == 422


def test_a_responsible_unit_name_longer_than_its_column_is_refused(client, supervisor):
    response = client.post(
        "/api/v1/tasks/",
        {"content": "x", "deadline": "2025年底前", "responsibility": LONG},
        content_type="application/json",
        headers=supervisor,
    )
    assert response.status_code == 409
    assert "200" in response.json()["detail"]
