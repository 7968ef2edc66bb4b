"""Chinese text uses Chinese punctuation (issue 14, "Raw codes": "成效: 应于…"): no msgstr
of the Chinese catalogue has a half-width colon followed by a space, or a half-width comma,
between Chinese characters."""

import re
from pathlib import Path

from tests.test_translations import read_po

PO = Path(__file__).resolve().parents[1] / "src/shuzheng/locale/zh_Hans/LC_MESSAGES/django.po"
CJK = "[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff60]"
#: Placeholders stand for Chinese text too: "{label}: {text}" is as wrong as "成效: 应于".
WORDLIKE = rf"(?:{CJK}|%\([a-z_]+\)[sd]|\{{[a-z_]+\}}|\{{\{{ ?[a-z_.]+ ?\}}\}})"
HALF_WIDTH = re.compile(rf"{WORDLIKE}(?:: +|\s*,\s*){WORDLIKE}")


def half_width_between_chinese(text: str) -> list[str]:
    return [match.group(0) for match in HALF_WIDTH.finditer(text)]


def test_the_check_finds_what_the_issue_saw():
    assert half_width_between_chinese("2025年取得明显成效: 应于2025-12-31完成")
    assert half_width_between_chinese("{label}: {text}")
    assert half_width_between_chinese("财政厅,水利厅")
    assert not half_width_between_chinese("2025年取得明显成效：应于2025-12-31完成")
    assert not half_width_between_chinese("机关:财政厅")  # the query syntax, typed as is


def test_no_chinese_message_has_half_width_punctuation_between_chinese_words():
    found = {
        msgid: hits
        for msgid, msgstr in read_po(PO).items()
        if (hits := half_width_between_chinese(msgstr))
    }
    assert found == {}
