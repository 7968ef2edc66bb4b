"""The pure matching rules: the enterprise profile rule on real passages of the sample
gazette (seed task 89), saved-search labels, and one reason per person and item."""

from pathlib import Path

import pytest

from shuzheng.subscriptions import matching
from shuzheng.subscriptions.matching import Match, Profile, profile_fit

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples" / "ningxia-gazette-2023-10.txt"
MANUFACTURER = Profile(
    industry="制造业", region_names=("银川市", "银川"), size="sme", tags=("专精特新",)
)


def passage(starting: str) -> str:
    """The paragraph of the sample gazette that starts with ``starting``."""
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        if line.strip().startswith(starting):
            return line.strip()
    raise AssertionError(f"no paragraph starts with {starting!r}")


def test_the_enterprise_life_cycle_passage_fits_every_enterprise():
    # 优化营商环境 … 强化企业全生命周期服务，推动涉企服务一网通办、惠企政策精准推送
    text = passage("“证照分离”改革")
    fit = profile_fit(text, MANUFACTURER)
    assert fit is not None and fit.general
    assert set(fit.terms) >= {"惠企", "涉企", "企业全生命周期"}
    assert profile_fit(text, Profile()) is not None


def test_task_89_the_enterprise_web_page_fits_every_enterprise():
    text = passage("89. 依托全区一体化政务服务平台")
    fit = profile_fit(text, Profile(industry="软件业"))
    assert fit is not None and "惠企" in fit.terms


def test_a_data_sharing_passage_naming_public_enterprises_in_passing_does_not_fit():
    # 深化数据高效共享 … 与水电气热等公共企业、航空铁路等公共交通企业 … 对接
    text = passage("深化数据高效共享")
    assert "企业" in text
    assert profile_fit(text, MANUFACTURER) is None


def test_a_passage_on_enterprises_fits_when_it_uses_a_word_of_the_profile():
    text = "银川市要聚焦制造业中小企业，建立“免申即享”清单。"
    fit = profile_fit(text, MANUFACTURER)
    assert fit is not None and not fit.general
    assert set(fit.terms) >= {"制造业", "银川市", "中小企业"}
    # The same words without any enterprise in the passage are not enterprise policy.
    assert profile_fit("银川市推进制造业数字化转型。", MANUFACTURER) is None
    # Another enterprise's words do not fit.
    other = Profile(industry="旅游业", region_names=("固原市", "固原"), size="large")
    assert profile_fit(text, other) is None


def test_profile_terms_and_summary():
    assert MANUFACTURER.summary() == "制造业 · 银川市 · 中小企业 · 专精特新"
    terms = MANUFACTURER.terms()
    assert {"制造业", "制造", "银川市", "银川", "中小企业", "专精特新"} <= set(terms)
    assert Profile(region_names=("宁夏回族自治区",)).terms() == ("宁夏回族自治区", "宁夏")


def test_saved_parameters_keep_search_words_and_filters_only():
    params = {"q": " 数据共享 ", "issuer": "自治区财政厅", "page": "2", "sort": "date", "year": ""}
    assert matching.saved_parameters(params) == {"q": "数据共享", "issuer": "自治区财政厅"}


def test_search_label_names_words_and_filters():
    assert (
        matching.search_label({"q": "数据共享", "issuer": "自治区财政厅"})
        == "“数据共享” (机关:自治区财政厅)"
    )
    assert matching.search_label({"unit": "财政厅", "year": "2023"}) == "单位:财政厅 · 年份:2023"
    assert matching.search_label({"topic": "09"}) == "主题:城乡建设、环境保护"


def test_a_search_with_more_conditions_is_more_specific():
    plain = matching.search_specificity({"q": "数据共享"})
    narrow = matching.search_specificity({"q": "数据共享", "issuer": "自治区财政厅"})
    assert narrow > plain > matching.SPECIFICITY[matching.TOPIC]


def test_choose_takes_the_most_specific_match_then_the_oldest():
    unit = Match("unit", 3, 20, "you follow 自治区财政厅", "自治区财政厅")
    search_old = Match("search", 5, 41, "matches “数据共享”", "“数据共享”")
    search_new = Match("search", 9, 41, "matches “共享”", "“共享”")
    profile = Match("profile", None, 10, "fits your enterprise profile", "profile")
    primary, others = matching.choose([unit, profile, search_new, search_old])
    assert primary is search_old
    assert others == [search_new, unit, profile]
    with pytest.raises(ValueError):
        matching.choose([])


def test_combined_reason_lists_the_others_and_stays_within_the_limit():
    primary = Match("search", 1, 41, "matches your saved search “数据共享”", "“数据共享”")
    other = Match("unit", 2, 20, "you follow 自治区财政厅", "自治区财政厅")
    assert (
        matching.combined_reason(primary, [other], "also:")
        == "matches your saved search “数据共享” (also: 自治区财政厅)"
    )
    long = Match("unit", 3, 20, "x", "长" * 400)
    assert len(matching.combined_reason(primary, [long], "also:")) == 300


def test_subscription_key_tells_kinds_and_targets_apart():
    assert matching.subscription_key("topic", "数据") != matching.subscription_key("unit", "数据")
    assert matching.subscription_key("topic", "数据") == matching.subscription_key("topic", "数据")
