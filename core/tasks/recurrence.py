"""Recurring tasks: daily, weekly, monthly, or a cron rule (croniter), in the employee's time zone.

The next deadline keeps the wall-clock time across summer-time changes; a monthly task set on the
31st falls on the last day of shorter months."""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from core.errors import ValidationFailed

SIMPLE = ("daily", "weekly", "monthly")
CRON = "cron:"
MAX_STEPS = 10_000  # a rule that never passes `now` is refused rather than looped on


def _croniter() -> type:
    """croniter, imported when a cron rule is first met: its import takes about 60 ms and runs
    `file` on the interpreter (`platform.architecture`), in every process that starts a console."""
    from croniter import croniter

    return croniter


def shown(rule: str | None) -> str | None:
    """The rule as the employee wrote it ("monthly", not "monthly:31")."""
    return rule.split(":", 1)[0] if rule and rule.startswith("monthly:") else rule


def normalise(rule: str | None) -> str | None:
    """The rule as stored, or None; a bad rule is refused with the field named."""
    if rule is None or not rule.strip():
        return None
    text = rule.strip()
    if text.lower() in SIMPLE:
        return text.lower()
    if text.lower().startswith(CRON):
        expr = " ".join(text[len(CRON) :].split())
        if len(expr.split()) == 5 and _croniter().is_valid(expr):
            return CRON + " " + expr
    raise ValidationFailed(
        "Repeat is daily, weekly, monthly or 'cron: MIN HOUR DAY MONTH WEEKDAY' (e.g. 'cron: 0 9 * * 1-5').",
        field="repeat",
    )


def _add_month(local: datetime) -> datetime:
    year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    return local.replace(year=year, month=month, day=min(local.day, calendar.monthrange(year, month)[1]))


def anchored(rule: str, deadline: datetime, zone: str) -> str:
    """The rule as a series keeps it: "monthly" remembers its day ("monthly:31"), so a task set on
    the 31st comes back on the 31st after February."""
    if rule == "monthly":
        return f"monthly:{deadline.astimezone(ZoneInfo(zone)).day}"
    return rule


def following(rule: str, after: datetime, zone: str) -> datetime:
    """The occurrence after `after` (UTC), computed on the wall clock of `zone`."""
    tz = ZoneInfo(zone)
    anchor_day = int(rule.split(":", 1)[1]) if rule.startswith("monthly:") else None
    local = after.astimezone(tz).replace(tzinfo=None)
    if rule == "daily":
        nxt = local + timedelta(days=1)
    elif rule == "weekly":
        nxt = local + timedelta(days=7)
    elif rule.startswith("monthly"):
        nxt = _add_month(local)
        if anchor_day:
            nxt = nxt.replace(day=min(anchor_day, calendar.monthrange(nxt.year, nxt.month)[1]))
    else:
        nxt = _croniter()(rule[len(CRON) :].strip(), local).get_next(datetime)
    return nxt.replace(tzinfo=tz).astimezone(after.tzinfo)


def next_deadline(rule: str, deadline: datetime, now: datetime, zone: str) -> datetime:
    """The next deadline of a series after `deadline` that is still ahead of `now` (a task done
    late does not create one already overdue)."""
    nxt = following(rule, deadline, zone)
    for _ in range(MAX_STEPS):
        if nxt > now:
            return nxt
        nxt = following(rule, nxt, zone)
    raise ValidationFailed("The repeat rule has no occurrence ahead.", field="repeat")
