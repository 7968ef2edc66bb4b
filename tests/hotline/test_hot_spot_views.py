"""Hot spots by category, place and time (issue 15 point 6): the counts by city or county and
week or month, the dashboard's panels and the hotline's drill-down page, every number
opening 我的工单 filtered to exactly the requests it counts."""

import datetime as dt
import re
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shuzheng import clock
from shuzheng.hotline import hotspots
from shuzheng.hotline.selectors import hot_spot_counts
from shuzheng.hotline.services import Intake, submit_request

pytestmark = pytest.mark.django_db
CST = ZoneInfo("Asia/Shanghai")
TODAY = dt.date(2026, 12, 4)  # a Friday; its week starts on 2026-11-30


def request_at(day, category="urban-appearance", address="银川市兴庆区解放西街12号"):
    with clock.frozen_at(dt.datetime.combine(day, dt.time(10), tzinfo=CST)):
        return submit_request(
            Intake(
                service_code=category,
                description="小区门口占道经营，垃圾乱堆",
                address_string=address,
            )
        )


@pytest.fixture
def spots(catalog):
    """Xingqing: one urban-appearance request a week for four weeks, then three this week;
    Jinfeng: two wage-arrears requests this week; Dawukou (Shizuishan): one, last month."""
    for weeks in range(1, 5):
        request_at(TODAY - dt.timedelta(weeks=weeks))
    for day in (dt.date(2026, 11, 30), dt.date(2026, 12, 1), TODAY):
        request_at(day)
    for _ in range(2):
        request_at(TODAY, "wage-arrears", "银川市金凤区北京中路")
    request_at(dt.date(2026, 11, 3), address="石嘴山市大武口区人民路")
    clock.set_now(dt.datetime.combine(TODAY, dt.time(18), tzinfo=CST))
    yield
    clock.set_now(None)


def test_requests_are_counted_by_county_or_city_and_period(spots):
    with CaptureQueriesContext(connection) as queries:
        weeks = hot_spot_counts("week", "county", 12, TODAY)
    assert len(queries.captured_queries) == 2
    assert weeks.starts[-1] == dt.date(2026, 11, 30) and len(weeks.starts) == 12
    assert hotspots.totals(weeks.cells, "place") == {"640104": 7, "640106": 2, "640202": 1}
    assert weeks.places["640104"] == "兴庆区"
    cities = hot_spot_counts("month", "city", 12, TODAY)
    assert hotspots.totals(cities.cells, "place") == {"640100": 9, "640200": 1}
    assert hotspots.totals(cities.cells, "period") == {
        dt.date(2026, 11, 1): 6,  # four weekly ones, the Monday of this week, Dawukou's
        dt.date(2026, 12, 1): 4,
    }
    rising = hotspots.rising(weeks.cells, weeks.starts)
    assert [(spot.place, spot.current, spot.rise) for spot in rising] == [
        ("640104", 3, 2),
        ("640106", 2, 2),
    ]


def listed_numbers(client, href) -> set[str]:
    html = client.get(unescape(href)).content.decode()
    return set(re.findall(r'href="/hotline/requests/([^/"]+)/"', html))


def test_every_number_of_the_dashboard_opens_the_requests_it_counts(spots, client, operator):
    client.force_login(operator)
    page = client.get(reverse("dashboard:hotline"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    html = page.content.decode()
    assert "12345热线热点" in html and "兴庆区" in html and "市容环境" in html
    # The rising spot's newest-week count: the three Xingqing requests of this week.
    rising = re.search(r'<td><a href="(/hotline/mine/\?[^"]+)">3</a></td>', html)
    assert rising and "place=640104" in rising.group(1) and "since=2026-11-30" in rising.group(1)
    assert len(listed_numbers(client, rising.group(1))) == 3
    # The by-place bar of Jinfeng: its two requests.
    jinfeng = re.search(r'href="(/hotline/mine/\?place=640106[^"]*)"', html)
    assert jinfeng and len(listed_numbers(client, jinfeng.group(1))) == 2
    by_city = client.get(reverse("dashboard:hotline"), {"period": "month", "level": "city"})
    assert "石嘴山市" in by_city.content.decode()


def test_the_drill_down_page_lists_category_place_and_period(spots, client, operator):
    client.force_login(operator)
    html = client.get(reverse("hotline:hot_spots"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "2026-11-30" in html and "上升" in html
    total = re.search(
        r'<td><a href="(/hotline/mine/\?category=urban-appearance&amp;place=640104[^"]*)">7</a></td>',
        html,
    )
    assert total and len(listed_numbers(client, total.group(1))) == 7


def test_the_list_filters_by_a_city_or_county_and_what_lies_below(spots, client, operator):
    client.force_login(operator)
    yinchuan = listed_numbers(client, reverse("hotline:mine") + "?place=640100")
    assert len(yinchuan) == 9
    page = client.get(reverse("hotline:mine"), {"place": "999999"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200  # an unknown place is the filter's message, not a 500
