"""Issue 9, point 6: numbers out of range or beyond 64 bits are refused at the edge with a
clear answer (422/400 in the API, the field's error on the page), never a 500."""

import pytest

HUGE = "99999999999999999999"  # beyond a signed 64-bit integer
MAX_INT64 = "9223372036854775807"

#: Public API lists and their number parameters, as an anonymous caller sends them.
PUBLIC_API = [
    "/api/v1/documents/?year=10000",
    "/api/v1/documents/?year=-1",
    f"/api/v1/documents/?page={MAX_INT64}",
    f"/api/v1/documents/?page_size={HUGE}",
    f"/api/v1/documents/{HUGE}",
    f"/api/v1/documents/{HUGE}/tasks",
    f"/api/v1/tasks/?document={HUGE}",
    "/api/v1/tasks/?year=-1",
    f"/api/v1/tasks/?page={MAX_INT64}",
    f"/api/v1/tasks/{HUGE}",
    f"/api/v1/orgs/units?page={MAX_INT64}",
    f"/api/v1/search?page={MAX_INT64}",
    f"/api/v1/search?year={HUGE}",
    f"/api/v1/search?deadline_year={HUGE}",
]
#: The signed-in lists.
SIGNED_IN_API = [
    f"/api/v1/audit/events?page={MAX_INT64}",
    f"/api/v1/notifications/?page={MAX_INT64}",
    f"/api/v1/notifications/deliveries?page={MAX_INT64}",
    f"/api/v1/notifications/{HUGE}/read",
    f"/api/v1/subscriptions/{HUGE}",
    f"/api/v1/dashboard/assessment/{HUGE}",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC_API)
def test_public_api_refuses_numbers_out_of_range(client, path):
    response = client.get(path, follow=True)
    assert response.status_code in (400, 422), response.content
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


@pytest.mark.parametrize("path", SIGNED_IN_API)
def test_signed_in_api_refuses_numbers_out_of_range(client, matrix_world, path):
    client.force_login(matrix_world.users["administrator"])
    method = client.post if path.endswith("/read") else client.get
    response = method(path, follow=True)
    assert response.status_code == 422, response.content
    assert response.json()["detail"]


@pytest.mark.django_db
def test_out_of_range_filter_is_refused_by_the_filterset_with_its_message(client):
    """A FilterSet's bounded number answers with the form's own message, not pydantic's."""
    response = client.get(f"/api/v1/tasks/?document={HUGE}")
    assert response.status_code == 422
    assert "Document" in response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/documents/?year=10000",
        f"/tasks/?document={HUGE}",
        "/tasks/?year=-1",
        f"/search/?page={MAX_INT64}",
        f"/search/?year={HUGE}",
        f"/search/?deadline_year={HUGE}",
    ],
)
def test_public_pages_show_the_error_instead_of_failing(client, path):
    response = client.get(path)
    assert response.status_code in (200, 400)
    assert b'role="alert"' in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("path", [f"/documents/?page={MAX_INT64}", f"/tasks/?page={MAX_INT64}"])
def test_list_pages_show_their_last_page_for_a_huge_page_number(client, path):
    assert client.get(path).status_code == 200


@pytest.mark.parametrize(
    "path", [f"/audit/?page={MAX_INT64}", f"/inbox/?page={MAX_INT64}", f"/audit/{HUGE}/"]
)
def test_signed_in_pages_do_not_fail_on_huge_numbers(client, matrix_world, path):
    client.force_login(matrix_world.users["administrator"])
    assert client.get(path).status_code in (200, 404)


@pytest.mark.chinese_ui
@pytest.mark.django_db
def test_search_page_says_the_bounds_in_chinese(client):
    response = client.get(f"/search/?year={HUGE}", headers={"accept-language": "zh-hans"})
    assert "年份须在 1949 到 2100 之间。" in response.content.decode()


@pytest.mark.chinese_ui
@pytest.mark.django_db
def test_ledger_page_says_why_the_document_filter_was_not_applied(client):
    response = client.get(f"/tasks/?document={HUGE}", headers={"accept-language": "zh-hans"})
    assert "公文：" in response.content.decode()
