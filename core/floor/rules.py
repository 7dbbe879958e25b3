"""Floor rules: when a session counts as live, which state a session is in, which of an employee's
sessions the floor shows, the day's bounds."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.access.tokens import ABSOLUTE, IDLE
from core.calls.rules import MAX_CALL_AGE
from core.floor.models import FloorState
from core.reports.rules import local_midnight, local_today

LIVE = ABSOLUTE  # a sign-in not followed by a sign-out counts this long (a session's longest life)
SEEN = IDLE  # ... and only while the session was used within its idle limit
BUSY = {"call": 2, "form": 1, "idle": 0}  # of an employee's live sessions the floor shows the busiest
HIDDEN = "***"  # a client of a desk the viewer may not see
REFRESH_SECONDS = 3  # how often the floor screen reads again
HOURS = 24


def live_since(now: datetime) -> datetime:
    """Sign-ins at or after this are live (unless signed out since)."""
    return now - LIVE


def seen_since(now: datetime) -> datetime:
    """Sessions used at or after this are live: a console quit without signing out leaves."""
    return now - SEEN


def session_key(employee_id: int) -> str:
    """The session of a console bound without a sign-in of its own (one per employee)."""
    return f"employee:{employee_id}"


def busiest(states: list[tuple[FloorState, datetime]]) -> tuple[FloorState, datetime]:
    """One employee's state from their sessions': a call beats the form beats idle; of two calls the
    newest, of idle sessions the longest idle."""
    rank = max(BUSY[s] for s, _since in states)
    same = [since for s, since in states if BUSY[s] == rank]
    state = next(s for s, _since in states if BUSY[s] == rank)
    return state, (min(same) if state == "idle" else max(same))


def calls_since(now: datetime) -> datetime:
    """A started call older than a save could be is no longer "in a call"."""
    return now - MAX_CALL_AGE


def day_bounds(now: datetime, tz: str) -> tuple[datetime, datetime]:
    """Today in the floor's time zone as [start, end) in UTC."""
    today = local_today(now, tz)
    return local_midnight(today, tz), local_midnight(today + timedelta(days=1), tz)


def state(
    now: datetime,
    signed_in_at: datetime,
    call_at: datetime | None,
    form_at: datetime | None,
    last_end: datetime | None,
) -> tuple[FloorState, datetime]:
    """(state, since). A call started after the last saved call's end is in progress (the save
    writes the call with its end; nothing else marks it over); the result form opened during it
    makes it "form". Otherwise idle since the later of the last call's end and the sign-in."""
    if call_at is not None and call_at >= calls_since(now) and (last_end is None or call_at > last_end):
        if form_at is not None and form_at >= call_at:
            return "form", call_at
        return "call", call_at
    since = max(t for t in (signed_in_at, last_end) if t is not None)
    return "idle", since


def seconds_between(since: datetime, now: datetime) -> int:
    return max(0, int((now - since).total_seconds()))
