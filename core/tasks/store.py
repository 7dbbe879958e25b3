"""What the tasks need from a store: tasks with their people, a change decided inside the
transaction that read the task, the reminders' count, the next occurrence of a series."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from core.tasks.models import Reminders, Task, TaskCard, TaskScope
from core.tasks.rules import TaskChange


@dataclass(frozen=True)
class TaskDraft:
    title: str
    text: str
    author_id: int
    assignee_id: int
    watcher_ids: tuple[int, ...]
    deadline: datetime
    remind_at: datetime
    repeat: str | None  # as stored (core.tasks.recurrence.anchored)
    zone: str  # the time zone the series repeats in
    series_id: int | None = None  # None: this task starts its series


@dataclass(frozen=True)
class SeriesRecord:
    """A recurring task as the recurrence needs it."""

    task_id: int
    draft: TaskDraft  # the task's own fields (its deadline is the one to follow)
    remind_minutes: int
    next_task_id: int | None


class TasksStore(Protocol):
    def assignable(self, employee_ids: list[int], desk_ids: tuple[int, ...] | None) -> set[int]:
        """Of `employee_ids`, the active ones (of `desk_ids` when given)."""
        ...

    def task_people(self, desk_ids: tuple[int, ...] | None) -> list[tuple[int, str]]:
        """Active employees (of the desks when given), by name: whom a task may be set for."""
        ...

    def add_task(self, draft: TaskDraft, now: datetime) -> int:
        """The new task (and its history entry; a recurring one queues its `tasks.recur` job)."""
        ...

    def task_card(self, task_id: int) -> TaskCard | None: ...

    def tasks_of(self, employee_id: int, scope: TaskScope, open_only: bool, limit: int) -> list[Task]: ...

    def change_task(
        self, task_id: int, employee_id: int, decide: Callable[[Task], TaskChange], now: datetime
    ) -> tuple[Task, TaskChange] | None:
        """Read the task, apply `decide(task)` and record the event in one transaction; None: no task."""
        ...

    def task_reminders(self, employee_id: int, now: datetime, limit: int) -> Reminders:
        """My open tasks whose reminder time has come: a count (an indexed range) and the first ones."""
        ...

    def series_record(self, task_id: int) -> SeriesRecord | None: ...

    def add_next_occurrence(self, task_id: int, draft: TaskDraft, now: datetime) -> int | None:
        """The next task of a series, once: None when the task has its next one already."""
        ...
