"""The dashboard's ecological compensation page (issue 12 point 4): the newest final
allocation by county and component, and the sections' water quality by month."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shuzheng.dashboard.charts import LevelSeries, level_chart
from shuzheng.dashboard.ecocomp import build_ecocomp_panels, whole_parts
from shuzheng.ecocomp import services
from shuzheng.ecocomp.models import AllocationRun, MonitoringSection, WaterQualityReading
from shuzheng.ecocomp.samples import load_sample_ecocomp
from shuzheng.ecocomp.selectors import water_quality_over_time
from shuzheng.orgs.models import Region, Unit
from shuzheng.orgs.services import load_sample_registry


@pytest.fixture
def final_sample(db):
    """The sample rule set's run approved and made final (the sample data has no gaps)."""
    load_sample_registry()
    load_sample_ecocomp()
    run = AllocationRun.objects.get(rule_set__is_sample=True)
    services.approve_run(actor=None, run=run)
    return services.finalise_run(actor=None, run=run, override_reason="示例")


def test_whole_parts_sum_to_the_amount():
    """Parts 0.4 + 0.4 + 0.2 of 1 yuan: floors 0 / 0 / 0, the one yuan to the largest
    remainder, ties by key — [1, 0, 0]. With a negative part (a cap): 700.6 + 400.6 − 101.2
    = 1,000; floors 700 / 400 / −102 leave 2 yuan, to the remainders 0.8 (−101.2) and the
    first 0.6 by key (a) — [701, 400, −101]."""
    assert whole_parts([Decimal("0.4"), Decimal("0.4"), Decimal("0.2")], ["a", "b", "c"], 1) == [
        1,
        0,
        0,
    ]
    parts = [Decimal("700.6"), Decimal("400.6"), Decimal("-101.2")]
    assert whole_parts(parts, ["a", "b", "c"], Decimal(1000)) == [701, 400, -101]


def test_level_chart_draws_classes_and_breaks_gaps():
    chart = level_chart(
        "水质",
        ["2024-01", "2024-02", "2024-03"],
        [LevelSeries("五佛寺", (1, None, 2)), LevelSeries("下河沿", (0, 0, 1))],
        ["Ⅰ类", "Ⅱ类", "Ⅲ类"],
    )
    assert 'role="img"' in chart.svg and 'aria-label="水质"' in chart.svg
    # 五佛寺 has a gap in February: no line of its own (one point either side), 下河沿 one line
    assert chart.svg.count("<polyline") == 1
    assert "五佛寺 · 2024-03: Ⅲ类" in chart.svg
    assert "<td>–</td>" in chart.table and "<td>Ⅱ类</td>" in chart.table


def test_panels_show_the_final_run_and_the_sections(final_sample):
    panels = build_ecocomp_panels()
    assert panels.run == final_sample
    assert panels.total == int(final_sample.rule_set.fund)
    table = panels.allocation.table
    assert "海原县" in table and "兴庆区" in table
    # every county's row: its parts in whole yuan and their sum, the county's amount
    haiyuan = final_sample.counties.get(region__code="640522")
    assert (
        f'<td><a href="/ecocomp/runs/{final_sample.pk}/county/640522/">{int(haiyuan.amount)}'
        in table
    )
    periods, sections = water_quality_over_time()
    assert periods == [f"2024-{month:02}" for month in range(1, 13)]
    wufosi = next(section for section in sections if section.code == "wufosi")
    assert len(wufosi.classes) == 12 and all(klass in range(1, 7) for klass in wufosi.classes)
    assert "五佛寺" in panels.water.table


def test_water_quality_is_judged_on_river_indicators_without_suspect_values(final_sample):
    section = MonitoringSection.objects.get(code="wufosi")
    WaterQualityReading.objects.filter(section=section, month="2024-12").delete()
    for indicator, value, suspect in (
        ("nh3n", "0.4", False),  # Class II
        ("tp", "0.35", True),  # would be 劣V, but suspect
        ("tn", "5.0", False),  # 总氮 is not judged for rivers
    ):
        WaterQualityReading.objects.create(
            section=section, month="2024-12", indicator=indicator, value=value, suspect=suspect
        )
    _periods, sections = water_quality_over_time()
    assert next(s for s in sections if s.code == "wufosi").classes[-1] == 2


def test_no_final_run_and_no_readings_say_so(client, db):
    from tests.dashboard.conftest import make_user

    client.force_login(make_user("leader", "supervisor"))
    page = client.get(reverse("dashboard:ecocomp"))
    assert page.status_code == 200
    assert "No allocation has been made final yet." in page.text
    assert "No monitoring data has been imported yet." in page.text


@pytest.mark.chinese_ui
def test_page_in_chinese_links_each_county_to_its_explanation(client, final_sample):
    from tests.dashboard.conftest import make_user

    client.force_login(make_user("leader", "supervisor"))
    page = client.get(reverse("dashboard:ecocomp"))
    assert page.status_code == 200
    assert "生态保护补偿一屏统览" in page.text and "各县（区）分配及构成" in page.text
    assert reverse("ecocomp:explain", args=[final_sample.pk, "640522"]) in page.text
    explain = client.get(reverse("ecocomp:explain", args=[final_sample.pk, "640522"]))
    assert explain.status_code == 200 and "海原县" in explain.text
    assert "Ⅱ类" in page.text


def test_queries_do_not_grow_with_counties_or_sections(client, final_sample):
    from tests.dashboard.conftest import make_user

    client.force_login(make_user("leader", "supervisor"))
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("dashboard:ecocomp"))
    owner = Unit.objects.get(code="nx-ecology-environment")
    region = Region.objects.get(code="640522")
    for number in range(5):
        section = MonitoringSection.objects.create(
            code=f"extra-{number}",
            name=f"断面{number}",
            river="清水河",
            kind="tributary",
            region=region,
            owner=owner,
        )
        for month in range(1, 13):
            WaterQualityReading.objects.create(
                section=section, month=f"2024-{month:02}", indicator="nh3n", value="0.8"
            )
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("dashboard:ecocomp"))
    assert len(after) == len(before) <= 12
