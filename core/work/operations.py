"""The pipeline of the local Console: permissions, the desk rule and the view rules decided here;
each operation is one store call (`WorkStore`)."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import TYPE_CHECKING

from core.access.rules import Permission, heads_desks
from core.clock import DEFAULT_TZ
from core.errors import NotFound, PermissionDenied, ValidationFailed
from core.work import rules
from core.work.inputs import ActionTypeDraft, ConditionIn, ListQuery, NewAction, TagEdit, ViewDraft
from core.work.models import Action, ActionPage, ActionType, ClientPage, Condition, Tag, TagChange, View
from core.work.rules import Subject
from core.work.store import ActionRecord, ListSpec, ViewRecord

if TYPE_CHECKING:
    from core.access.models import EmployeeInfo
    from core.clients.models import ClientSummary
    from core.clock import Clock
    from core.work.store import WorkStore


class WorkOperations:
    """M4, M5, M7 for `core.console.LocalConsole` (a mixin: it brings whoami, the desks and the repo)."""

    repo: WorkStore
    clock: Clock
    timezone: str = DEFAULT_TZ

    if TYPE_CHECKING:

        def whoami(self) -> EmployeeInfo: ...
        def _desks(self) -> list[int] | None: ...
        def _require(self, permission: Permission, what: str) -> None: ...
        def _mask_summary(self, summary: ClientSummary) -> ClientSummary: ...

    def _desk_tuple(self) -> tuple[int, ...] | None:
        desks = self._desks()
        return None if desks is None else tuple(desks)

    # --- actions (M4) -----------------------------------------------------------------------

    def action_types(self) -> list[ActionType]:
        self.whoami()
        return self.repo.action_types()

    def save_action_type(self, draft: ActionTypeDraft) -> ActionType:
        self._require(Permission.MANAGE_USERS, "configure action types")
        name = draft.name.strip()
        if not name:
            raise ValidationFailed("An action type needs a name.", field="name")
        return self.repo.save_action_type(rules.action_type_code(draft.code), name, draft.position, draft.active)

    def add_action(self, client_id: int, action: NewAction) -> Action:
        me = self.whoami()
        self._require(Permission.COMMENT, "plan actions")
        record = ActionRecord(
            client_id=client_id,
            type=action.type,
            due_at=action.due_at,
            employee_id=action.employee_id or me.id or None,  # the local administrator (id 0): nobody
            comment=(action.comment or "").strip() or None,
            created_by=me.id or None,
            created_at=self.clock.now(),
        )
        return self._marked(self.repo.add_action(record, self._desk_tuple()))

    def mark_action(self, action_id: int, done: bool = True) -> Action:
        me = self.whoami()
        self._require(Permission.COMMENT, "mark actions done")
        found = self.repo.mark_action(action_id, self.clock.now() if done else None, me.id or None, self._desk_tuple())
        if found is None:
            raise NotFound(f"No action {action_id}.")
        return self._marked(found)

    def client_actions(self, client_id: int) -> list[Action]:
        self.whoami()
        found = self.repo.client_actions(client_id, self._desk_tuple())
        if found is None:
            raise NotFound(f"No client with CRM id {client_id}.")
        return [self._marked(a) for a in found]

    def _marked(self, action: Action) -> Action:
        action.overdue = rules.is_overdue(action.due_at, action.done_at, self.clock.now())
        return action

    # --- lists and views (M5) ---------------------------------------------------------------

    def _spec(self, subject: Subject, query: ListQuery) -> ListSpec:
        self.whoami()
        conditions = rules.resolve(
            subject, [(c.field, c.op, list(c.values)) for c in query.conditions], self.clock.now(), self.timezone
        )
        return ListSpec(
            subject=subject,
            conditions=tuple(conditions),
            desk_ids=self._desk_tuple(),
            sort=rules.check_sort(subject, query.sort, conditions),
            descending=query.descending,
            offset=query.offset,
            limit=query.limit + 1,  # one more tells whether another page follows
        )

    def list_actions(self, query: ListQuery) -> ActionPage:
        spec = self._spec(Subject.ACTIONS, query)
        rows = self.repo.list_actions(spec)
        items = [self._marked(a) for a in rows[: query.limit]]
        return ActionPage(items=items, offset=query.offset, more=len(rows) > query.limit, sort=spec.sort)

    def list_clients(self, query: ListQuery) -> ClientPage:
        spec = self._spec(Subject.CLIENTS, query)
        rows = self.repo.list_clients(spec)
        items = [self._mask_summary(s) for s in rows[: query.limit]]
        return ClientPage(items=items, offset=query.offset, more=len(rows) > query.limit, sort=spec.sort)

    def count_actions(self, query: ListQuery) -> int:
        return self.repo.count_list(self._spec(Subject.ACTIONS, query))

    def count_clients(self, query: ListQuery) -> int:
        return self.repo.count_list(self._spec(Subject.CLIENTS, query))

    def views(self, subject: str | None = None) -> list[View]:
        me = self.whoami()
        if subject is not None:
            subject = _subject(subject)
        return [_view(r, me.id or None) for r in self.repo.views(subject, me.id or None)]

    def _own_view(self, view_id: int, write: bool = False) -> ViewRecord:
        me = self.whoami()
        found = self.repo.view(view_id)
        if found is None or not (found.shared or found.owner_id == (me.id or None)):
            raise NotFound(f"No view {view_id}.")
        if write and found.owner_id != (me.id or None) and Permission.MANAGE_USERS not in me.permissions:
            raise PermissionDenied("Only its author may change a shared view.")
        return found

    def save_view(self, draft: ViewDraft, view_id: int | None = None) -> View:
        me = self.whoami()
        subject = _subject(draft.subject)
        if draft.shared and not heads_desks(me):
            raise PermissionDenied("Your role may not share views.")
        query = ListQuery(conditions=draft.conditions, sort=draft.sort, descending=draft.descending)
        checked = self._spec(subject, query)  # checked before it is saved
        name = draft.name.strip()
        if not name:
            raise ValidationFailed("A view needs a name.", field="name")
        owner = self._own_view(view_id, write=True).owner_id if view_id is not None else me.id or None
        record = ViewRecord(
            id=view_id,
            name=name,
            subject=subject,
            shared=draft.shared,
            owner_id=owner,
            owner=None,
            conditions=json.dumps([c.model_dump() for c in draft.conditions], ensure_ascii=False),
            sort=checked.sort,
            descending=draft.descending,
        )
        saved = self.repo.save_view(record, self.clock.now())
        found = self.repo.view(saved)
        assert found is not None
        return _view(found, me.id or None)

    def delete_view(self, view_id: int) -> None:
        self._own_view(view_id, write=True)
        self.repo.delete_view(view_id)

    def view_query(self, view_id: int, offset: int = 0, limit: int = 50) -> ListQuery:
        return _query_of(self._own_view(view_id), offset, limit)

    def view_ids(self, view_id: int, after_id: int = 0, limit: int = 500) -> list[int]:
        record = self._own_view(view_id)
        limit = max(1, min(limit, rules.PAGE_MAX))
        spec = self._spec(Subject(record.subject), _query_of(record))
        return self.repo.list_ids(replace(spec, limit=limit), max(0, after_id))

    # --- tags (M7) --------------------------------------------------------------------------

    def tags(self) -> list[Tag]:
        self.whoami()
        return self.repo.tags(self._desk_tuple())

    def edit_tags(self, client_id: int, edit: TagEdit) -> list[str]:
        self._require(Permission.COMMENT, "tag clients")
        add = sorted({rules.tag_key(t) for t in edit.add})
        remove = sorted({rules.tag_key(t) for t in edit.remove} - set(add))
        found = self.repo.edit_tags(client_id, add, remove, self._desk_tuple(), self.clock.now())
        if found is None:
            raise NotFound(f"No client with CRM id {client_id}.")
        return found

    def tag_view(self, view_id: int, tag: str, remove: bool = False) -> TagChange:
        self._require(Permission.COMMENT, "tag clients")
        key = rules.tag_key(tag)
        record = self._own_view(view_id)
        if record.subject != Subject.CLIENTS:
            raise ValidationFailed("Only a view of clients can be tagged.", field="view_id")
        spec = self._spec(Subject.CLIENTS, _query_of(record))
        return TagChange(tag=key, changed=self.repo.tag_list(spec, key, remove, self.clock.now()))


def _subject(text: str) -> Subject:
    try:
        return Subject(text)
    except ValueError:
        raise ValidationFailed(f"A view is of 'clients' or 'actions', not '{text}'.", field="subject") from None


def _query_of(record: ViewRecord, offset: int = 0, limit: int = 50) -> ListQuery:
    conditions = [ConditionIn(**c) for c in json.loads(record.conditions)]
    return ListQuery(conditions=conditions, sort=record.sort, descending=record.descending, offset=offset, limit=limit)


def _view(r: ViewRecord, me: int | None) -> View:
    assert r.id is not None
    return View(
        id=r.id,
        name=r.name,
        subject=r.subject,
        shared=r.shared,
        owner_id=r.owner_id,
        owner=r.owner,
        mine=r.owner_id == me,
        conditions=[Condition(**c) for c in json.loads(r.conditions)],
        sort=r.sort,
        descending=r.descending,
    )
