"""What the subscriptions app adds to other apps' pipelines and pages (docs/architecture.md:
hooks).

Registered by ``SubscriptionsConfig.ready()``: the ingest step that matches what is new in
the stored documents against everyone's subscriptions, in ingestion's transaction, and the
document page's button to follow the document's new versions.
"""

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from shuzheng.documents.models import Document
from shuzheng.documents.panels import FOLLOW, DocumentPanel, Place, register_document_panel
from shuzheng.documents.pipeline import MATCH_SUBSCRIPTIONS, IngestContext, register_ingest_step
from shuzheng.notifications.wording import register_notification_kind
from shuzheng.subscriptions.services import (
    DOCUMENT_NOTIFICATION_KIND,
    NOTIFICATION_KIND,
    notify_subscribers,
    word_document_match,
    word_policy_match,
)


def match_subscriptions(context: IngestContext) -> None:
    """The ingest step: notify subscribers of the new items the search step found."""
    notify_subscribers(context.ingested, actor=context.actor)


def render_follow_button(request: HttpRequest, document: Document) -> SafeString:
    """The button that follows ``document``'s new versions; nothing for a visitor."""
    if not request.user.is_authenticated:
        return SafeString("")
    context = {"document": document}
    return render_to_string("subscriptions/_follow_document.html", context, request=request)


def register() -> None:
    register_ingest_step("subscriptions.match", match_subscriptions, order=MATCH_SUBSCRIPTIONS)
    register_notification_kind(NOTIFICATION_KIND, word_policy_match)
    register_notification_kind(DOCUMENT_NOTIFICATION_KIND, word_document_match)
    register_document_panel(
        DocumentPanel(
            name="subscriptions.follow",
            render=render_follow_button,
            order=FOLLOW,
            place=Place.INFORMATION,
        )
    )
