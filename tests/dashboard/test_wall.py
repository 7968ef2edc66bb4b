"""The dashboard on a wall screen (issue 14): the tile map of the 27 cities and counties by
on-time rate, every number a link to the list behind it, panels that reload themselves."""

import datetime as dt
import json
import re

import pytest

from shuzheng.dashboard import tilemap
from shuzheng.orgs.models import Region, Unit
from shuzheng.tasks.models import KeyTask
from tests.tasks.factories import assign, make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, supervisor):
    client.force_login(supervisor)
    return client


def test_the_tile_grid_has_every_city_and_county_once_with_its_source():
    data = json.loads(tilemap.TILES.read_text(encoding="utf-8"))
    registry = json.loads(
        (tilemap.TILES.parents[2] / "orgs" / "data" / "ningxia.json").read_text(encoding="utf-8")
    )
    divisions = {r["code"] for r in registry["regions"] if r["level"] in ("city", "county")}
    codes = [tile["code"] for tile in data["tiles"]]
    assert len(codes) == 27 and set(codes) == divisions  # 5 cities + 22 county-level divisions
    places = {(tile["row"], tile["column"]) for tile in data["tiles"]}
    assert len(places) == 27  # no two tiles on one square
    assert all(
        tile["row"] < data["rows"] and tile["column"] < data["columns"] for tile in data["tiles"]
    )
    assert data["source"] and data["licence"]


def test_a_tile_is_coloured_by_its_government_s_on_time_rate(sample_ledger):
    today = dt.date(2025, 3, 1)
    xingqing = Unit.objects.get(kind="government", region__code="640104")
    before = {tile.code: tile for tile in tilemap.tile_map(today).tiles}["640104"]
    met = make_task(901, xingqing, due=dt.date(2024, 12, 31))  # achieved in time
    assign(met, xingqing, on=dt.date(2024, 1, 10))
    met.milestones.update(achieved_on=dt.date(2024, 11, 1))
    missed = make_task(902, due=dt.date(2024, 12, 31))  # never achieved
    assign(missed, xingqing, on=dt.date(2024, 1, 10))
    later = make_task(903, due=dt.date(2027, 12, 31))  # not due yet
    assign(later, xingqing, on=dt.date(2024, 1, 10))
    make_task(904, xingqing, due=dt.date(2024, 6, 30))  # named, not assigned: not counted

    tiles = {tile.code: tile for tile in tilemap.tile_map(today).tiles}
    tile = tiles["640104"]
    assert len(tiles) == 27
    assert tile.name == "兴庆区" and tile.unit == xingqing.code
    assert (tile.due, tile.on_time) == (before.due + 2, before.on_time + 1)
    assert tile.href == f"/tasks/?unit={xingqing.code}"
    assert tile.band == ("high" if tile.rate >= 90 else "mid" if tile.rate >= 70 else "low")


def test_the_wall_screen_shows_27_tiles_linking_to_the_filtered_ledger(
    sample_ledger, today, signed_in
):
    response = signed_in.get("/dashboard/wall/")
    html = response.content.decode()
    assert response.status_code == 200
    tiles = re.findall(
        r'<li class="map-tile map-(\w+) map-row-\d map-col-\d[^"]*">\s*<a href="([^"]+)"', html
    )
    assert len(tiles) == 27
    assert all(href.startswith("/tasks/?unit=gov-6") for _band, href in tiles)
    assert 'hx-get="/dashboard/wall/"' in html and 'hx-trigger="every 60s"' in html
    # The light tiles drill down like the overview's.
    assert 'href="/dashboard/tasks/?light=red"' in html
    # htmx asks for the panels only.
    partial = signed_in.get("/dashboard/wall/", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and partial.count('class="map-tile') == 27
    # A tile's link lists exactly that government's tasks in the ledger.
    href = dict((h, b) for b, h in tiles)
    first = next(iter(href))
    ledger = signed_in.get(first)
    assert ledger.status_code == 200
    code = first.split("=")[1]
    unit = Unit.objects.get(code=code)
    expected = KeyTask.objects.filter(parent__isnull=True, responsibilities__unit=unit).distinct()
    assert expected.count() > 0
    assert Region.objects.filter(code=unit.region.code).exists()


def test_the_overview_links_to_the_wall_screen(sample_ledger, today, signed_in):
    assert 'href="/dashboard/wall/"' in signed_in.get("/dashboard/").content.decode()


@pytest.mark.chinese_ui
def test_the_wall_screen_reads_in_chinese(sample_ledger, today, signed_in):
    html = signed_in.get(
        "/dashboard/wall/", HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<(svg|title)\b.*?</\1>", " ", html, flags=re.S))
    assert "各市、县（区）节点按时完成率" in text and "按时完成率不低于90%" in text
    assert not re.search(r"[A-Za-z]{3,}", text), re.findall(r"[A-Za-z]{3,}", text)[:5]


def test_the_wall_screen_costs_a_fixed_number_of_queries(
    sample_ledger, today, signed_in, django_assert_max_num_queries
):
    signed_in.get("/dashboard/wall/")  # computes today's snapshot once
    with django_assert_max_num_queries(14):
        signed_in.get("/dashboard/wall/", HTTP_HX_REQUEST="true")
