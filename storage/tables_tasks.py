"""Tables of the tasks area (core.tasks)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class TaskRow(SQLModel, table=True):
    __tablename__ = "task"
    __table_args__ = (
        Index("ix_task_assignee_status_remind", "assignee_id", "status", "remind_at"),  # the header's count
        Index("ix_task_author_status", "author_id", "status"),
    )
    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    text: str = ""
    author_id: int = Field(foreign_key="employee.id")
    assignee_id: int = Field(foreign_key="employee.id")
    deadline: datetime
    remind_at: datetime
    status: str = "open"  # core.tasks.models.TaskStatus
    returned: bool = False
    comment: str | None = None
    repeat: str | None = Field(default=None, max_length=120)  # core.tasks.recurrence
    zone: str = Field(default="Europe/Moscow", max_length=60)
    series_id: int | None = Field(default=None, foreign_key="task.id")
    next_task_id: int | None = Field(default=None, foreign_key="task.id")
    created_at: datetime
    done_at: datetime | None = None
    checked_at: datetime | None = None


class TaskWatcherRow(SQLModel, table=True):
    __tablename__ = "task_watcher"
    task_id: int = Field(foreign_key="task.id", primary_key=True)
    employee_id: int = Field(foreign_key="employee.id", primary_key=True, index=True)


class TaskEventRow(SQLModel, table=True):
    """A task's history: created, done, accepted, returned (with the comment)."""

    __tablename__ = "task_event"
    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    at: datetime
    employee_id: int = Field(foreign_key="employee.id")
    event: str = Field(max_length=20)
    comment: str | None = None
