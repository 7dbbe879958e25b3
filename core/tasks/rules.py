"""Who may do what with a task, its state changes, reminder times and the overdue mark."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.tasks.models import Task, TaskStatus

if TYPE_CHECKING:
    from core.access.models import EmployeeInfo

REMINDERS_SHOWN = 10  # the header's list; the count covers them all


@dataclass(frozen=True)
class TaskChange:
    """A decided change of one task, applied by the store in the transaction that read it."""

    status: TaskStatus
    event: str
    comment: str | None = None
    returned: bool = False


def remind_at(deadline: datetime, remind_minutes: int) -> datetime:
    return deadline - timedelta(minutes=remind_minutes)


def is_overdue(task: Task, now: datetime) -> bool:
    return task.status == TaskStatus.OPEN and task.deadline < now


def may_see(me: EmployeeInfo, task: Task, all_desks: bool) -> bool:
    ids = {task.author.id, task.assignee.id, *(w.id for w in task.watchers)}
    return all_desks or me.id in ids


def mark_done(me: EmployeeInfo, task: Task, comment: str | None) -> TaskChange:
    """The assignee marks an open task done; it waits for the author's check."""
    if task.assignee.id != me.id:
        raise PermissionDenied("Only the assignee marks a task done.")
    if task.status != TaskStatus.OPEN:
        raise Conflict("The task is not open.")
    return TaskChange(TaskStatus.DONE, "done", comment)


def check(me: EmployeeInfo, task: Task, accept: bool, comment: str | None) -> TaskChange:
    """The author accepts a done task (closed) or returns it to the assignee with a comment."""
    if task.author.id != me.id:
        raise PermissionDenied("Only the one who set the task checks it.")
    if task.status != TaskStatus.DONE:
        raise Conflict("The task is not marked done.")
    if accept:
        return TaskChange(TaskStatus.ACCEPTED, "accepted", comment)
    if not (comment or "").strip():
        raise ValidationFailed("Say why the task is returned.", field="comment")
    return TaskChange(TaskStatus.OPEN, "returned", comment.strip() if comment else None, returned=True)


def self_set_done(task: Task) -> bool:
    """A task one sets oneself needs no check: done is accepted."""
    return task.author.id == task.assignee.id
