"""The list machinery every app uses: FilterSet base, API query schema, Table, pagination."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator

from shuzheng.api import api
from shuzheng.audit.filtersets import EventFilterSet
from shuzheng.audit.models import AuditEvent
from shuzheng.audit.services import record_change
from shuzheng.audit.tables import EventTable
from shuzheng.audit.views import EventListView
from shuzheng.filtersets import YesNoField
from shuzheng.lists import table_page
from shuzheng.tables import Pagination

pytestmark = pytest.mark.django_db


@pytest.fixture
def events():
    for number in range(3):
        record_change(actor=None, action=f"test.{number % 2}", object_type="x", object_id=number)


def test_a_field_error_drops_that_filter_only(events):
    filterset = EventFilterSet(
        {"action": "test.0", "since": "yesterday"}, queryset=AuditEvent.objects.all()
    )
    assert not filterset.is_valid() and "since" in filterset.errors
    assert filterset.qs.count() == 2  # action still filters; the bad date does not


def test_a_form_wide_error_filters_nothing(events):
    filterset = EventFilterSet(
        {"action": "test.0", "since": "2026-02-01", "until": "2026-01-01"},
        queryset=AuditEvent.objects.all(),
    )
    assert filterset.form.non_field_errors()
    assert filterset.qs.count() == 3


@pytest.mark.parametrize(
    ("text", "value"),
    [("1", True), ("true", True), ("on", True), ("0", False), ("False", False), ("", None)],
)
def test_yes_no_parameters_read_as_links_and_callers_write_them(text, value):
    assert YesNoField(required=False).clean(text) is value


def test_a_yes_no_parameter_refuses_other_words():
    with pytest.raises(Exception, match="1 or true"):
        YesNoField(required=False).clean("maybe")


@pytest.mark.chinese_ui
def test_an_api_filter_error_answers_422_in_the_callers_language(client, matrix_world):
    client.force_login(matrix_world.user("administrator"))
    response = client.get(
        "/api/v1/audit/events", {"since": "yesterday"}, headers={"Accept-Language": "zh-CN"}
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "起始日期：输入一个有效的日期。"


def test_the_openapi_schema_documents_the_filtersets_parameter_types():
    parameters = api.get_openapi_schema()["paths"]["/api/v1/audit/events"]["get"]["parameters"]
    by_name = {parameter["name"]: parameter["schema"] for parameter in parameters}
    assert by_name["since"]["format"] == "date" and by_name["actor"]["type"] == "string"
    inbox = api.get_openapi_schema()["paths"]["/api/v1/notifications/"]["get"]["parameters"]
    assert {p["name"]: p["schema"] for p in inbox}["unread"]["type"] == "boolean"


def test_page_links_keep_the_filters_and_the_anchor():
    page = Paginator(list(range(30)), 10).get_page(2)
    links = Pagination(page, "action=a%26b", anchor="#deliveries")
    assert links.previous_url == "?action=a%26b&page=1#deliveries"
    assert links.next_url == "?action=a%26b&page=3#deliveries"
    assert Pagination(Paginator([1], 10).get_page(1)).next_url == ""


def test_a_bad_page_number_shows_the_nearest_page(client, matrix_world, events):
    client.force_login(matrix_world.user("administrator"))
    assert client.get("/audit/", {"page": "abc"}).status_code == 200
    assert client.get("/audit/", {"page": "999"}).context["page"].number == 1  # the only page


def test_a_list_without_pages_gets_its_table_of_every_row(rf, events):
    class EveryEvent(EventListView):
        paginate_by = None

    request = rf.get("/audit/", {"action": "test.1"})
    request.user = AnonymousUser()
    response = EveryEvent.as_view()(request)
    assert response.context_data["page"] is None
    assert [event.action for event in response.context_data["table"].rows] == ["test.1"]


def test_a_section_of_a_page_gets_its_table_page_like_a_list_page(rf, events):
    """The deliveries on the inbox settings page are paged as every list is."""
    request = rf.get("/notifications/settings/", {"tab": "x", "page": "2"})
    table = table_page(EventTable, AuditEvent.objects.order_by("pk"), request, per_page=2)
    assert (table.page.number, len(table.rows), table.query) == (2, 1, "tab=x")
    assert table.pagination.previous_url == "?tab=x&page=1"
    request = rf.get("/notifications/settings/", {"page": "abc"})
    assert table_page(EventTable, AuditEvent.objects.all(), request, per_page=2).page.number == 1
