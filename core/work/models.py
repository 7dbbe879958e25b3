"""What the pipeline answers: action types and actions, views, pages of a list, tags."""

from __future__ import annotations

from datetime import datetime

from core.clients.models import ClientSummary, LastAction

__all__ = ["LastAction"]  # core.clients.models' (the card's), kept importable here
from core.shapes import Shape


class ActionType(Shape):
    id: int
    code: str
    name: str
    position: int
    active: bool


class Action(Shape):
    id: int
    client_id: int
    client: str  # the client's full name
    type: str  # the type's code
    type_name: str
    due_at: datetime
    employee_id: int | None
    employee: str | None
    done_at: datetime | None
    overdue: bool  # open and past due at the time of the answer (core.work.rules.is_overdue)
    comment: str | None
    created_at: datetime


class Condition(Shape):
    field: str
    op: str
    values: list[str] = []


class View(Shape):
    id: int
    name: str
    subject: str  # core.work.rules.Subject
    shared: bool
    owner_id: int | None
    owner: str | None
    mine: bool
    conditions: list[Condition]
    sort: str
    descending: bool


class ActionPage(Shape):
    items: list[Action]
    offset: int
    more: bool  # another page follows
    sort: str = "due_at"  # the column the rows are in order of (core.work.rules.check_sort)


class ClientPage(Shape):
    items: list[ClientSummary]
    offset: int
    more: bool
    sort: str = "id"  # without one asked for: the first range condition's column, if sortable


class Tag(Shape):
    id: int
    name: str
    clients: int  # how many clients of my desks carry it


class TagChange(Shape):
    tag: str
    changed: int  # clients that gained (or lost) it
