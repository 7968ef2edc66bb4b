"""What the subscriptions app adds to other apps' pipelines (docs/architecture.md: hooks).

Registered by ``SubscriptionsConfig.ready()``: the ingest step that matches what is new in
the stored documents against everyone's subscriptions, in ingestion's transaction.
"""

from shuzheng.documents.pipeline import MATCH_SUBSCRIPTIONS, IngestContext, register_ingest_step
from shuzheng.subscriptions.services import notify_subscribers


def match_subscriptions(context: IngestContext) -> None:
    """The ingest step: notify subscribers of the new items the search step found."""
    notify_subscribers(context.ingested, actor=context.actor)


def register() -> None:
    register_ingest_step("subscriptions.match", match_subscriptions, order=MATCH_SUBSCRIPTIONS)
