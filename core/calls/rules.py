"""Rules of the call around the result catalogue: default dates, follow-ups and the call list (K16),
the visit SMS (O3) and the credit-bureau adapter (C11).

Times: everything is stored in UTC; "tomorrow", "+14 days", "the day before the visit" and the
calling hours are computed in the operator's time zone (`tz`, from settings.timezone, by default
Europe/Moscow). The functions take `now` (from a core.clock.Clock) and return UTC instants.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

from core.calls.catalogue import ResultDef, parse_offset
from core.clock import DEFAULT_TZ
from core.errors import Conflict

if TYPE_CHECKING:
    from core.clients.models import ClientCard

# Calling hours, local time: a default date that falls outside them moves to FALLBACK_TIME.
CALL_DAY_START = time(9, 0)
CALL_DAY_END = time(20, 0)
LAST_MINUTE = time(23, 59)
FALLBACK_TIME = time(10, 0)

# K16: unreached clients come back after RETRY_FIRST, then after RETRY_NEXT; after MAX_ATTEMPTS
# unreached attempts in a row they leave the list. A client called within RECENT is not handed out
# again (unless a call-back is due). A claimed client is held for CLAIM_HOLD.
RETRY_FIRST = timedelta(hours=2)
RETRY_NEXT = timedelta(days=1)
MAX_ATTEMPTS = 5
RECENT = timedelta(hours=1)
CLAIM_HOLD = timedelta(minutes=30)


@dataclass(frozen=True)
class RetryPolicy:
    """K16 per campaign: the delays after the first and later unreached calls, the cap of attempts."""

    first: timedelta = RETRY_FIRST
    next: timedelta = RETRY_NEXT
    max_attempts: int = MAX_ATTEMPTS
    hours: tuple[time, time] = (CALL_DAY_START, CALL_DAY_END)  # local calling hours of retries


# O3: a visit SMS for a later day goes out at this local time the day before the visit.
VISIT_SMS_TIME = time(10, 0)
VISIT_SMS_TEXTS = {  # in the client's language (core.clients.card_rules.client_text)
    "ru": "{first_name} {patronymic}, ждём вас {date} в {time}: {address}.",
    "en": "{first_name} {patronymic}, we are waiting for you on {date} at {time}: {address}.",
}

# C16/K15: a call may be saved at most this long after it started.
MAX_CALL_AGE = timedelta(hours=12)
MAX_NEXT_AHEAD = timedelta(days=366)


DO_NOT_CALL = "The client asked not to be disturbed; do not call."


class _Callee(Protocol):
    do_not_disturb: bool


def call_refusal(card: ClientCard | _Callee) -> str | None:
    """Why this client may not be called at all (None: they may): a do-not-disturb client is
    refused before any campaign is offered, and by start_call."""
    return DO_NOT_CALL if card.do_not_disturb else None


class MemberState(StrEnum):
    """Where a client stands on a campaign's call list (campaign_member.state)."""

    NEW = "new"  # never called
    CALLBACK = "callback"  # call back at next_call_at (K4, K6)
    RETRY = "retry"  # not reached; try again at next_call_at
    DONE = "done"  # a final result; off this list
    EXHAUSTED = "exhausted"  # MAX_ATTEMPTS unreached attempts; off this list


ON_LIST = (MemberState.NEW, MemberState.CALLBACK, MemberState.RETRY)


class SlotFull(Conflict):
    """The visiting time took its last visitor meanwhile (O2)."""

    code = "slot_full"

    def __init__(self, message: str = "This time is full; choose another time.") -> None:
        super().__init__(message)


# --- time ---------------------------------------------------------------------------------


def zone(tz: str | None) -> ZoneInfo:
    return ZoneInfo(tz or DEFAULT_TZ)


def local(at: datetime, tz: str | None = None) -> datetime:
    return at.astimezone(zone(tz))


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def within_hours(day: date, at: time, tz: str | None = None) -> datetime:
    """`day` at `at` local; a time outside the calling hours becomes FALLBACK_TIME that day."""
    if not (CALL_DAY_START <= at < CALL_DAY_END):
        at = FALLBACK_TIME
    return _utc(datetime.combine(day, at.replace(second=0, microsecond=0), tzinfo=zone(tz)))


def next_calling_moment(at: datetime, tz: str | None = None, hours: tuple[time, time] | None = None) -> datetime:
    """`at` if it is within the calling hours (a campaign's, or the defaults), else the next
    FALLBACK_TIME, or the hours' start when FALLBACK_TIME is outside them (same morning or next day)."""
    start, end = hours or (CALL_DAY_START, CALL_DAY_END)
    end = day_end(end)
    here = local(at, tz)
    if start <= here.time() < end:
        return _utc(here.replace(second=0, microsecond=0))
    day = here.date() if here.time() < start else here.date() + timedelta(days=1)
    fallback = FALLBACK_TIME if start <= FALLBACK_TIME < end else start
    return _utc(datetime.combine(day, fallback, tzinfo=zone(tz)))


def within_calling_hours(at: datetime, tz: str, hours: tuple[time, time]) -> bool:
    """Whether `at` is within the calling hours [start, end) in the zone `tz` (an unknown zone: never)."""
    try:
        here = local(at, tz).time()
    except (ValueError, KeyError):  # ZoneInfoNotFoundError is a KeyError
        return False
    return hours[0] <= here < day_end(hours[1])


