"""Status-light reasons come from the pure rule module in English and are shown translated."""

import datetime as dt

import pytest
from django.utils import translation
from django.utils.translation import gettext

from shuzheng.tasks.status import REASON_TEXT, Light, Reason, Verdict

pytestmark = pytest.mark.chinese_ui


def test_every_reason_has_a_chinese_text():
    with translation.override("zh-hans"):
        untranslated = [reason for reason, text in REASON_TEXT.items() if gettext(text) == text]
    assert untranslated == []


def test_a_red_light_reads_in_chinese_with_its_date_and_days():
    verdict = Verdict(Light.RED, Reason.OVERDUE, on=dt.date(2024, 12, 31), days=3)
    with translation.override("zh-hans"):
        assert verdict.describe(gettext) == "应于 2024-12-31 完成，已逾期 3 天。"
    assert verdict.text == "Was due on 2024-12-31; overdue by 3 days."
