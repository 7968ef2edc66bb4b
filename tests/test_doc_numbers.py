"""The one document-number grammar (shuzheng.text.doc_numbers), and its agreement: the
parser, the search tokenizer and the search query parser read every number alike."""

import re

import pytest

from shuzheng.documents.parsing.citations import find_citations
from shuzheng.search.query import QueryError, parse_query
from shuzheng.search.segmentation import Segmenter, doc_number_token
from shuzheng.text.doc_numbers import DOC_NUMBER_PATTERN, find_doc_numbers, normalize_doc_number


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
    assert normalize_doc_number(raw) is None


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


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        ("各部门按照宁政发〔2023〕17号", "宁政发〔2023〕17号"),
        ("现将宁政办发〔2023〕5号", "宁政办发〔2023〕5号"),
        ("印发国发〔2022〕14号", "国发〔2022〕14号"),
        ("转发和宁政发〔2023〕17号", "宁政发〔2023〕17号"),
    ],
)
def test_the_parser_and_the_search_cut_one_lead_in_rule(text, raw):
    """The organ's code starts after the last lead-in word, wherever it stands, for the
    citations of the parser and the tokens of the search alike (issue 8: one rule)."""
    assert [m.raw for m in find_doc_numbers(text)] == [raw]
    assert [c.raw for c in find_citations(text, 0, len(text))] == [raw]


def test_find_doc_numbers_keeps_a_two_character_prefix_that_starts_like_a_lead_in():
    # 及发 is too short to lose its first character: an organ abbreviation has at least two.
    assert find_doc_numbers("及发〔2023〕1号")[0].raw == "及发〔2023〕1号"


def test_find_doc_numbers_does_not_cross_lines():
    assert find_doc_numbers("宁政发\n〔2023〕17号") == []


def test_find_doc_numbers_in_the_sample_gazette():
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "data/samples/ningxia-gazette-2023-10.txt"
    normalized = {m.normalized for m in find_doc_numbers(path.read_text("utf-8"))}
    assert {"宁政发〔2023〕17号", "宁党办〔2023〕32号", "国发〔2022〕14号"} <= normalized


def test_find_doc_numbers_gives_code_year_and_serial():
    (found,) = find_doc_numbers("按照宁财(预)发〔２０２３〕第08号")
    assert (found.code, found.year, found.serial) == ("宁财(预)发", 2023, 8)
    assert found.normalized == "宁财（预）发〔2023〕8号"


# -- one grammar: parser, tokenizer and query parser agree --------------------------------

#: (as typed or written, its standard form or None when it is no number).
AGREEMENT = [
    ("宁政发〔2023〕17号", "宁政发〔2023〕17号"),
    ("宁政发[2023]17号", "宁政发〔2023〕17号"),
    ("宁政发［2023］17号", "宁政发〔2023〕17号"),
    ("宁政发【2023】17号", "宁政发〔2023〕17号"),
    ("宁政发（2023）17号", "宁政发〔2023〕17号"),
    ("宁政发(2023)017号", "宁政发〔2023〕17号"),
    ("宁政发〔２０２３〕１７号", "宁政发〔2023〕17号"),  # full-width digits
    ("宁政发\u3000〔2023〕\u3000第17号", "宁政发〔2023〕17号"),  # ideographic spaces, 第
    ("国办函〔2023〕1号", "国办函〔2023〕1号"),
    ("宁财(预)发〔2023〕8号", "宁财（预）发〔2023〕8号"),
    ("宁政发〔23〕17号", None),  # a two-digit year
    ("宁政发〔2023〕17", None),  # no 号
    ("宁政发2023年17号", None),  # no brackets
    ("宁政发17号", None),
    ("〔2023〕17号", None),  # no issuer code
    ("发〔2023〕17号", None),  # a one-character code
    ("宁政发〔2023〕123456号", None),  # a six-digit serial
]
_NUMBER_TOKEN = re.compile(r"\d+n\d+")


@pytest.fixture(scope="module")
def segmenter():
    return Segmenter()


@pytest.mark.parametrize(("typed", "standard"), AGREEMENT)
def test_the_parser_reads_the_number_line_and_citations_by_the_grammar(typed, standard):
    assert normalize_doc_number(typed) == standard
    text = f"（{typed}）"
    cited = [c.doc_number for c in find_citations(text, 0, len(text)) if c.doc_number]
    assert cited == ([standard] if standard else [])


@pytest.mark.parametrize(("typed", "standard"), AGREEMENT)
def test_the_search_tokenizer_reads_numbers_by_the_grammar(typed, standard, segmenter):
    number_tokens = [t for t in segmenter.tokens(typed) if _NUMBER_TOKEN.fullmatch(t)]
    if standard is None:
        assert number_tokens == []
        return
    year, serial = re.search(r"〔(\d{4})〕(\d+)号", standard).groups()
    assert number_tokens == [doc_number_token(year, serial)]
    assert segmenter.tokens(typed) == segmenter.tokens(standard)


@pytest.mark.parametrize(("typed", "standard"), AGREEMENT)
def test_the_query_parser_reads_the_number_filter_by_the_grammar(typed, standard):
    query = f"文号：{typed}" if "\u3000" not in typed else f'文号:"{typed}"'
    if standard is None:
        with pytest.raises(QueryError):
            parse_query(query)
        return
    assert parse_query(query).number == standard
