"""What an employee sends to set, finish and check tasks, with their limits (core.shapes)."""

from __future__ import annotations

from pydantic import Field

from core.shapes import Comment, Id, Moment, Shape, text

TITLE_LEN = 200
TEXT_LEN = 4000
WATCHERS_MAX = 20
REMIND_MAX_MINUTES = 7 * 24 * 60
Title = text(TITLE_LEN, min_length=1)
Body = text(TEXT_LEN)
RepeatRule = text(120)


class NewTask(Shape):
    title: Title
    text: Body = ""
    assignee_id: Id
    deadline: Moment
    remind_minutes: int = Field(default=30, strict=True, ge=0, le=REMIND_MAX_MINUTES)  # before the deadline
    watcher_ids: list[Id] = Field(default_factory=list, max_length=WATCHERS_MAX)
    # daily, weekly, monthly or "cron: MIN HOUR DOM MON DOW" (in the author's time zone)
    repeat: RepeatRule | None = None


class TaskCheck(Shape):
    """The author's check of a done task: accept it, or return it with a comment."""

    accept: bool = Field(strict=True)
    comment: Comment | None = None


class TaskDone(Shape):
    comment: Comment | None = None
