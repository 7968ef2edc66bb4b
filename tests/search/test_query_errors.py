"""Query errors are codes with parameters, rendered at display in the viewer's language
(issue 8: no English sentence inside the Chinese UI)."""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext

from shuzheng.search.query import (
    QUERY_ERROR_TEXT,
    QueryError,
    SearchQuery,
    parse_query,
    query_from_params,
)

#: How each code is raised by the query parser and the parameter checks.
TRIGGERS = {
    "too_long": lambda: SearchQuery(text="数" * 501),
    "unknown_kind": lambda: SearchQuery(kind="chapter"),
    "unknown_sort": lambda: SearchQuery(sort="random"),
    "page_below_one": lambda: SearchQuery(page=0),
    "per_page_out_of_range": lambda: SearchQuery(per_page=1000),
    "field_without_value": lambda: parse_query("机关:"),
    "year_not_four_digits": lambda: parse_query("年份:去年"),
    "not_a_doc_number": lambda: parse_query("文号:十七号"),
    "quote_not_closed": lambda: parse_query('"数据 共享'),
    "scoped_single_character": lambda: parse_query("标题:税"),
    "not_a_whole_number": lambda: query_from_params({"page": "two"}),
    "out_of_range": lambda: query_from_params({"year": "99999999999999999999"}),
    "not_a_date": lambda: query_from_params({"date_from": "2023-02-30"}),
    "dates_reversed": lambda: parse_query("发布日期:2023-07-01..2023-06-30"),
    "unknown_topic": lambda: parse_query("主题:天文"),
}


def raised(code: str) -> QueryError:
    with pytest.raises(QueryError) as caught:
        TRIGGERS[code]()
    return caught.value


def without_parameter_values(text: str, error: QueryError) -> str:
    """The sentence without what the person typed or may type (those stay as they are)."""
    for value in error.params.values():
        for item in value if isinstance(value, tuple) else (value,):
            if isinstance(item, str):
                text = text.replace(item, "")
    return text


def test_every_code_is_raised_by_a_check():
    assert set(TRIGGERS) == set(QUERY_ERROR_TEXT)
    assert all(raised(code).code == code for code in TRIGGERS)


@pytest.mark.parametrize("code", sorted(QUERY_ERROR_TEXT))
def test_every_error_reads_in_chinese_without_english_words(code):
    error = raised(code)
    with translation.override("zh-hans"):
        chinese = error.describe(gettext)
    assert chinese != error.describe()
    assert not re.search(r"[A-Za-z]", without_parameter_values(chinese, error)), chinese
    assert chinese.endswith("。")


@pytest.mark.parametrize("code", sorted(QUERY_ERROR_TEXT))
def test_every_error_reads_in_english_as_its_message(code):
    error = raised(code)
    with translation.override("en"):
        assert error.describe(gettext) == str(error)


def test_a_list_parameter_is_joined_the_chinese_way():
    """The choices are named as the results page names them, never by the URL's codes."""
    error = raised("unknown_kind")
    with translation.override("zh-hans"):
        assert error.describe(gettext) == "检索层级须为以下之一：公文、章节、重点任务。"
    assert str(error) == "The level (kind) must be one of Document, Section, Key task."


@pytest.mark.django_db
@pytest.mark.chinese_ui
@pytest.mark.parametrize(
    ("parameter", "message"),
    [
        ("kind", "检索层级须为以下之一：公文、章节、重点任务。"),
        ("sort", "排序方式须为以下之一：相关度、最新在前。"),
    ],
)
def test_a_hand_typed_unknown_choice_is_worded_without_codes(client, parameter, message):
    response = client.get("/search/", {"q": "数据", parameter: "chapter"})
    assert response.status_code == 400
    assert f'role="alert">{message}</p>' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.chinese_ui
def test_the_results_page_shows_the_error_in_chinese(client):
    response = client.get("/search/", {"q": "年份:去年"}, headers={"accept-language": "zh-hans"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "年份须为四位数字，而不是“去年”。" in page
    assert "four-digit" not in page
    response = client.get("/search/", {"q": "数据", "page": "two"})
    assert "页码须为整数，而不是“two”。" in response.content.decode()


@pytest.mark.django_db
def test_the_api_answers_in_the_callers_language(client):
    english = client.get("/api/v1/search", {"q": "年份:去年"})
    assert english.json()["detail"] == '年份/year must be a four-digit year, not "去年".'
    chinese = client.get(
        "/api/v1/search", {"q": "年份:去年"}, headers={"accept-language": "zh-hans"}
    )
    assert chinese.status_code == 400
    assert chinese.json()["detail"] == "年份须为四位数字，而不是“去年”。"
