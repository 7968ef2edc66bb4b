"""Snippets (issue 4, item 3): marked matches, escaped text — no XSS. Pure."""

from shuzheng.search.snippets import make_snippet, match_spans


def test_matches_are_marked():
    assert make_snippet("推进数据共享", ["数据"]) == "推进<mark>数据</mark>共享"


def test_text_is_escaped_and_only_mark_is_markup():
    snippet = make_snippet('<script>alert("x")</script> 数据 & 共享', ["数据", "script"])
    assert "<script>" not in snippet
    assert "&lt;<mark>script</mark>&gt;alert(&quot;x&quot;)" in snippet
    assert "&amp;" in snippet
    assert snippet.replace("<mark>", "").replace("</mark>", "").count("<") == 0


def test_a_term_containing_markup_cannot_inject():
    snippet = make_snippet("a <b> c", ["<b>"])
    assert snippet == "a <mark>&lt;b&gt;</mark> c"


def test_window_moves_to_the_matches_with_ellipses():
    text = "开头" * 100 + "一网通办" + "结尾" * 100
    snippet = make_snippet(text, ["一网通办"], width=40)
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "<mark>一网通办</mark>" in snippet


def test_window_prefers_more_distinct_terms():
    text = "数据" + "填充" * 50 + "数据与共享" + "填充" * 50
    snippet = make_snippet(text, ["数据", "共享"], width=30)
    assert "<mark>共享</mark>" in snippet


def test_no_match_gives_the_beginning():
    assert make_snippet("第一句。第二句。", ["不在"], width=4) == "第一句。…"


def test_longest_term_wins_overlaps_case_insensitively():
    assert match_spans("IPv6 数据共享", ["ipv6", "数据", "数据共享"]) == [(0, 4), (5, 9)]
