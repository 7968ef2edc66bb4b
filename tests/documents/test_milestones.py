"""完成时限 → milestones (GLOSSARY kinds: start / complete / effective / ongoing)."""

from datetime import date
from pathlib import Path

import pytest

from shuzheng.documents.parsing.milestones import parse_deadline
from shuzheng.documents.parsing.model import MilestoneKind

START, COMPLETE, EFFECTIVE, ONGOING = (
    MilestoneKind.START,
    MilestoneKind.COMPLETE,
    MilestoneKind.EFFECTIVE,
    MilestoneKind.ONGOING,
)
SAMPLE = Path(__file__).resolve().parents[2] / "data/samples/ningxia-gazette-2023-10.txt"

# Every distinct 完成时限 cell of the sample's task table (attachment 2 of 宁政发〔2023〕17号),
# exactly as written, with the milestones it means.
SAMPLE_DEADLINES = {
    "2023年": [(COMPLETE, 2023)],
    "2023 年": [(COMPLETE, 2023)],
    "2024年": [(COMPLETE, 2024)],
    "2024 年": [(COMPLETE, 2024)],
    "2025年": [(COMPLETE, 2025)],
    "2025 年": [(COMPLETE, 2025)],
    "长期坚持": [(ONGOING, None)],
    "持续推进，2025 年取得明显成效": [(ONGOING, None), (EFFECTIVE, 2025)],
    "持续推进，2025年取得明显成效": [(ONGOING, None), (EFFECTIVE, 2025)],
    "持续推进，2024 年取得明显成效": [(ONGOING, None), (EFFECTIVE, 2024)],
    "长期推进，2024年取得明显成效": [(ONGOING, None), (EFFECTIVE, 2024)],
    "2023 年启动，2024 年取得明显成效": [(START, 2023), (EFFECTIVE, 2024)],
    "2023年启动，2025年取得明显成效": [(START, 2023), (EFFECTIVE, 2025)],
    "2023年启动, 2024年建成": [(START, 2023), (COMPLETE, 2024)],
    "2023年启动，2025年完成": [(START, 2023), (COMPLETE, 2025)],
    "2023年形成试点经验，2025年取得明显成效": [(COMPLETE, 2023), (EFFECTIVE, 2025)],
    "2023年完成主要建设任务，2025年取得明显成效": [(COMPLETE, 2023), (EFFECTIVE, 2025)],
    "2023年形成机制, 长期坚持": [(COMPLETE, 2023), (ONGOING, None)],
    "2023 年形成机制，长期坚持": [(COMPLETE, 2023), (ONGOING, None)],
    "2023年完成并长期坚持": [(COMPLETE, 2023), (ONGOING, None)],
    "2023 年完成，长期坚持": [(COMPLETE, 2023), (ONGOING, None)],
    "2024 年建成，持续推进": [(COMPLETE, 2024), (ONGOING, None)],
}


def kinds_and_years(text):
    deadline = parse_deadline(text)
    assert deadline.unparsed == []
    return [(milestone.kind, milestone.year) for milestone in deadline.milestones]


def sample_deadline_cells() -> set[str]:
    cells = set()
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 4 and parts[3] != "完成时限":
            cells.add(parts[3].strip())
    return cells


def test_the_table_covers_every_deadline_of_the_sample():
    assert sample_deadline_cells() == set(SAMPLE_DEADLINES)


@pytest.mark.parametrize(("text", "expected"), sorted(SAMPLE_DEADLINES.items()))
def test_sample_deadline(text, expected):
    assert kinds_and_years(text) == expected


def test_milestone_text_is_the_clause_without_layout_spaces():
    deadline = parse_deadline("2023 年启动，2024 年取得明显成效")
    assert [milestone.text for milestone in deadline.milestones] == [
        "2023年启动",
        "2024年取得明显成效",
    ]


@pytest.mark.parametrize(
    ("text", "kind", "on"),
    [
        ("2023年6月底前", COMPLETE, date(2023, 6, 30)),
        ("2024年2月底前完成", COMPLETE, date(2024, 2, 29)),
        ("2023年底前", COMPLETE, date(2023, 12, 31)),
        ("2023年12月31日前建成", COMPLETE, date(2023, 12, 31)),
        ("2024年9月", COMPLETE, date(2024, 9, 30)),
        ("2024年上半年", COMPLETE, date(2024, 6, 30)),
        ("2024年第三季度", COMPLETE, date(2024, 9, 30)),
        ("2024年6月启动", START, date(2024, 6, 30)),
    ],
)
def test_full_dates(text, kind, on):
    deadline = parse_deadline(text)
    assert deadline.unparsed == []
    [milestone] = deadline.milestones
    assert (milestone.kind, milestone.year, milestone.on) == (kind, on.year, on)


def test_a_bare_year_has_no_day():
    [milestone] = parse_deadline("2025年").milestones
    assert milestone.on is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024年出台", [(COMPLETE, 2024)]),
        ("2025年实现全覆盖", [(COMPLETE, 2025)]),
        ("2023年见效", [(EFFECTIVE, 2023)]),
        ("每年12月底前", [(ONGOING, None)]),
        ("2023年启动、2024年建成", [(START, 2023), (COMPLETE, 2024)]),
        ("2024年建成；持续推进", [(COMPLETE, 2024), (ONGOING, None)]),
    ],
)
def test_other_wordings(text, expected):
    assert kinds_and_years(text) == expected


@pytest.mark.parametrize(
    ("text", "unparsed"),
    [
        ("视情况而定", ["视情况而定"]),
        ("2023年试运行", ["2023年试运行"]),
        ("2023年启动，适时评估", ["适时评估"]),
        ("2023年6月40日", []),
    ],
)
def test_what_cannot_be_read_is_reported(text, unparsed):
    deadline = parse_deadline(text)
    assert deadline.unparsed == unparsed


def test_an_impossible_day_keeps_the_year_but_no_date():
    [milestone] = parse_deadline("2023年6月40日").milestones
    assert (milestone.year, milestone.on) == (2023, None)


def test_empty_text_has_no_milestones():
    deadline = parse_deadline("")
    assert (deadline.milestones, deadline.unparsed) == ([], [])
