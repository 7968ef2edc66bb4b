"""Segmentation and the domain dictionary (issue 4, item 1): pure, no database."""

import pytest

from shuzheng.search.segmentation import (
    Segmenter,
    doc_number_token,
    quoted_terms,
)
from shuzheng.text.doc_numbers import normalize_doc_number


@pytest.fixture(scope="module")
def segmenter():
    return Segmenter(["一网通办", "免申即享", "自治区财政厅"])


def test_multi_character_words_are_the_tokens(segmenter):
    assert segmenter.tokens("发挥全区一体化政务服务平台枢纽作用") == [
        "发挥",
        "全区",
        "一体化",
        "政务",
        "服务",
        "平台",
        "枢纽",
        "作用",
    ]


def test_single_characters_and_stop_words_are_dropped(segmenter):
    tokens = segmenter.tokens("关于数据的共享，对人、地、物")
    assert tokens == ["数据", "共享"]


def test_unknown_single_characters_are_joined():
    # 免申即享 is not in the base dictionary: the precise cut leaves four single characters.
    assert Segmenter().tokens("推广免申即享服务") == ["推广", "免申即享", "服务"]


def test_domain_terms_stay_whole_and_are_listed(segmenter):
    assert segmenter.tokens("推广“免申即享”和一网通办") == ["推广", "免申即享", "一网通办"]
    assert segmenter.domain_terms_in("自治区财政厅牵头，推进一网通办") == [
        "自治区财政厅",
        "一网通办",
    ]
    assert segmenter.as_term("一网通办") == "一网通办"
    assert segmenter.as_term("一网") == ""


def test_compounds_are_cut_into_their_finest_dictionary_words(segmenter):
    # A query for 财政厅 must find 自治区财政厅 in the text.
    assert segmenter.tokens("自治区财政厅") == ["自治区", "财政厅"]
    assert segmenter.tokens("政务服务") == segmenter.tokens("政务服务平台")[:2]


def test_latin_and_digits_are_lower_case_tokens(segmenter):
    assert segmenter.tokens("推进IPv6改造和5G应用") == ["推进", "ipv6", "改造", "5g", "应用"]


@pytest.mark.parametrize(
    "typed",
    [
        "宁政发〔2023〕17号",
        "宁政发[2023]17号",
        "宁政发［2023］17号",
        "宁政发(2023)17号",
        "宁政发（2023）17号",
        "宁政发【2023】17号",
        "宁政发〔2023〕017号",
        "宁政发 〔2023〕 第17号",
    ],
)
def test_doc_numbers_in_any_bracket(typed, segmenter):
    assert normalize_doc_number(typed) == "宁政发〔2023〕17号"
    assert doc_number_token(2023, 17) in segmenter.tokens(typed)
    assert segmenter.tokens(typed) == segmenter.tokens("宁政发〔2023〕17号")


def test_not_a_doc_number():
    assert normalize_doc_number("2023年17号") is None
    assert normalize_doc_number("宁政发17号") is None


def test_quoted_terms_are_found_once():
    text = "推广“免申即享”“民生直达”，再推广“免申即享”，“这是一段很长很长的引用文字不是术语”"
    assert quoted_terms(text) == ["免申即享", "民生直达"]


def test_adding_terms_reports_only_new_ones():
    segmenter = Segmenter()
    assert segmenter.add_terms(["数字宁夏", "数字宁夏", ""]) == ["数字宁夏"]
    assert segmenter.add_terms(["数字宁夏"]) == []
