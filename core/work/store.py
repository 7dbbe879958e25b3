"""What the pipeline needs from a store: one method per operation, each one transaction; a list
and its count are one query each, compiled from the whitelisted conditions (`ListSpec`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from core.clients.models import ClientSummary
from core.work.models import Action, ActionType, Tag
from core.work.rules import Resolved, Subject


@dataclass(frozen=True)
class ListSpec:
    """A list the store answers with one query: the subject's rows in the desks (None: all)."""

    subject: Subject
    conditions: tuple[Resolved, ...]
    desk_ids: tuple[int, ...] | None
    sort: str
    descending: bool = False
    offset: int = 0
    limit: int = 50


@dataclass(frozen=True)
class ViewRecord:
    id: int | None
    name: str
    subject: str
    shared: bool
    owner_id: int | None
    owner: str | None
    conditions: str  # JSON: the conditions as written (relative dates resolve at each use)
    sort: str
    descending: bool


@dataclass(frozen=True)
class ActionRecord:
    client_id: int
    type: str
    due_at: datetime
    employee_id: int | None  # None: nobody yet
    comment: str | None
    created_by: int | None
    created_at: datetime


class WorkStore(Protocol):
    def action_types(self) -> list[ActionType]: ...
    def save_action_type(self, code: str, name: str, position: int, active: bool) -> ActionType: ...
    def add_action(self, record: ActionRecord, desk_ids: tuple[int, ...] | None) -> Action:
        """NotFound when the client is not in the desks; ValidationFailed for an unknown or
        inactive type or an employee who is not active."""
        ...

    def mark_action(
        self, action_id: int, done_at: datetime | None, by: int | None, desk_ids: tuple[int, ...] | None
    ) -> Action | None: ...
    def client_actions(self, client_id: int, desk_ids: tuple[int, ...] | None) -> list[Action] | None: ...
    def list_actions(self, spec: ListSpec) -> list[Action]: ...
    def list_clients(self, spec: ListSpec) -> list[ClientSummary]: ...
    def count_list(self, spec: ListSpec) -> int: ...
    def list_ids(self, spec: ListSpec, after_id: int) -> list[int]:
        """Ids of the subject's rows above `after_id`, in id order, at most `spec.limit`."""
        ...

    def views(self, subject: str | None, employee_id: int | None) -> list[ViewRecord]:
        """The employee's own views (None: the local administrator's) and the shared ones, in name order."""
        ...

    def view(self, view_id: int) -> ViewRecord | None: ...
    def save_view(self, record: ViewRecord, at: datetime) -> int: ...
    def delete_view(self, view_id: int) -> None: ...
    def tags(self, desk_ids: tuple[int, ...] | None) -> list[Tag]: ...
    def edit_tags(
        self,
        client_id: int,
        add: list[str],
        remove: list[str],
        desk_ids: tuple[int, ...] | None,
        at: datetime | None = None,
    ) -> list[str] | None:
        """The client's tags after the change; None when the client is not in the desks. Each tag
        added queues its automation event (M8) at `at`."""
        ...

    def tag_list(self, spec: ListSpec, key: str, remove: bool, at: datetime | None = None) -> int:
        """Adds (or removes) the tag on every client of the list; how many changed."""
        ...
