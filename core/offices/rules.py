"""Rules of choosing an office (O1) and a visiting time (O2): the nearest place, keyword search, the office's zone."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from core.clock import DEFAULT_TZ

if TYPE_CHECKING:
    from core.offices.models import Office, OfficeSlot


def office_tz(office: Office | None, default: str | None = None) -> str:
    """The zone of an office's visiting times, of its calendar days and of its visit SMS: the
    office's own (Omsk: Asia/Omsk), else the console's (settings.timezone)."""
    own = office.timezone if office is not None else None
    return own or default or DEFAULT_TZ


Place = tuple[int | None, int | None]  # (region id, town id); None: the whole region / every region


def nearest_offices(
    find: Callable[[int | None, int | None], list[Office]], region_id: int | None, town_id: int | None
) -> tuple[Place, list[Office]]:
    """O1: where the office choice opens — the nearest place that has offices: the client's town,
    else the client's region, else every office. `find(region, town)` lists a place's offices."""
    places: list[Place] = []
    if region_id is not None and town_id is not None:
        places.append((region_id, town_id))
    if region_id is not None:
        places.append((region_id, None))
    places.append((None, None))
    for place in places:
        offices = find(*place)
        if offices:
            return place, offices
    return (region_id, town_id), []


def first_free(slots: Iterable[OfficeSlot]) -> datetime | None:
    """O2: the earliest visiting time that can still be booked."""
    return min((s.starts_at for s in slots if s.bookable), default=None)


def fold(text: str) -> str:
    """Case-insensitive, ё = е, punctuation-insensitive form for keyword search."""
    out = text.casefold().replace("ё", "е")
    return " ".join("".join(c if c.isalnum() else " " for c in out).split())


def keyword_matches(keyword: str | None, *texts: str) -> bool:
    """Every word of the keyword is a substring of the office's name, address or keywords."""
    words = fold(keyword or "").split()
    haystack = " ".join(fold(t) for t in texts)
    return all(w in haystack for w in words)
