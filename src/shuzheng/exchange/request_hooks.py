"""What the requests part registers on other apps: the wording of its notifications."""

from shuzheng.exchange import objection_services, request_rendering, request_services
from shuzheng.notifications.wording import register_notification_kind


def register() -> None:
    register_notification_kind(request_services.WAITING_KIND, request_rendering.request_waiting)
    register_notification_kind(request_services.DECIDED_KIND, request_rendering.request_decided)
    register_notification_kind(request_services.REMINDER_KIND, request_rendering.request_reminder)
    register_notification_kind(objection_services.RAISED_KIND, request_rendering.objection_raised)
    register_notification_kind(
        objection_services.ANSWERED_KIND, request_rendering.objection_answered
    )
    register_notification_kind(
        objection_services.REMINDER_KIND, request_rendering.objection_reminder
    )
