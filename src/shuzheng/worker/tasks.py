"""The periodic jobs of the layers below the worker, which cannot import it: the audit
trail's new events are chained every few seconds, and its chain head is sealed every hour,
so that rewriting the chain up to a sealed event shows (``shuzheng audit seal`` seals by
hand)."""

import datetime as dt

from django.tasks import task
from django.utils.translation import gettext_lazy as _

from shuzheng.audit.services import chain_pending_events, seal_chain_head
from shuzheng.worker.periodic import periodic


@periodic(every=dt.timedelta(seconds=10), label=_("Chain new audit events"))
@task
def chain_audit_events() -> str:
    """Idempotent: only events not chained yet are chained."""
    return f"chained {chain_pending_events()}"


@periodic(every=dt.timedelta(hours=1), label=_("Seal the audit chain head"))
@task
def seal_audit_chain() -> str:
    """Idempotent: a head that is sealed already is left as it is."""
    seal = seal_chain_head()
    return f"sealed #{seal.sequence}" if seal else "sealed already"
