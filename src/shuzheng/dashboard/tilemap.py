"""The wall screen's map (issue 14): Ningxia's 27 cities and counties as a tile grid, each
tile coloured by the on-time rate of its people's government's milestones.

No boundary data is shipped (none was found under a licence that allows it), so the map is a
tile grid: one square per division, placed after the divisions' relative positions. The
grid is data — ``dashboard/data/ningxia-tiles.json``, with its source and licence — and the
names come from the registry (orgs), so a renamed division needs no code change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from shuzheng.dashboard import ledger
from shuzheng.orgs.models import Region

TILES = Path(__file__).resolve().parent / "data" / "ningxia-tiles.json"
#: Bands of the on-time rate (percent, lower bound) and their colour classes, best first.
BANDS = ((90, "high"), (70, "mid"), (0, "low"))


@dataclass(frozen=True, slots=True)
class Tile:
    code: str  # the division's GB/T 2260 code
    name: str
    level: str  # city / county
    row: int
    column: int
    unit: str  # the government's unit code ("" when the registry has none)
    due: int  # milestones that fell due up to today
    on_time: int  # of those, achieved by their due date
    href: str  # the ledger filtered to the government's tasks

    @property
    def rate(self) -> int | None:
        return round(100 * self.on_time / self.due) if self.due else None

    @property
    def band(self) -> str:
        rate = self.rate
        if rate is None:
            return "none"
        return next(name for low, name in BANDS if rate >= low)


@dataclass(frozen=True, slots=True)
class TileMap:
    title: str
    source: str
    licence: str
    rows: int
    columns: int
    tiles: tuple[Tile, ...]


def legend() -> list[tuple[str, str]]:
    """The colour classes with what they mean, in the reader's language."""
    return [
        ("high", _("%(rate)s or more on time") % {"rate": "90%"}),
        ("mid", _("%(low)s–%(high)s on time") % {"low": "70%", "high": "89%"}),
        ("low", _("below %(rate)s on time") % {"rate": "70%"}),
        ("none", _("no milestone due yet")),
    ]


@cache
def grid() -> dict:
    return json.loads(TILES.read_text(encoding="utf-8"))


def tile_map(today: date) -> TileMap:
    """The grid with each division's name from the registry and its government's on-time
    rate as of ``today`` (``dashboard.ledger.government_on_time``). Five queries."""
    data = grid()
    codes = [tile["code"] for tile in data["tiles"]]
    regions = dict(
        Region.objects.filter(code__in=codes).values_list("code", "name").order_by("code")
    )
    levels = dict(Region.objects.filter(code__in=codes).values_list("code", "level"))
    rates = ledger.government_on_time(codes, today)
    ledger_url = reverse("tasks:ledger")
    tiles = []
    for tile in data["tiles"]:
        code = tile["code"]
        unit, due, on_time = rates.get(code, ("", 0, 0))
        tiles.append(
            Tile(
                code=code,
                name=regions.get(code, code),
                level=levels.get(code, ""),
                row=tile["row"],
                column=tile["column"],
                unit=unit,
                due=due,
                on_time=on_time,
                href=f"{ledger_url}?{urlencode({'unit': unit})}" if unit else ledger_url,
            )
        )
    return TileMap(
        data["title"], data["source"], data["licence"], data["rows"], data["columns"], tuple(tiles)
    )
