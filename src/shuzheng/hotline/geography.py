"""Where a request is: inside Ningxia or not, and which region an address or point names.

Plain Python, no Django. Ningxia lies between 35°14′ and 39°23′ north and 104°17′ and 107°39′
east (宁夏回族自治区人民政府, 《宁夏概况》); a point outside that box is refused. A point
inside it is placed in the prefecture-level city whose seat is nearest (seats from the same
source, rounded to 0.01°) — good enough to route to a city, which the duty map then refines by
the address.
"""

from __future__ import annotations

import math

LAT_MIN, LAT_MAX = 35.23, 39.39
LONG_MIN, LONG_MAX = 104.28, 107.65

#: Prefecture-level city code → (latitude, longitude) of its seat.
CITY_SEATS = {
    "640100": (38.49, 106.23),  # 银川市
    "640200": (39.02, 106.38),  # 石嘴山市
    "640300": (37.99, 106.20),  # 吴忠市
    "640400": (36.02, 106.24),  # 固原市
    "640500": (37.51, 105.19),  # 中卫市
}


def inside_ningxia(lat: float, long: float) -> bool:
    return LAT_MIN <= lat <= LAT_MAX and LONG_MIN <= long <= LONG_MAX


def nearest_city(lat: float, long: float) -> str:
    """The code of the city whose seat is nearest to the point (equirectangular distance)."""

    def distance(seat: tuple[float, float]) -> float:
        dlat = seat[0] - lat
        dlong = (seat[1] - long) * math.cos(math.radians(lat))
        return dlat * dlat + dlong * dlong

    return min(CITY_SEATS, key=lambda code: distance(CITY_SEATS[code]))


def region_named_in(address: str, regions: list[tuple[str, str, str]]) -> str | None:
    """The code of the most specific region whose name (or short name) the address contains.

    ``regions`` are (code, name, short_name) rows; a longer name wins over a shorter one, so
    银川市兴庆区 is 兴庆区, not 银川市. Short names count only when followed by nothing that
    makes them part of another word (they are two characters: 银川, 兴庆).
    """
    best: tuple[tuple[int, int], str] | None = None
    for code, name, short_name in regions:
        for candidate in (name, short_name):
            if candidate and len(candidate) >= 2 and candidate in address:
                # Deeper regions have longer codes with fewer trailing zeros.
                depth = len(code.rstrip("0"))
                key = (depth, len(candidate))
                if best is None or key > best[0]:
                    best = (key, code)
    return best[1] if best else None
