"""The leadership dashboard as a supervisor meets it: one screen over the sample ledger, a
number drilled down to its list, the assessment ranking and its Excel export (issue 5)."""

import datetime as dt
from io import BytesIO

import pytest
from openpyxl import load_workbook

from shuzheng import clock
from shuzheng.accounts.choices import Role
from shuzheng.accounts.models import User
from shuzheng.tasks.models import KeyTask
from tests.browser.conftest import axe_violations
from tests.dashboard.conftest import assessed, sample_ledger, supervisor  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def supervisor_page(page, assessed):  # noqa: F811 - the imported fixture
    User.objects.create_user(username="lu", password="Shuzheng-2023!", role=Role.SUPERVISOR)
    clock.set_now(dt.date(2024, 3, 1))
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("lu")
    page.get_by_label("密码").fill("Shuzheng-2023!")
    page.get_by_role("button", name="登录").click()
    yield page
    clock.set_now(None)


def test_the_dashboard_drills_down_and_exports_the_ranking(supervisor_page):
    page = supervisor_page
    page.goto("/dashboard/")
    red = KeyTask.objects.filter(parent__isnull=True, light="red").count()
    tile = page.locator(".tile-red .tile-count")
    assert tile.inner_text() == str(red)
    assert page.locator("svg.chart").count() == 4
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"]) for v in violations]

    page.locator(".tile-red a").click()
    page.wait_for_url("**/dashboard/tasks/?light=red")
    assert page.locator("tbody tr").count() == min(red, 50)
    assert str(red) in page.locator(".result-count").inner_text()

    page.goto("/dashboard/assessment/2023/")
    rows = page.locator("table.ranking").first.locator("tbody tr")
    assert rows.count() == 2
    assert "宁夏回族自治区人民政府办公厅" in rows.nth(0).inner_text()
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"]) for v in violations]

    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载 Excel").or_(
            page.get_by_role("link", name="Download Excel")
        ).click()
    download = download_info.value
    assert download.suggested_filename == "assessment-2023.xlsx"
    sheet = load_workbook(BytesIO(download.path().read_bytes()))["排名"]
    assert sheet["B3"].value == "宁夏回族自治区人民政府办公厅" and sheet["D3"].value == 95.0


@pytest.mark.parametrize("size", [(2560, 1440), (3840, 2160)])
def test_the_wall_screen_fills_the_screen_and_its_tiles_drill_down(supervisor_page, size):
    """Issue 14: on a 2560×1440 wall screen the dashboard stayed a small centred box."""
    page = supervisor_page
    width, height = size
    page.set_viewport_size({"width": width, "height": height})
    page.goto("/dashboard/wall/")
    grid = page.locator(".wall-grid").bounding_box()
    assert grid["width"] >= 0.94 * width  # the content fills the width, no centred box
    assert grid["x"] <= 0.03 * width
    body_size = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.wall')).fontSize)"
    )
    assert body_size >= 0.008 * width  # type scales with the screen (≈ 23 px at 2560)
    tiles = page.locator(".tile-map .map-tile")
    assert tiles.count() == 27
    # The map is a map: the tiles spread over rows and columns, inside the viewport.
    boxes = [tiles.nth(i).bounding_box() for i in range(27)]
    assert len({round(box["y"]) for box in boxes}) == 9
    assert len({round(box["x"]) for box in boxes}) == 6
    assert max(box["y"] + box["height"] for box in boxes) <= height
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"]) for v in violations]

    tile = page.locator(".map-tile", has_text="兴庆区").locator("a")
    href = tile.get_attribute("href")
    assert href == "/tasks/?unit=gov-640104"
    tile.click()
    page.wait_for_url("**/tasks/?unit=gov-640104")
    assert page.locator("main").count() == 1
