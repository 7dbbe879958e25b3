"""The tasks' part of the Console port (M6)."""

from __future__ import annotations

from typing import Protocol

from core.tasks.inputs import NewTask, TaskCheck, TaskDone
from core.tasks.models import Person, Reminders, Task, TaskCard, TaskScope


class TasksPort(Protocol):
    def create_task(self, task: NewTask) -> Task:
        """Set a task for an active employee of my desks (any desk with `all_desks`)."""
        ...

    def tasks(self, scope: TaskScope = TaskScope.ALL, open_only: bool = True) -> list[Task]:
        """Tasks assigned to me, set by me, or watched by me (newest deadline last)."""
        ...

    def task(self, task_id: int) -> TaskCard: ...
    def complete_task(self, task_id: int, done: TaskDone) -> Task:
        """The assignee marks it done."""
        ...

    def check_task(self, task_id: int, check: TaskCheck) -> Task:
        """The author accepts it or returns it with a comment."""
        ...

    def task_reminders(self) -> Reminders:
        """The header's reminders: one light call (an indexed count and a few rows)."""
        ...

    def task_assignees(self) -> list[Person]: ...
