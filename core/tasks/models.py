"""What the tasks area shows: a task with its people, state and derived marks; the reminders."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from core.shapes import Shape


class TaskStatus(StrEnum):
    OPEN = "open"  # with the assignee (also after a return)
    DONE = "done"  # marked done by the assignee, waiting for the author's check
    ACCEPTED = "accepted"  # checked and accepted by the author: closed


class TaskScope(StrEnum):
    MINE = "mine"  # assigned to me
    SET = "set"  # set by me
    WATCHING = "watching"  # I watch it
    ALL = "all"  # any of the three


class Person(Shape):
    id: int
    name: str


class Task(Shape):
    id: int
    title: str
    text: str
    author: Person
    assignee: Person
    watchers: list[Person]
    deadline: datetime
    remind_at: datetime
    status: TaskStatus
    repeat: str | None = None
    created_at: datetime
    done_at: datetime | None = None
    checked_at: datetime | None = None
    comment: str | None = None  # the author's comment of the last return
    returned: bool = False
    overdue: bool = False  # open and past its deadline (at the moment it was read)


class TaskEvent(Shape):
    at: datetime
    employee: str
    event: str  # created, done, accepted, returned
    comment: str | None = None


class TaskCard(Shape):
    task: Task
    history: list[TaskEvent]


class Reminder(Shape):
    id: int
    title: str
    deadline: datetime
    overdue: bool


class Reminders(Shape):
    """The header's reminders: how many of my open tasks are within their reminder time, the first few."""

    count: int
    items: list[Reminder]
