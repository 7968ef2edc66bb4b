"""Server-side SVG charts: accessible, drill-down links, escaped labels (issue 5, item 3)."""

import xml.etree.ElementTree as ET

import pytest

from shuzheng.dashboard.charts import Bar, Point, Segment, Series, bar_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"
SERIES = [Series("red", "Overdue"), Series("green", "On track")]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_a_stacked_bar_chart_is_an_accessible_image_with_linked_segments():
    chart = bar_chart(
        "Tasks by unit",
        [
            Bar(
                "自治区财政厅",
                (
                    Segment("red", 3, "/d?unit=f&light=red"),
                    Segment("green", 1, "/d?unit=f&light=green"),
                ),
                "/d?unit=f",
            ),
            Bar(
                "银川市政府",
                (Segment("red", 0, "/d?unit=y&light=red"), Segment("green", 2)),
                "/d?unit=y",
            ),
        ],
        SERIES,
    )
    root = parse(chart.svg)
    assert root.get("role") == "group"  # its marks are links: an img would hide them
    assert root.get("aria-label") == "Tasks by unit"
    assert root.find(f"{SVG}title").text == "Tasks by unit"
    rects = root.findall(f".//{SVG}rect")
    # zero-sized segments are not drawn; the largest bar (4) fills the plot width
    assert [rect.get("class") for rect in rects] == ["series-red", "series-green", "series-green"]
    assert float(rects[0].get("width")) == pytest.approx(3 * float(rects[1].get("width")))
    links = [a.get("href") for a in root.iter(f"{SVG}a")]
    assert "/d?unit=f&light=red" in links and "/d?unit=f" in links
    # the segment without its own link drills down to its bar's list
    assert links.count("/d?unit=y") == 2
    assert [t.text for t in root.iter(f"{SVG}title")][1] == "自治区财政厅 · Overdue: 3"


def test_the_table_alternative_holds_the_same_numbers_with_links():
    chart = bar_chart("T", [Bar("A", (Segment("red", 2, "/r"),), "/a")], SERIES)
    table = ET.fromstring(chart.table)
    assert table.find("caption").text == "T"
    cells = [cell.text or cell.find("a").text for cell in table.find("tbody").find("tr")]
    assert cells == ["A", "2", "0", "2"]
    assert table.find("tbody").find("tr").findall("td")[0].find("a").get("href") == "/r"


def test_labels_are_escaped():
    chart = bar_chart('<script>"x"</script>', [Bar("a&b<", (Segment("red", 1),))], SERIES)
    assert "<script>" not in chart.svg and "<script>" not in chart.table
    parse(chart.svg)  # still well-formed XML
    assert "a&amp;b&lt;" in chart.table


def test_an_unknown_series_is_an_error():
    with pytest.raises(ValueError, match="unknown series 'blue'"):
        bar_chart("T", [Bar("A", (Segment("blue", 1),))], SERIES)


def test_an_empty_bar_chart_still_renders():
    root = parse(bar_chart("Nothing", [], SERIES).svg)
    assert root.findall(f".//{SVG}rect") == []


def test_a_line_chart_breaks_where_a_period_has_no_data():
    points = [
        Point("2023-Q1", 0.5, "1 of 2"),
        Point("2023-Q2", 1.0, "2 of 2"),
        Point("2023-Q3", None),
        Point("2023-Q4", 0.25, "1 of 4"),
        Point("2024-Q1", 0.75, "3 of 4"),
    ]
    chart = line_chart("On-time rate", points, "Rate", "Milestones")
    root = parse(chart.svg)
    assert root.get("role") == "img"  # no links: a picture with its label
    lines = root.findall(f".//{SVG}polyline")
    assert len(lines) == 2  # Q1–Q2 and Q4–Q1
    dots = root.findall(f".//{SVG}circle")
    assert len(dots) == 4
    assert dots[0].find(f"{SVG}title").text == "2023-Q1: 50.0% (1 of 2)"
    # higher shares are drawn higher (smaller y)
    assert float(dots[1].get("cy")) < float(dots[0].get("cy"))
    rows = ET.fromstring(chart.table).find("tbody").findall("tr")
    assert [row.findall("td")[0].text for row in rows] == ["50.0%", "100.0%", "–", "25.0%", "75.0%"]
