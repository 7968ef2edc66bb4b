"""The query language (issue 4, item 2): pure, no database."""

import pytest

from shuzheng.search.query import (
    MatchPlan,
    ParsedQuery,
    QueryError,
    SearchQuery,
    TokenGroup,
    Word,
    match_plan,
    parse_query,
)
from shuzheng.search.segmentation import Segmenter


@pytest.fixture(scope="module")
def segmenter():
    return Segmenter(["一网通办", "自治区财政厅"])


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", ()),
        ("   ", ()),
        ("数据共享", (Word("数据共享"),)),
        ("数据 共享", (Word("数据"), Word("共享"))),
        ("数据\u3000共享", (Word("数据"), Word("共享"))),
        ('"数据 共享"', (Word("数据 共享", phrase=True),)),
        ("“一网通办”", (Word("一网通办", phrase=True),)),
        ("“一网通办” 数据", (Word("一网通办", phrase=True), Word("数据"))),
        ("-疫情", (Word("疫情", negated=True),)),
        ("－疫情", (Word("疫情", negated=True),)),
        ('-"疫情 防控"', (Word("疫情 防控", phrase=True, negated=True),)),
        ("-“疫情防控”", (Word("疫情防控", phrase=True, negated=True),)),
        (
            "数据 -共享 “一网通办”",
            (Word("数据"), Word("共享", negated=True), Word("一网通办", phrase=True)),
        ),
        ("IPv6", (Word("IPv6"),)),
        ("foo:bar", (Word("foo:bar"),)),
        ("-", ()),
    ],
)
def test_words_phrases_and_exclusions(text, words):
    assert parse_query(text).words == words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("文号:宁政发〔2023〕17号", ParsedQuery(number="宁政发〔2023〕17号")),
        ("文号:宁政发[2023]17号", ParsedQuery(number="宁政发〔2023〕17号")),
        ("文号：宁政发［2023］17号", ParsedQuery(number="宁政发〔2023〕17号")),
        ("number:宁党办(2023)32号", ParsedQuery(number="宁党办〔2023〕32号")),
        ("发文字号:宁政发〔2023〕017号", ParsedQuery(number="宁政发〔2023〕17号")),
        ("机关:财政厅", ParsedQuery(issuer="财政厅")),
        ("issuer:财政厅", ParsedQuery(issuer="财政厅")),
        ("ISSUER:财政厅", ParsedQuery(issuer="财政厅")),
        ("年份:2023", ParsedQuery(year=2023)),
        ("year:2023", ParsedQuery(year=2023)),
        ("类型:意见", ParsedQuery(doc_type="意见")),
        ("type:通知", ParsedQuery(doc_type="通知")),
        ("文种:通知", ParsedQuery(doc_type="通知")),
        ("单位:自治区财政厅", ParsedQuery(unit="自治区财政厅")),
        ("unit:财政厅", ParsedQuery(unit="财政厅")),
        ('单位:"自治区 财政厅"', ParsedQuery(unit="自治区 财政厅")),
        (
            "数据 机关:财政厅 年份:2023",
            ParsedQuery(words=(Word("数据"),), issuer="财政厅", year=2023),
        ),
    ],
)
def test_field_filters(text, expected):
    assert parse_query(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("年份:去年", "year"),
        ("year:23", "year"),
        ("文号:十七号", "宁政发"),
        ("机关:", "needs a value"),
        ('"数据 共享', "not closed"),
        ("“一网通办", "not closed"),
    ],
)
def test_malformed_input_is_refused_with_a_message(text, message):
    with pytest.raises(QueryError, match=message):
        parse_query(text)


def test_an_excluded_field_is_a_plain_excluded_word():
    assert parse_query("-机关:财政厅").words == (Word("机关:财政厅", negated=True),)


def test_search_query_validates_parameters():
    with pytest.raises(QueryError):
        SearchQuery(kind="chapter")
    with pytest.raises(QueryError):
        SearchQuery(sort="random")
    with pytest.raises(QueryError):
        SearchQuery(page=0)
    with pytest.raises(QueryError):
        SearchQuery(per_page=1000)
    with pytest.raises(QueryError):
        SearchQuery(text="数" * 501)
    assert SearchQuery(number="宁政发[2023]17号").number == "宁政发〔2023〕17号"


def test_parameters_win_over_fields_typed_in_the_text():
    query, parsed = SearchQuery(text="数据 机关:财政厅 年份:2022", year=2023).with_text_filters()
    assert query.year == 2023 and query.issuer == "财政厅"
    assert parsed.words == (Word("数据"),)


def test_match_plan_segments_words_like_the_index(segmenter):
    plan = match_plan(parse_query("政务服务平台 -疫情 “数据共享”"), segmenter)
    assert plan.groups == (
        TokenGroup(("政务", "服务", "平台")),
        TokenGroup(("数据", "共享"), phrase=True),
    )
    assert plan.excluded == (TokenGroup(("疫情",)),)


def test_domain_terms_are_marked_as_terms(segmenter):
    plan = match_plan(parse_query("一网通办 自治区财政厅"), segmenter)
    assert plan.groups == (
        TokenGroup(("一网通办",), term="一网通办"),
        TokenGroup(("自治区", "财政厅"), term="自治区财政厅"),
    )


def test_one_character_queries_become_substrings(segmenter):
    plan = match_plan(parse_query("税 -水"), segmenter)
    assert plan == MatchPlan(substrings=("税",), excluded_substrings=("水",))
    assert match_plan(parse_query("的"), segmenter).substrings == ("的",)
    assert match_plan(parse_query("数据 的"), segmenter).substrings == ()


def test_highlight_terms_longest_first(segmenter):
    assert match_plan(parse_query("数据共享"), segmenter).highlight_terms() == ["共享", "数据"]
    assert match_plan(parse_query("税"), segmenter).highlight_terms() == ["税"]
