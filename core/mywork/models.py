"""What 'My work' answers: the sections with their counts and first rows."""

from __future__ import annotations

from datetime import date, datetime

from core.shapes import Shape


class WorkItem(Shape):
    kind: str  # core.mywork.rules.ItemKind
    id: int  # the action's, the campaign's (call-back), the task's, or the client's (online)
    client_id: int | None  # None: a task (tasks name no client)
    client: str | None  # the client's full name
    title: str  # the action type, the campaign, the task's title, the lifecycle
    at: datetime | None  # due, call-back time, deadline, online until
    overdue: bool = False
    returned: bool = False  # a task returned to me by its author


class WorkSection(Shape):
    section: str  # core.mywork.rules.Section
    count: int  # all of them, also beyond the rows shown
    items: list[WorkItem]


class MyWork(Shape):
    day: date  # the employee's local today
    zone: str
    sections: list[WorkSection]  # in core.mywork.rules.SECTIONS order
