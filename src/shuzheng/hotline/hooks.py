"""What the hotline registers on other apps: the wording of its notifications, and its
rates as indicators of the ledger's assessment (``tasks.indicators``, issue 15 point 4)."""

from shuzheng.hotline import indicators, rendering
from shuzheng.hotline.services import MERGED_KIND, MERGED_REPLY_KIND, SURVEY_KIND
from shuzheng.notifications.wording import register_notification_kind
from shuzheng.tasks.indicators import register_indicator


def register() -> None:
    register_notification_kind(SURVEY_KIND, rendering.survey_notice)
    register_notification_kind(MERGED_KIND, rendering.merged_notice)
    register_notification_kind(MERGED_REPLY_KIND, rendering.merged_reply_notice)
    for kind in indicators.SHARES:
        register_indicator(kind, indicators.measurer(kind))
