"""The one registry of assessment indicators contributed by other apps (a hook, like the
notification kinds or the document panels; docs/architecture.md).

The ledger's assessment (考核, issue 5) knows its own indicators; issue 15 point 4 asks for
the hotline's 响应率, 解决率 and 满意率 to feed it as indicators too, and issue 16 point 1 for
the exchange's per-unit request statistics. The ledger must not import those apps, so they
register here from their ``AppConfig.ready()``: an :class:`~shuzheng.tasks.scoring.ExternalKind`
(its code, what it measures, how a unit's share is worded) and a function measuring it per
unit for a year. The rules (data, docs/ledger-rules.md) then name the kind by its code; a
rule naming a code nobody registered is refused when the rules are read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from shuzheng.tasks.scoring import ExternalKind, Share

#: ``measure(year, as_of)`` → each unit's share by unit id (``orgs.Unit`` primary key), for
#: what fell due to it in ``year`` up to the day ``as_of``; a unit it omits had nothing due.
Measurer = Callable[[int, dt.date], Mapping[int, Share]]


@dataclass(frozen=True, slots=True)
class RegisteredIndicator:
    kind: ExternalKind
    measure: Measurer


_registry: dict[str, RegisteredIndicator] = {}


def register_indicator(kind: ExternalKind, measure: Measurer) -> None:
    """Offer ``kind`` to the assessment rules, measured by ``measure``. Called from an
    ``AppConfig.ready()``; registering the same code again replaces the entry (a reload)."""
    _registry[kind.code] = RegisteredIndicator(kind, measure)


def registered_kinds() -> dict[str, ExternalKind]:
    """The registered kinds by code: what ``ScoringRules.from_dict`` accepts besides the
    ledger's own."""
    return {code: entry.kind for code, entry in sorted(_registry.items())}


def measure(codes: Iterable[str], year: int, as_of: dt.date) -> dict[int, dict[str, Share]]:
    """Each unit's shares for the kinds named (the rules' external indicators), by unit id."""
    shares: dict[int, dict[str, Share]] = {}
    for code in dict.fromkeys(codes):
        for unit_id, share in _registry[code].measure(year, as_of).items():
            shares.setdefault(unit_id, {})[code] = share
    return shares