def day_end(end: time) -> time:
    """Calling hours ending at 23:59 run to the day's end: "00:00-23:59" is the whole day."""
    return time.max if end == LAST_MINUTE else end


def open_zones(zones: Iterable[str], hours: tuple[time, time], now: datetime) -> list[str]:
    """K16 hand-out: the zones among `zones` where it is within the campaign's calling hours now.
    A client is handed out only when their zone (the region's, else the desk's, else the default)
    is one of them."""
    return sorted(z for z in set(zones) if within_calling_hours(now, z, hours))


def offset_default(spec: str, now: datetime, tz: str | None = None) -> datetime:
    """'tomorrow' -> tomorrow at the same local time; '+14d' -> 14 days later at the same local time.

    The time of day is kept when it lies within the calling hours (09:00-20:00), else it is 10:00.
    """
    here = local(now, tz)
    days = 1 if spec == "tomorrow" else (parse_offset(spec) or timedelta(days=1)).days
    return within_hours(here.date() + timedelta(days=days), here.time(), tz)


def default_next_at(
    result: ResultDef, now: datetime, tz: str | None = None, preset: str | None = None
) -> datetime | None:
    """K4: call back tomorrow; K4 "will call himself": +14 days; K6 think: +14 days."""
    chosen = result.preset(preset) if preset else None
    spec = (chosen.default_next if chosen else None) or result.default_next
    return offset_default(spec, now, tz) if spec else None


def default_comment(result: ResultDef, preset: str | None) -> str | None:
    chosen = result.preset(preset) if preset else None
    return chosen.comment if chosen else None


# --- follow-up ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUp:
    """The campaign_member row after the call."""

    state: str
    next_call_at: datetime | None
    attempts: int
    last_call_at: datetime
    do_not_disturb: bool = False


def follow_up(
    result: ResultDef,
    attempts: int,
    now: datetime,
    next_at: datetime | None,
    tz: str | None = None,
    state: str = MemberState.NEW,
    policy: RetryPolicy | None = None,
) -> FollowUp:
    """What the call list does with the client after this result.

    `attempts` counts unreached attempts in a row; a conversation resets it. An unreached call of
    a client already off the list (done, exhausted: e.g. a consultation call) does not put the
    client back on it.
    """
    if result.follow_up == "retry":
        if state not in ON_LIST:
            return FollowUp(state, None, attempts, now)
        policy = policy or RetryPolicy()
        done = attempts + 1
        if done >= policy.max_attempts:
            return FollowUp(MemberState.EXHAUSTED, None, done, now)
        delay = policy.first if done == 1 else policy.next
        return FollowUp(MemberState.RETRY, next_calling_moment(now + delay, tz, policy.hours), done, now)
    if result.follow_up == "callback":
        return FollowUp(MemberState.CALLBACK, next_at, 0, now)
    if result.follow_up == "dnd":
        return FollowUp(MemberState.DONE, None, 0, now, do_not_disturb=True)
    return FollowUp(MemberState.DONE, None, 0, now)


# --- the visit SMS (O3) ---------------------------------------------------------------------


@dataclass(frozen=True)
class SmsPlan:
    send: bool
    send_after: datetime | None  # None: at once


def visit_sms_default(visit_at: datetime, now: datetime, tz: str | None = None) -> bool:
    """Ticked unless the visit is today (local date of the call)."""
    return local(visit_at, tz).date() != local(now, tz).date()


def visit_sms_plan(visit_at: datetime, now: datetime, send: bool | None, tz: str | None = None) -> SmsPlan:
    """A visit on a later day: queued for 10:00 local the day before the visit (at once if that has
    passed). A visit today: not sent unless the operator ticks it; then sent at once."""
    ticked = visit_sms_default(visit_at, now, tz) if send is None else send
    if not ticked:
        return SmsPlan(False, None)
    day_before = local(visit_at, tz).date() - timedelta(days=1)
    moment = _utc(datetime.combine(day_before, VISIT_SMS_TIME, tzinfo=zone(tz)))
    return SmsPlan(True, moment if moment > now else None)


def visit_sms_text(
    first_name: str, patronymic: str, visit_at: datetime, address: str, tz: str | None = None, language: str = "ru"
) -> str:
    from core.clients.card_rules import client_text, render_template

    here = local(visit_at, tz)
    fields = {"first_name": first_name, "patronymic": patronymic, "address": address}
    fields |= {"date": here.strftime("%d.%m.%Y"), "time": here.strftime("%H:%M")}
    # render_template: an empty patronymic leaves no "Иван , ..." behind
    return render_template(client_text(VISIT_SMS_TEXTS, language), fields).removeprefix(", ")


# --- the credit bureau (C11, I5) ------------------------------------------------------------


class CreditBureau(Protocol):
    def decide(self, passport_series: str, passport_number: str, birth_date: date, today: date) -> str:
        """'approved' or 'declined'."""
        ...


class BuiltinBureau:
    """A deterministic stand-in: declined under 21 or over 70 years of age; otherwise one passport in
    four is declined, picked by a hash of the passport and the birth date."""

    def decide(self, passport_series: str, passport_number: str, birth_date: date, today: date) -> str:
        age = today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))
        if age < 21 or age > 70:
            return "declined"
        digest = hashlib.sha256(f"{passport_series}{passport_number}{birth_date.isoformat()}".encode()).digest()
        return "declined" if digest[0] % 4 == 0 else "approved"
