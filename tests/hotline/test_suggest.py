"""The learned suggestion of category and unit (hotline.suggest, issue 15 point 2)."""

import json
from pathlib import Path

import pytest

from shuzheng.hotline import suggest

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "src" / "shuzheng" / "hotline" / "data" / "catalog.json"
LABELLED = ROOT / "bench" / "data" / "hotline_labelled_requests.jsonl"


@pytest.fixture(scope="module")
def sample():
    return suggest.from_catalog(json.loads(CATALOG.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def labelled():
    lines = LABELLED.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_the_labelled_set_covers_every_category_of_the_catalog(sample, labelled):
    categories, _ = sample
    assert len(labelled) >= 300
    assert {row["category"] for row in labelled} == {c.code for c in categories}
    assert len({row["text"] for row in labelled}) == len(labelled)


def test_the_catalog_alone_suggests_a_category_and_the_unit_of_the_duty_map(sample):
    suggester = suggest.Suggester(*sample)
    (first, *_) = suggester.suggest("解放街的垃圾堆了好几天没人清运", ["640104", "640100"])
    assert first.code == "urban-appearance"
    assert "垃圾" in first.words
    # 兴庆区 has its own entry, found before 银川市's.
    assert first.duty.region == "640104"
    assert first.unit == first.duty.unit


def test_the_unit_falls_back_from_the_county_to_the_city(sample):
    categories, duties = sample
    suggester = suggest.Suggester(categories, duties)
    (first, *_) = suggester.suggest("公司拖欠工资三个月了", ["640181", "640100"])
    assert first.code == "wage-arrears"
    assert first.duty.region == "640100"
    assert first.unit == "yinchuan-human-resources-social-security"
    assert suggester.suggest("公司拖欠工资三个月了", ["650100"])[0].duty is None


def test_past_requests_teach_words_the_catalog_does_not_know(sample):
    text = "楼下烧烤店的排烟管道正对着我家窗户"
    untaught = suggest.Suggester(*sample)
    assert untaught.suggest(text)[0].code != "environment"
    taught = suggest.Suggester(*sample)
    assert taught.learn([("烧烤店排烟熏得睡不着", "environment"), ("排烟管道冒烟", "unknown")]) == 1
    first = taught.suggest(text)[0]
    assert first.code == "environment"
    assert "烧烤店" in first.words


def test_probabilities_are_ranked_and_sum_to_at_most_one(sample):
    ranked = suggest.Suggester(*sample).suggest("小区停水了，物业也不管", limit=7)
    assert [s.probability for s in ranked] == sorted((s.probability for s in ranked), reverse=True)
    assert sum(s.probability for s in ranked) == pytest.approx(1.0)
    assert ranked[0].code == "heating-water"


def test_text_without_a_word_gives_no_suggestion(sample):
    suggester = suggest.Suggester(*sample)
    assert suggester.suggest("，。！？   ……") == []
    with pytest.raises(ValueError):
        suggest.Suggester([])


def test_held_out_requests_are_ranked_in_the_top_three_nine_times_in_ten(sample, labelled):
    """Trained on four fifths of each category, measured on the fifth it never saw (the
    bench does all five folds)."""
    seen = {}
    train, held_out = [], []
    for row in labelled:
        index = seen[row["category"]] = seen.get(row["category"], -1) + 1
        (held_out if index % 5 == 0 else train).append(row)
    suggester = suggest.Suggester(*sample)
    suggester.learn((row["text"], row["category"]) for row in train)
    top3 = sum(
        row["category"] in [s.code for s in suggester.suggest(row["text"])] for row in held_out
    )
    assert top3 / len(held_out) >= 0.9
