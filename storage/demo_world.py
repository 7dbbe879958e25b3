"""What every part of the demo builder shares: the World it builds in, id counters, weighted choice
and the time texts rows carry.

Times stay integer seconds since the epoch until a row is made; a row carries them as the text both
stores take as they are (`2026-11-02 07:00:00.000000`, the form SQLAlchemy writes to SQLite; UTC),
built from a per-day cache and a table of the day's 86,400 clock texts, with no datetime per value.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from itertools import accumulate

DAY = 86_400
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
# "HH:MM:SS.000000" for each second of a day
CLOCK = [f"{h:02d}:{m:02d}:{s:02d}.000000" for h in range(24) for m in range(60) for s in range(60)]
_DAYS: dict[int, str] = {}


class DemoRandom(random.Random):
    """`random.Random` whose `randrange`/`randint` over ints draw the very numbers the library's
    do (the same `getrandbits` calls: the same seed still gives the same demo) with one Python
    call instead of three and no argument conversions: they were about a third of making a row."""

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:  # type: ignore[override]
        if step == 1 and type(start) is int and (stop is None or type(stop) is int):
            low, width = (0, start) if stop is None else (start, stop - start)
            if width > 0:
                bits = width.bit_length()
                draw = self.getrandbits(bits)
                while draw >= width:
                    draw = self.getrandbits(bits)
                return low + draw
        return super().randrange(start, stop, step)

    def randint(self, a: int, b: int) -> int:
        if type(a) is int and type(b) is int and b >= a:
            width = b - a + 1
            bits = width.bit_length()
            draw = self.getrandbits(bits)
            while draw >= width:
                draw = self.getrandbits(bits)
            return a + draw
        return super().randint(a, b)


def day_text(day: int) -> str:
    """Days since the epoch -> `YYYY-MM-DD` (built once per distinct day)."""
    text = _DAYS.get(day)
    if text is None:
        text = _DAYS[day] = date.fromordinal(EPOCH_ORDINAL + day).isoformat()
    return text


def stamp(ts: int) -> str:
    """Integer seconds since the epoch -> the UTC timestamp text of a row."""
    day, second = divmod(ts, DAY)
    text = _DAYS.get(day)
    if text is None:
        text = day_text(day)
    return f"{text} {CLOCK[second]}"


def weekday(ts: int) -> int:
    """Monday = 0, as `date.weekday()` (1 January 1970 was a Thursday)."""
    return (ts // DAY + 3) % 7


def cum(pairs: list[tuple[str, int]]) -> tuple[list[str], list[int]]:
    """(codes, cumulative weights) for `bisect`-based weighted choice."""
    return [p[0] for p in pairs], list(accumulate(p[1] for p in pairs))


@dataclass
class World:
    """Ids of what exists before the clients are made, and the instant the demo is built at."""

    now_ts: int
    first_client_id: int
    desk_ids: list[int]  # [Main desk, second desk]
    towns: list[tuple[int, int, str, str]]  # (town id, region id, town, region)
    town_cum: list[float]
    responsible: list[list[int]]  # employee ids per desk index
    office_employee: int
    campaigns: list[tuple[int, list[int]]]  # (campaign id, offered product ids), per desk index in by_desk
    campaigns_by_desk: list[list[int]]  # indices into `campaigns`
    offices_by_town: dict[int, list[tuple[int, str, int]]]  # town id -> (office id, address, utc offset)
    offices_by_region: dict[int, list[tuple[int, str, int]]]
    all_offices: list[tuple[int, str, int]]
    products: dict[str, tuple[int, str, bool]]  # code -> (id, category, is card)
    templates: list[tuple[str, str, str]]  # (code, name, text) of client SMS templates


@dataclass
class Counters:
    """The next id of each table the clients fill."""

    phone: int = 1
    email: int = 1
    contact: int = 1
    client_product: int = 1
    card_transaction: int = 1
    contact_change: int = 1
    sms_outbox: int = 1


Rows = dict[str, list[tuple]]  # table name -> row tuples, in `storage.demo_load.COLUMNS` order
