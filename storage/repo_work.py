"""Repository queries of the pipeline (`core.work.store.WorkStore`): one transaction per method;
every list and count is the one statement `storage.work_sql` compiles."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import Connection, Engine, bindparam, delete, func, insert, select, update
from sqlalchemy.engine import Row

from core.automation.rules import Event, Trigger
from core.clients.models import ClientSummary
from core.clients.names import full_name
from core.clock import as_utc
from core.errors import NotFound, ValidationFailed
from core.work.models import Action, ActionType, Tag
from core.work.store import ActionRecord, ListSpec, ViewRecord
from storage import work_sql as w
from storage.automation_events import emit
from storage.engine import read, write
from storage.tables_work import SavedViewRow

_v = SavedViewRow.__table__.c
_TYPES = select(w.action_type).order_by(w._t.position, w._t.id)
_TYPE_BY_CODE = select(w._t.id, w._t.active).where(w._t.code == bindparam("code"))
_CLIENT_DESK = select(w._c.desk_id).where(w._c.id == bindparam("cid"))
_EMPLOYEE_ACTIVE = select(w._e.active).where(w._e.id == bindparam("eid"))
_ACTION_BY_ID = w.ACTION_COLUMNS.where(w._a.id == bindparam("aid"))
_ACTIONS_OF = w.ACTION_COLUMNS.where(w._a.client_id == bindparam("cid")).order_by(w._a.due_at.desc(), w._a.id.desc())
_VIEW_COLUMNS = select(SavedViewRow.__table__, w._e.full_name).outerjoin(w.employee, w._e.id == _v.owner_id)
_VIEW = _VIEW_COLUMNS.where(_v.id == bindparam("vid"))
_TAG_ID = select(w._tag.id).where(w._tag.key == bindparam("key"))
_CLIENT_TAGS = (
    select(w._tag.key).join(w.client_tag, w._ct.tag_id == w._tag.id).where(w._ct.client_id == bindparam("cid"))
).order_by(w._tag.key)
_TAG_COUNTS = (
    select(w._tag.id, w._tag.key, func.count(w._ct.client_id))
    .join(w.client_tag, w._ct.tag_id == w._tag.id)
    .join(w.client, w._c.id == w._ct.client_id)
    .group_by(w._tag.id, w._tag.key)
    .order_by(w._tag.key)
)


def _visible(desk_id: int | None, desk_ids: tuple[int, ...] | None) -> bool:
    return desk_ids is None or desk_id in desk_ids


def _action(r: Row) -> Action:
    return Action(
        id=r[0],
        client_id=r[1],
        client=full_name(r[2], r[3], r[4]),
        type=r[5],
        type_name=r[6],
        due_at=as_utc(r[7]),
        employee_id=r[8],
        employee=r[9],
        done_at=as_utc(r[10]) if r[10] else None,
        overdue=False,  # decided by core.work.rules.is_overdue at the time of the answer
        comment=r[11],
        created_at=as_utc(r[12]),
    )


def _view(r: Row) -> ViewRecord:
    m = r._mapping
    return ViewRecord(
        id=m["id"],
        name=m["name"],
        subject=m["subject"],
        shared=bool(m["shared"]),
        owner_id=m["owner_id"],
        owner=m["full_name"],
        conditions=m["conditions"],
        sort=m["sort"],
        descending=bool(m["descending"]),
    )


class WorkQueries:
    engine: Engine

    # --- action types and actions -----------------------------------------------------------

    def action_types(self) -> list[ActionType]:
        with read(self.engine) as conn:
            rows = conn.execute(_TYPES).all()
        return [ActionType(id=r.id, code=r.code, name=r.name, position=r.position, active=r.active) for r in rows]

    def save_action_type(self, code: str, name: str, position: int, active: bool) -> ActionType:
        with write(self.engine) as conn:
            found = conn.execute(_TYPE_BY_CODE, {"code": code}).first()
            values = {"name": name, "position": position, "active": active}
            if found is None:
                type_id = conn.execute(insert(w.action_type).values(code=code, **values)).inserted_primary_key[0]
            else:
                type_id = found[0]
                conn.execute(update(w.action_type).where(w._t.id == type_id).values(**values))
        return ActionType(id=type_id, code=code, **values)

    def add_action(self, record: ActionRecord, desk_ids: tuple[int, ...] | None) -> Action:
        with write(self.engine) as conn:
            desk = conn.execute(_CLIENT_DESK, {"cid": record.client_id}).first()
            if desk is None or not _visible(desk[0], desk_ids):
                raise NotFound(f"No client with CRM id {record.client_id}.")
            kind = conn.execute(_TYPE_BY_CODE, {"code": record.type}).first()
            if kind is None or not kind.active:
                raise ValidationFailed(f"Unknown action type '{record.type}'.", field="type")
            if record.employee_id is not None and not conn.scalar(_EMPLOYEE_ACTIVE, {"eid": record.employee_id}):
                raise ValidationFailed("No active employee with that id.", field="employee_id")
            values = {
                "client_id": record.client_id,
                "type_id": kind.id,
                "due_at": record.due_at,
                "employee_id": record.employee_id,
                "comment": record.comment,
                "created_by": record.created_by,
                "created_at": record.created_at,
            }
            action_id = conn.execute(insert(w.action).values(**values)).inserted_primary_key[0]
            return _action(conn.execute(_ACTION_BY_ID, {"aid": action_id}).one())

    def mark_action(
        self, action_id: int, done_at: datetime | None, by: int | None, desk_ids: tuple[int, ...] | None
    ) -> Action | None:
        with write(self.engine) as conn:
            found = conn.execute(select(w._c.desk_id).select_from(w._ACTION_FROM).where(w._a.id == action_id)).first()
            if found is None or not _visible(found[0], desk_ids):
                return None
            conn.execute(
                update(w.action).where(w._a.id == action_id).values(done_at=done_at, done_by=by if done_at else None)
            )
            marked = _action(conn.execute(_ACTION_BY_ID, {"aid": action_id}).one())
            if done_at is not None:  # M8: the rules of "an action of a type done"
                key = f"action_done:{action_id}:{as_utc(done_at).isoformat()}"
                emit(conn, done_at, [Event(Trigger.ACTION_DONE, marked.client_id, key, done_at, marked.type)])
            return marked

    def client_actions(self, client_id: int, desk_ids: tuple[int, ...] | None) -> list[Action] | None:
        with read(self.engine) as conn:
            desk = conn.execute(_CLIENT_DESK, {"cid": client_id}).first()
            if desk is None or not _visible(desk[0], desk_ids):
                return None
            return [_action(r) for r in conn.execute(_ACTIONS_OF, {"cid": client_id})]

    # --- lists ------------------------------------------------------------------------------

    def list_actions(self, spec: ListSpec) -> list[Action]:
        with read(self.engine) as conn:
            return [_action(r) for r in conn.execute(w.page(spec))]

    def list_clients(self, spec: ListSpec) -> list[ClientSummary]:
        with read(self.engine) as conn:
            rows = conn.execute(w.page(spec)).all()
            phones: dict[int, list[str]] = {r[0]: [] for r in rows}
            if rows:
                for client_id, e164 in conn.execute(w.PHONES_OF.where(w.PhoneRow.client_id.in_(list(phones)))):
                    phones[client_id].append(e164)
        return [
            ClientSummary.model_construct(
                id=r[0],
                full_name=full_name(r[1], r[2], r[3]),
                birth_date=date.fromisoformat(r[4]) if isinstance(r[4], str) else r[4],
                client_type=r[5],
                lifecycle=r[6],
                region=r[7],
                town=r[8],
                desk=r[9],
                phones=phones[r[0]],
                matched_by="",
            )
            for r in rows
        ]

    def count_list(self, spec: ListSpec) -> int:
        with read(self.engine) as conn:
            return conn.scalar(w.count(spec)) or 0

    def list_ids(self, spec: ListSpec, after_id: int) -> list[int]:
        with read(self.engine) as conn:
            return list(conn.scalars(w.ids(spec, after_id)))

    # --- views ------------------------------------------------------------------------------

    def views(self, subject: str | None, employee_id: int | None) -> list[ViewRecord]:
        own = _v.owner_id.is_(None) if employee_id is None else _v.owner_id == employee_id
        statement = _VIEW_COLUMNS.where(own | _v.shared.is_(True))
        if subject is not None:
            statement = statement.where(_v.subject == subject)
        with read(self.engine) as conn:
            return [_view(r) for r in conn.execute(statement.order_by(_v.name, _v.id))]

    def view(self, view_id: int) -> ViewRecord | None:
        with read(self.engine) as conn:
            found = conn.execute(_VIEW, {"vid": view_id}).first()
        return _view(found) if found else None

    def save_view(self, record: ViewRecord, at: datetime) -> int:
        values = {
            "name": record.name,
            "subject": record.subject,
            "shared": record.shared,
            "owner_id": record.owner_id,
            "conditions": record.conditions,
            "sort": record.sort,
            "descending": record.descending,
        }
        if record.id is None:
            values["created_at"] = at
        with write(self.engine) as conn:
            if record.id is None:
                return conn.execute(insert(SavedViewRow).values(**values)).inserted_primary_key[0]
            conn.execute(update(SavedViewRow).where(_v.id == record.id).values(**values))
            return record.id

    def delete_view(self, view_id: int) -> None:
        with write(self.engine) as conn:
            conn.execute(delete(SavedViewRow).where(_v.id == view_id))

    # --- tags -------------------------------------------------------------------------------

    def tags(self, desk_ids: tuple[int, ...] | None) -> list[Tag]:
        statement = _TAG_COUNTS
        if desk_ids is not None:
            statement = statement.where(w._c.desk_id.in_(desk_ids))
        with read(self.engine) as conn:
            return [Tag(id=r[0], name=r[1], clients=r[2]) for r in conn.execute(statement)]

    def edit_tags(
        self,
        client_id: int,
        add: list[str],
        remove: list[str],
        desk_ids: tuple[int, ...] | None,
        at: datetime | None = None,
    ) -> list[str] | None:
        with write(self.engine) as conn:
            desk = conn.execute(_CLIENT_DESK, {"cid": client_id}).first()
            if desk is None or not _visible(desk[0], desk_ids):
                return None
            current = set(conn.scalars(_CLIENT_TAGS, {"cid": client_id}))
            fresh = sorted(set(add) - current)
            for key in fresh:
                conn.execute(insert(w.client_tag).values(tag_id=_tag_id(conn, key), client_id=client_id))
            _tags_added(conn, [client_id], fresh, at)
            gone = sorted(set(remove) & current)
            if gone:
                ids = select(w._tag.id).where(w._tag.key.in_(gone))
                conn.execute(delete(w.client_tag).where(w._ct.client_id == client_id, w._ct.tag_id.in_(ids)))
            return sorted((current | set(add)) - set(gone))

    def tag_list(self, spec: ListSpec, key: str, remove: bool, at: datetime | None = None) -> int:
        with write(self.engine) as conn:
            if remove:
                tag_id = conn.scalar(_TAG_ID, {"key": key})
                if tag_id is None:
                    return 0
                gone = delete(w.client_tag).where(w._ct.tag_id == tag_id, w._ct.client_id.in_(w.tag_ids(spec)))
                return len(conn.execute(gone.returning(w._ct.client_id)).all())
            tag_id = _tag_id(conn, key)
            fresh = w.tag_ids(spec).where(w._c.id.not_in(select(w._ct.client_id).where(w._ct.tag_id == tag_id)))
            added = insert(w.client_tag).from_select(
                ["tag_id", "client_id"], select(bindparam("tid", tag_id), fresh.subquery().c.id)
            )
            tagged = list(conn.scalars(added.returning(w._ct.client_id)))
            _tags_added(conn, tagged, [key], at)
            return len(tagged)


def _tags_added(conn: Connection, client_ids: list[int], keys: list[str], at: datetime | None) -> None:
    """M8: one "tag added" event per client and tag, for the rules of that trigger."""
    if client_ids and keys:
        at = at or datetime.now(UTC)
        mark = uuid.uuid4().hex[:12]
        emit(conn, at, [Event(Trigger.TAG_ADDED, c, f"tag:{c}:{k}:{mark}", at, k) for c in client_ids for k in keys])


def _tag_id(conn: Connection, key: str) -> int:
    found = conn.scalar(_TAG_ID, {"key": key})
    if found is not None:
        return found
    return conn.execute(insert(w.tag).values(key=key)).inserted_primary_key[0]
