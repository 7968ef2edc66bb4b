import pytest

from shuzheng.documents.parsing.normalize import (
    DOC_NUMBER_PATTERN,
    find_doc_numbers,
    fold_width,
    normalize_doc_number,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("宁党办[2023]32号", "宁党办〔2023〕32号"),
        ("宁政发〔2023〕17号", "宁政发〔2023〕17号"),
        ("国发［2022］14号", "国发〔2022〕14号"),
        ("宁政办发【2023】45号", "宁政办发〔2023〕45号"),
        ("宁政办发(2023)5号", "宁政办发〔2023〕5号"),
        ("宁政办发（2023）5号", "宁政办发〔2023〕5号"),
        ("宁政发〔2023]17号", "宁政发〔2023〕17号"),  # mismatched brackets (OCR)
        ("宁政发 〔 2023 〕 17 号", "宁政发〔2023〕17号"),
        ("宁政发\u3000〔２０２３〕１７号", "宁政发〔2023〕17号"),
        ("宁政发〔2023〕第17号", "宁政发〔2023〕17号"),
        ("宁政发〔2023〕017号", "宁政发〔2023〕17号"),
        ("  国办函〔2023〕1号  ", "国办函〔2023〕1号"),
        ("宁财(预)发〔2023〕8号", "宁财（预）发〔2023〕8号"),
    ],
)
def test_normalize_doc_number(raw, expected):
    assert normalize_doc_number(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["", "宁政发", "宁政发〔23〕17号", "〔2023〕17号", "宁政发〔2023〕17", "宁政发2023年17号"],
)
def test_normalize_doc_number_refuses_what_is_not_a_doc_number(raw):
    with pytest.raises(ValueError, match="not a document number"):
        normalize_doc_number(raw)


def test_doc_number_pattern_is_exported_for_other_matchers():
    assert DOC_NUMBER_PATTERN.search("（宁政发〔2023〕17号）").group("year") == "2023"


def test_find_doc_numbers_returns_spans_into_the_text():
    text = "根据《国务院关于加强数字政府建设的指导意见》（国发〔2022〕14号）和宁党办[2023]32号精神"
    found = find_doc_numbers(text)
    assert [(m.raw, m.normalized) for m in found] == [
        ("国发〔2022〕14号", "国发〔2022〕14号"),
        ("宁党办[2023]32号", "宁党办〔2023〕32号"),
    ]
    for match in found:
        assert text[match.start : match.end] == match.raw


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        ("按照宁政办发〔2023〕5号要求", "宁政办发〔2023〕5号"),
        ("根据和宁政发〔2023〕17号", "宁政发〔2023〕17号"),
        ("见国发〔2022〕14号", "国发〔2022〕14号"),
    ],
)
def test_find_doc_numbers_cuts_lead_in_words(text, raw):
    assert [m.raw for m in find_doc_numbers(text)] == [raw]


def test_find_doc_numbers_keeps_a_two_character_prefix_that_starts_like_a_lead_in():
    # 及发 is too short to lose its first character: an organ abbreviation has at least two.
    assert find_doc_numbers("及发〔2023〕1号")[0].raw == "及发〔2023〕1号"


def test_find_doc_numbers_does_not_cross_lines():
    assert find_doc_numbers("宁政发\n〔2023〕17号") == []


def test_find_doc_numbers_in_the_sample_gazette():
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "data/samples/ningxia-gazette-2023-10.txt"
    normalized = {m.normalized for m in find_doc_numbers(path.read_text("utf-8"))}
    assert {"宁政发〔2023〕17号", "宁党办〔2023〕32号", "国发〔2022〕14号"} <= normalized


def test_fold_width_keeps_length_and_folds_ascii_variants():
    text = "ＡＢＣ１２３（一）：，\u3000数字"
    folded = fold_width(text)
    assert folded == "ABC123(一):, 数字"
    assert len(folded) == len(text)


def test_fold_width_leaves_chinese_punctuation_without_ascii_equivalent():
    assert fold_width("〔2023〕、。《》") == "〔2023〕、。《》"
