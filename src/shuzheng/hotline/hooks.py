"""What the hotline registers on other apps: the wording of its notifications."""

from shuzheng.hotline import rendering
from shuzheng.hotline.services import MERGED_KIND, MERGED_REPLY_KIND, SURVEY_KIND
from shuzheng.notifications.wording import register_notification_kind


def register() -> None:
    register_notification_kind(SURVEY_KIND, rendering.survey_notice)
    register_notification_kind(MERGED_KIND, rendering.merged_notice)
    register_notification_kind(MERGED_REPLY_KIND, rendering.merged_reply_notice)
