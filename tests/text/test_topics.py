"""The 主题分类 and its keyword rule (issue 14, point 3): plain Python, no database."""

import json

from shuzheng.text import topics


def test_the_classification_is_the_state_councils_21_classes_in_order():
    names = [topic.zh for topic in topics.topics()]
    assert len(names) == 21
    assert names[0] == "综合政务"
    assert names[8] == "城乡建设、环境保护"
    assert names[-1] == "其他"
    assert [topic.code for topic in topics.topics()] == [f"{n:02d}" for n in range(1, 22)]
    assert all(topic.en and topic.en != topic.zh for topic in topics.topics())
    data = json.loads(topics.DATA_FILE.read_text(encoding="utf-8"))
    assert "gov.cn" in data["source"]


def test_a_title_word_decides_and_the_deciding_words_are_named():
    proposal = topics.propose(
        "关于加强数字政府建设的实施意见", "推进数字政府建设，深化政务服务“一网通办”。"
    )
    assert proposal.topics == ("01",)
    assert proposal.words_of("01")[0] == "数字政府"
    assert "政务服务" in proposal.words_of("01")


def test_a_close_second_topic_is_proposed_beside_the_first():
    text = "完善生态保护补偿制度，加大财政转移支付，统筹预算。" * 3
    proposal = topics.propose("关于生态保护补偿资金管理的意见", text)
    assert set(proposal.topics) == {"09", "03"}
    # Each occurrence counts once: 生态保护补偿 is not also 生态保护 and 生态.
    assert proposal.words_of("09") == ("生态保护补偿",)
    alone = topics.propose("关于生态保护补偿制度的意见", "完善生态保护补偿制度。" * 3)
    assert alone.topics == ("09",)


def test_a_text_without_keywords_is_other_and_words_in_passing_do_not_count():
    assert topics.propose("关于召开会议的通知", "定于下周召开会议。").topics == (topics.OTHER,)
    assert topics.propose("关于召开会议的通知", "会议涉及教育。").topics == (topics.OTHER,)


def test_masked_words_do_not_score_the_keyword_they_contain():
    proposal = topics.propose("自治区人民政府办公厅关于召开会议的通知", "人民政府" * 5)
    assert proposal.words_of("16") == ()


def test_the_proposal_is_deterministic():
    text = "农业农村 水利 财政 生态环境 教育 卫生" * 4
    assert topics.propose("关于若干事项的通知", text) == topics.propose("关于若干事项的通知", text)


def test_a_typed_name_resolves_to_its_topics():
    assert topics.resolve("环境保护") == ("09",)
    assert topics.resolve("城乡建设、环境保护") == ("09",)
    assert topics.resolve("09") == ("09",)
    assert topics.resolve("environment") == ("09",)
    assert topics.resolve("Finance, banking and audit") == ("03",)
    assert set(topics.resolve("安全")) == {"08", "15"}
    assert topics.resolve("计划生育") == ("13",)
    assert topics.resolve("无此主题") == ()
    assert topics.resolve("  ") == ()


def test_names_follow_the_language_and_codes_are_checked():
    assert topics.topic_name("09", "zh-hans") == "城乡建设、环境保护"
    assert topics.topic_name("09", "en") == "Urban and rural construction, environment"
    assert topics.topic_name("99", "en") == "99"
    assert topics.valid_codes(["21", "99", "01", "01"]) == ("01", "21")


def test_a_metadata_line_gives_the_classes_it_names():
    text = "正文。\n主题分类：城乡建设、环境保护；财政、金融、审计\n"
    assert topics.declared(text) == ("09", "03")
    assert topics.declared("主题分类:  科技、教育") == ("10",)
    assert topics.declared("本文不涉及主题分类：的写法") == ()
    assert topics.declared("主题分类：无此类") == ()
    assert topics.declared("正文没有这一行。") == ()
