"""Half-width punctuation between Chinese characters becomes full-width (GB/T 15834-2011)."""

import pytest

from shuzheng.text.characters import chinese_punctuation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("落实主体责任、监督责任, 构建全方位", "落实主体责任、监督责任，构建全方位"),
        ("2023年形成机制, 长期坚持", "2023年形成机制，长期坚持"),  # 年 and 长 are Chinese
        ("等次: 较好", "等次：较好"),
        ("是否完成?请反馈", "是否完成？请反馈"),
        ("一是;二是", "一是；二是"),
        ("务必落实!　各地", "务必落实！各地"),  # the ideographic space after it goes too
    ],
)
def test_half_width_marks_between_chinese_become_full_width(text, expected):
    assert chinese_punctuation(text) == expected


@pytest.mark.parametrize(
    "text", ["12:30 会议", "GB/T 1.1, 标准", "SM2, SM3", "截至2024, 共3家", "责任，构建"]
)
def test_marks_beside_latin_letters_or_digits_stay(text):
    assert chinese_punctuation(text) == text
