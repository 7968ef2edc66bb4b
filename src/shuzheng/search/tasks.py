"""The search app's background job, run by ``shuzheng worker``: apply what the search
outbox still holds to the search engine (issue 13, item 1). The writing process applies
its own changes after commit; this job catches up a change whose process could not (the
engine's writer was busy, the process died)."""

import datetime as dt

from django.tasks import task
from django.utils.translation import gettext_lazy as _

from shuzheng.search.backends.tantivy_index import IndexBusy
from shuzheng.search.services import apply_outbox
from shuzheng.worker.periodic import periodic


@periodic(every=dt.timedelta(minutes=1), label=_("Apply search index changes"))
@task
def apply_search_outbox() -> str:
    """Idempotent: an entry applied twice is the database's entry both times."""
    try:
        return f"{apply_outbox()} change(s) applied"
    except IndexBusy:
        return "the search engine's writer is busy: next run"
