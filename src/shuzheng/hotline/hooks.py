"""What the hotline registers on other apps: the wording of its notifications."""

from shuzheng.hotline import rendering
from shuzheng.hotline.services import SURVEY_KIND
from shuzheng.notifications.wording import register_notification_kind


def register() -> None:
    register_notification_kind(SURVEY_KIND, rendering.survey_notice)
