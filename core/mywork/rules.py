"""The rules of 'My work': the sections, the day in the employee's time zone, what is overdue."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.clock import DEFAULT_TZ
from core.errors import ValidationFailed

SECTION_MAX = 100  # rows of one section in one answer (the count is always whole)
SECTION_DEFAULT = 30


class Section(StrEnum):
    """The sections in the order they are shown."""

    OVERDUE = "overdue"  # my open actions past their due time
    TODAY = "today"  # my open actions due later today
    CALLBACKS = "callbacks"  # call-backs I promised, due by the end of today
    TASKS = "tasks"  # tasks assigned to me, open (to do, or returned to me)
    TO_CHECK = "to_check"  # tasks I set, marked done, waiting for my check
    ONLINE = "online"  # my Live clients online now (C14)


SECTIONS = tuple(Section)


class ItemKind(StrEnum):
    ACTION = "action"
    CALLBACK = "callback"
    TASK = "task"
    CLIENT = "client"


SECTION_KIND = {
    Section.OVERDUE: ItemKind.ACTION,
    Section.TODAY: ItemKind.ACTION,
    Section.CALLBACKS: ItemKind.CALLBACK,
    Section.TASKS: ItemKind.TASK,
    Section.TO_CHECK: ItemKind.TASK,
    Section.ONLINE: ItemKind.CLIENT,
}


def zone(name: str | None) -> ZoneInfo:
    """The employee's zone (None: the console's default); ValidationFailed for an unknown name."""
    try:
        return ZoneInfo(name or DEFAULT_TZ)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValidationFailed("Unknown time zone.", field="zone") from None


def today(now: datetime, tz: ZoneInfo) -> date:
    return now.astimezone(tz).date()


def day_end(now: datetime, tz: ZoneInfo) -> datetime:
    """The first instant (UTC) after the employee's local today: 'due today' is before it."""
    tomorrow = today(now, tz) + timedelta(days=1)
    return datetime.combine(tomorrow, time(0), tzinfo=tz).astimezone(UTC)


def is_overdue(due_at: datetime, now: datetime) -> bool:
    """Past its time: the same mark as the Actions table's (core.work.rules.is_overdue)."""
    return due_at < now
