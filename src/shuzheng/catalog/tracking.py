"""Download counts of the open-data portal (issue 11, point 5: the portal and CKAN show how
often each distribution and dataset was downloaded).

What counts as a download, and how the counts are reported, as CKAN's tracking reports them
(``ckan/lib/tracking``, ``tracking_summary``: ``total`` and ``recent``, the last 14 days).
Learned from, not copied: CKAN counts page views from a JavaScript beacon; here only the
file's own download address counts, so that a page view, a preview or a harvester reading
the metadata is not a download.

Pure module: no Django.
"""

from __future__ import annotations

import datetime as dt
import re

#: The days ``recent`` covers, today included (CKAN's ``tracking_summary.recent``: 14).
RECENT_DAYS = 14

_RANGE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-")


def is_new_download(*, status: int, range_header: str | None) -> bool:
    """Does an answer to a download request count as a download? A file sent (200, or 206
    for a range from the first byte) counts; a 304 (the client has the file already) does
    not, nor a request for a range after the first byte — a resumed download, counted when
    it began (RFC 9110 §14.2: ``Range: bytes=N-``). A range header this cannot read is
    taken as a new download."""
    if status not in (200, 206):
        return False
    if not range_header:
        return True
    match = _RANGE.match(range_header)
    if match is None:
        return True
    if match[1] == "":
        return False  # "bytes=-500", the last 500 bytes: a resume's tail, not a first fetch
    return int(match[1]) == 0


def recent_since(today: dt.date) -> dt.date:
    """The first day ``recent`` counts."""
    return today - dt.timedelta(days=RECENT_DAYS - 1)


def summary(total: int, recent: int) -> dict[str, int]:
    """CKAN's ``tracking_summary`` of a package or a resource."""
    return {"total": total, "recent": recent}
