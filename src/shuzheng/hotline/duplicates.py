"""Near-duplicate requests: the same place and topic within a window (issue 15, point 6).

Plain Python, no Django. A stored request is a near duplicate of a new one when all hold:

* **time**: it was received at most ``window`` before the new one (default 7 days);
* **place**: both have points no more than ``radius_m`` metres apart (haversine, default
  300 m), or — when either has no point — both are in the same most specific region;
* **topic**: the Jaccard similarity of their word sets (``hotline.suggest.Tokenizer``) is at
  least ``threshold`` (default 0.3): |A ∩ B| ÷ |A ∪ B|.

Matches are ranked by similarity, then the most recent first.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

EARTH_RADIUS_M = 6_371_000


@dataclass(frozen=True)
class Report:
    key: str
    text: str
    region: str
    at: dt.datetime
    lat: float | None = None
    long: float | None = None


@dataclass(frozen=True)
class Match:
    report: Report
    similarity: float
    #: The words both texts share, the reason shown to the operator.
    shared: tuple[str, ...]


def distance_m(lat1: float, long1: float, lat2: float, long2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(long2 - long1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def same_place(a: Report, b: Report, radius_m: float) -> bool:
    if None not in (a.lat, a.long, b.lat, b.long):
        return distance_m(a.lat, a.long, b.lat, b.long) <= radius_m
    return a.region == b.region


def near_duplicates(
    new: Report,
    stored: Iterable[Report],
    tokenize: Callable[[str], list[str]],
    *,
    window: dt.timedelta = dt.timedelta(days=7),
    radius_m: float = 300,
    threshold: float = 0.3,
) -> list[Match]:
    words = set(tokenize(new.text))
    if not words:
        return []
    matches = []
    for report in stored:
        if report.key == new.key or not (new.at - window <= report.at <= new.at):
            continue
        if not same_place(new, report, radius_m):
            continue
        theirs = set(tokenize(report.text))
        shared = words & theirs
        similarity = len(shared) / len(words | theirs)
        if similarity >= threshold:
            ordered = tuple(word for word in dict.fromkeys(tokenize(new.text)) if word in shared)
            matches.append(Match(report, similarity, ordered))
    return sorted(matches, key=lambda m: (-m.similarity, -m.report.at.timestamp()))
