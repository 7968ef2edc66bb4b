"""Segmentation and the domain dictionary (issue 4, item 1): pure, no database."""

import functools
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shuzheng.search.segmentation import (
    STOP_CHARS,
    STOP_WORDS,
    Segmenter,
    doc_number_token,
    is_single_cjk,
    quoted_terms,
)
from shuzheng.text.characters import CJK_IDEOGRAPHS, fold_width
from shuzheng.text.doc_numbers import DocNumberMatch, find_doc_numbers, normalize_doc_number


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


# -- one call per text (issue 13, item 3) ------------------------------------------------------
#
# The tokens must stay exactly what they were when every run of word characters was cut by a
# call of its own: the reference below is that algorithm, kept here as the oracle.

_SAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples" / "ningxia-gazette-2023-10.txt"
_WORD_RUNS = re.compile(f"[{CJK_IDEOGRAPHS}A-Za-z0-9]+")


def _reference_tokens(segmenter: Segmenter, text: str) -> list[str]:
    def plain(part: str) -> list[str]:
        words: list[str] = []
        for run in _WORD_RUNS.findall(part.lower()):
            pending: list[str] = []
            for word in segmenter._jieba.cut(run, False):
                if is_single_cjk(word) and word not in STOP_CHARS:
                    pending.append(word)
                    continue
                words += ["".join(pending)] if len(pending) >= 2 else []
                pending = []
                if not is_single_cjk(word):
                    words.append(word)
            words += ["".join(pending)] if len(pending) >= 2 else []
        tokens = [token for word in words for token in segmenter._fine_cover(word)]
        return [token for token in tokens if token not in STOP_WORDS]

    tokens: list[str] = []
    position = 0
    for number in DOC_NUMBER_PATTERN_FINDER(text):
        tokens += plain(text[position : number.start])
        tokens += plain(number.code)
        tokens.append(doc_number_token(number.year, number.serial))
        position = number.end
    return tokens + plain(text[position:])


def _reference_terms(segmenter: Segmenter, text: str) -> list[str]:
    words = [
        w for run in _WORD_RUNS.findall(text.lower()) for w in segmenter._jieba.cut(run, False)
    ]
    return [term for term in dict.fromkeys(words) if term in segmenter.terms]


def DOC_NUMBER_PATTERN_FINDER(text: str):  # noqa: N802 - the grammar's own finder, by its pattern
    """find_doc_numbers as it was: the full pattern over the whole text."""
    from shuzheng.text import doc_numbers

    for match in doc_numbers.DOC_NUMBER_PATTERN.finditer(text):
        cut = doc_numbers._lead_in_length(match.group("prefix"))
        yield DocNumberMatch(
            start=match.start() + cut,
            end=match.end(),
            raw=text[match.start() + cut : match.end()],
            normalized=doc_numbers._normalized(match, cut),
            code=match.group("prefix")[cut:],
            year=int(fold_width(match.group("year"))),
            serial=int(fold_width(match.group("serial"))),
        )


@pytest.fixture(scope="module")
def sample_segmenter():
    text = _SAMPLE.read_text()
    return Segmenter(["一网通办", "免申即享", "自治区财政厅", *quoted_terms(text)])


def _sample_texts() -> list[str]:
    text = _SAMPLE.read_text()
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    # The whole text, every paragraph, and slices that start and end mid-line.
    slices = [text[start : start + 997] for start in range(0, len(text), 1499)]
    return [text, *paragraphs, *slices]


def test_tokens_are_those_of_one_call_per_run_on_the_sample(sample_segmenter):
    texts = _sample_texts()
    sample_segmenter.prepare(texts)
    for text in texts:
        assert sample_segmenter.tokens(text) == _reference_tokens(sample_segmenter, text)
        assert sample_segmenter.domain_terms_in(text) == _reference_terms(sample_segmenter, text)


def test_doc_numbers_found_line_by_line_are_those_of_the_whole_text():
    text = _SAMPLE.read_text()
    assert find_doc_numbers(text) == list(DOC_NUMBER_PATTERN_FINDER(text))
    assert len(find_doc_numbers(text)) >= 3


_PIECES = st.sampled_from(
    [
        "推进", "数据共享", "一网通办", "免申即享", "自治区财政厅", "的", "和", "免", "申",
        "宁政发〔2023〕17号", "根据国发[2022]14号", "（2023）", "〔", "年", "ABC", "IPv6",
        "5G", "１２", "，", "。", "、", "\n", " ", "\t", "·", "-", "+", "𠀀", "Σ", "﹏",
    ]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_tokens_equal_the_reference_on_random_text(text):
    segmenter = _property_segmenter()
    assert segmenter.tokens(text) == _reference_tokens(segmenter, text)
    assert segmenter.domain_terms_in(text) == _reference_terms(segmenter, text)
    assert find_doc_numbers(text) == list(DOC_NUMBER_PATTERN_FINDER(text))


@functools.cache
def _property_segmenter() -> Segmenter:
    return Segmenter(["一网通办", "自治区财政厅"])


def test_a_batch_of_texts_is_cut_in_one_call():
    calls = []
    segmenter = Segmenter(["一网通办"])
    jieba = segmenter._jieba

    class Counting:
        def cut(self, text, hmm):
            calls.append(text)
            return jieba.cut(text, hmm)

        def __getattr__(self, name):
            return getattr(jieba, name)

    segmenter._jieba = Counting()
    texts = _sample_texts()
    segmenter.prepare(texts)
    assert len(calls) == 1
    for text in texts[:20]:
        segmenter.tokens(text)
        segmenter.domain_terms_in(text)
    assert len(calls) == 1  # every line was cut already
