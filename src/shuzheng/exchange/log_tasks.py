"""The message log's periodic jobs (issue 16, point 3), run by ``shuzheng worker``: entries
written unchained are chained every few seconds, and the chain head is sealed with the
platform's SM2 seal every quarter of an hour (``shuzheng exchange seal-log`` seals by hand).
The seal's interval is the window in which someone who can write the database could rewrite
the newest entries unseen (Certificate Transparency's "maximum merge delay", RFC 6962)."""

import datetime as dt

from django.tasks import task
from django.utils.translation import gettext_lazy as _

from shuzheng.exchange.log_services import chain_pending_entries, seal_log_head
from shuzheng.worker.periodic import periodic


@periodic(every=dt.timedelta(seconds=10), label=_("Chain new message log entries"))
@task
def chain_message_log() -> str:
    """Idempotent: only entries not chained yet are chained."""
    return f"chained {chain_pending_entries()}"


@periodic(every=dt.timedelta(minutes=15), label=_("Seal the message log's chain head"))
@task
def seal_message_log() -> str:
    """Idempotent: a head that is sealed already is left as it is."""
    seal = seal_log_head()
    return f"sealed #{seal.sequence}" if seal else "sealed already"
