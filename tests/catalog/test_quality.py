"""The quality checks (catalog.quality): each kind, the score, failing rows, CSV streaming."""

import datetime as dt
import io
import tracemalloc

import pytest

from shuzheng.catalog.quality import Check, QualityError, csv_rows, run_checks

ROWS = [
    {"id": "1", "name": "甲", "beds": "100", "uscc": "91640000A", "day": "2026-11-30"},
    {"id": "2", "name": "", "beds": "x", "uscc": "91640000B", "day": "2026-11-29"},
    {"id": "2", "name": "丙", "beds": "5000", "uscc": "Z", "day": ""},
]


def outcome(report, kind):
    return next(o for o in report.outcomes if o.check.kind == kind)


def test_each_kind_counts_its_failures_and_names_the_rows():
    failures = []
    report = run_checks(
        ROWS,
        [
            Check("completeness", "name"),
            Check("format", "beds", {"data_type": "integer"}),
            Check("range", "beds", {"min": 0, "max": 3000}),
            Check("uniqueness", "id"),
            Check("reference", "uscc", {"values": {"91640000A", "91640000B"}}),
            Check("cross_source", "name", {"key": "id", "source": {"1": "甲", "2": "乙"}}),
        ],
        on_failure=lambda number, row, problems: failures.append((number, problems)),
    )
    assert report.rows == 3 and report.failing_rows == 2
    assert (outcome(report, "completeness").checked, outcome(report, "completeness").failed) == (
        3,
        1,
    )
    assert outcome(report, "format").examples == [{"row": 2, "value": "x"}]
    assert [e["row"] for e in outcome(report, "range").examples] == [2, 3]
    assert outcome(report, "uniqueness").examples == [{"row": 3, "value": "2"}]
    assert outcome(report, "reference").examples == [{"row": 3, "value": "Z"}]
    cross = outcome(report, "cross_source")
    assert (cross.checked, cross.failed) == (2, 1)
    assert cross.examples[0]["value"] == {"key": "2", "value": "丙", "source": "乙"}
    assert failures[0] == (
        2,
        ["name: completeness", "beds: format", "beds: range"],
    )
    assert [number for number, _ in failures] == [2, 3]
    assert 0 < report.score < 100


def test_pattern_format_and_freshness_against_the_update_frequency():
    checks = [Check("format", "uscc", {"pattern": r"9164\d{4}[A-Z]"}), Check("freshness", "day")]
    report = run_checks(ROWS, checks, today=dt.date(2026, 12, 1), update_frequency="daily")
    assert outcome(report, "format").failed == 1
    assert outcome(report, "freshness").failed == 0
    stale = run_checks(ROWS, checks, today=dt.date(2026, 12, 10), update_frequency="daily")
    assert outcome(stale, "freshness").failed == 1
    yearly = run_checks(ROWS, checks, today=dt.date(2026, 12, 10), update_frequency="yearly")
    assert outcome(yearly, "freshness").failed == 0


def test_a_perfect_table_scores_100_and_no_checks_score_nothing():
    assert run_checks(ROWS[:1], [Check("completeness", "name")]).score == 100
    assert run_checks(ROWS, []).score is None


def test_missing_columns_and_bad_patterns_are_refused():
    with pytest.raises(QualityError, match="missing.*nope"):
        run_checks(ROWS, [Check("completeness", "nope")])
    with pytest.raises(QualityError, match="pattern"):
        run_checks(ROWS, [Check("format", "name", {"pattern": "("})])


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_rows_decode_the_usual_encodings(encoding):
    text = "名称,床位数\n宁夏回族自治区人民医院,2300\n银川市第一人民医院,1500\n"
    rows = list(csv_rows(io.BytesIO(text.encode(encoding))))
    assert rows[0] == {"名称": "宁夏回族自治区人民医院", "床位数": "2300"}
    assert len(rows) == 2


def test_memory_stays_flat_over_many_rows():
    def rows(count):
        for number in range(count):
            yield {"name": f"单位{number % 100}", "beds": str(number % 5000)}

    checks = [Check("completeness", "name"), Check("range", "beds", {"min": 0, "max": 4000})]
    peaks = []
    for count in (10_000, 100_000):
        tracemalloc.start()
        report = run_checks(rows(count), checks)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert report.rows == count
    assert peaks[1] < peaks[0] * 2


def test_a_value_that_is_no_finite_number_fails_the_range_instead_of_stopping_the_run():
    rows = [{"beds": value} for value in ("12", "NaN", "Infinity", "1e3", "-0.5", "二")]
    report = run_checks(rows, [Check("range", "beds", {"min": 0, "max": 2000})])
    assert [e["value"] for e in outcome(report, "range").examples] == [
        "NaN",
        "Infinity",
        "-0.5",
        "二",
    ]


@pytest.mark.parametrize("chunk_rows", [1, 2, 10_000])
def test_chunks_change_nothing_repeats_and_row_numbers_cross_them(monkeypatch, chunk_rows):
    monkeypatch.setattr("shuzheng.catalog.quality.CHUNK_ROWS", chunk_rows)
    text = "id,name\n1,甲\n2,\n1,丙\n3,丁\n2,戊\n"
    failures = []
    report = run_checks(
        csv_rows(io.BytesIO(text.encode("gb18030"))),
        [Check("completeness", "name"), Check("uniqueness", "id")],
        on_failure=lambda number, row, problems: failures.append((number, row["id"], problems)),
    )
    assert (report.rows, report.failing_rows) == (5, 3)
    assert failures == [
        (2, "2", ["name: completeness"]),
        (3, "1", ["id: uniqueness"]),
        (5, "2", ["id: uniqueness"]),
    ]
