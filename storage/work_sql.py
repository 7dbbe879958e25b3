"""The pipeline's SQL: a whitelist of view fields -> columns, and the compiler of a `ListSpec` into
ONE statement. Values only ever reach the database as bound parameters; a field or a sort that is
not in the whitelist names no column (KeyError), whatever the input said."""

from __future__ import annotations

from sqlalchemy import Select, and_, exists, false, func, not_, or_, select, true
from sqlalchemy.sql.elements import ColumnElement

from core.work.rules import Op, Resolved, Subject
from core.work.store import ListSpec
from storage.tables import ClientRow as _ClientRow
from storage.tables import DeskRow, EmployeeRow, PhoneRow, RegionRow, TownRow
from storage.tables_work import ActionRow, ActionTypeRow, ClientTagRow, TagRow

client = _ClientRow.__table__
action = ActionRow.__table__
action_type = ActionTypeRow.__table__
tag = TagRow.__table__
client_tag = ClientTagRow.__table__
employee = EmployeeRow.__table__
_c, _a, _t, _e = client.c, action.c, action_type.c, employee.c
_ct, _tag = client_tag.c, tag.c

CLIENT_FIELDS: dict[str, ColumnElement] = {
    name: _c[name]
    for name in (
        "id", "surname", "client_type", "lifecycle", "language", "desk_id", "responsible_id", "region_id",
        "town_id", "birth_date", "created_at", "do_not_disturb", "last_note_at", "last_call_at",
        "last_contact_at", "last_deposit_at",
    )
}  # fmt: skip
ACTION_FIELDS: dict[str, ColumnElement] = {
    "id": _a.id,
    "client_id": _a.client_id,
    "type": _t.code,
    "employee_id": _a.employee_id,
    "due_at": _a.due_at,
    "done_at": _a.done_at,
    "created_at": _a.created_at,
    "desk_id": _c.desk_id,
}
SORTS: dict[Subject, dict[str, ColumnElement]] = {
    Subject.CLIENTS: {
        "id": _c.id,
        "surname": _c.name_key,
        "created_at": _c.created_at,
        "last_contact_at": _c.last_contact_at,
        "last_call_at": _c.last_call_at,
        "last_note_at": _c.last_note_at,
    },
    Subject.ACTIONS: {
        "id": _a.id,
        "due_at": _a.due_at,
        "type": _t.position,
        "client": _c.name_key,
        "employee": _e.full_name,
        "done_at": _a.done_at,
        "created_at": _a.created_at,
    },
}
_ACTION_FROM = action.join(client, _c.id == _a.client_id).join(action_type, _t.id == _a.type_id)
ACTION_COLUMNS = select(
    _a.id, _a.client_id, _c.surname, _c.first_name, _c.patronymic, _t.code, _t.name, _a.due_at,
    _a.employee_id, _e.full_name, _a.done_at, _a.comment, _a.created_at,
).select_from(_ACTION_FROM.outerjoin(employee, _e.id == _a.employee_id))  # fmt: skip
CLIENT_COLUMNS = (
    select(
        _c.id,
        _c.surname,
        _c.first_name,
        _c.patronymic,
        _c.birth_date,
        _c.client_type,
        _c.lifecycle,
        RegionRow.name,
        TownRow.name,
        DeskRow.name,
    )  # fmt: skip
    .select_from(client)
    .outerjoin(RegionRow, RegionRow.id == _c.region_id)
    .outerjoin(TownRow, TownRow.id == _c.town_id)
    .outerjoin(DeskRow, DeskRow.id == _c.desk_id)
)
PHONES_OF = select(PhoneRow.client_id, PhoneRow.e164).order_by(PhoneRow.id)
_TAGGED = select(_ct.client_id).join(tag, _tag.id == _ct.tag_id)


def compare(col: ColumnElement, r: Resolved) -> ColumnElement:
    """One condition on one whitelisted column; `≠` includes the empty ones."""
    v = r.values
    if r.op is Op.EQ:
        return col == v[0]
    if r.op is Op.NE:
        return or_(col != v[0], col.is_(None))
    if r.op is Op.LT:
        return col < v[0]
    if r.op is Op.GT:
        return col > v[0]
    if r.op is Op.BETWEEN:
        return and_(col >= v[0], col <= v[1])
    return col.is_(None)  # Op.EMPTY


def _tag_condition(r: Resolved) -> ColumnElement:
    if r.op is Op.EMPTY:
        return not_(exists().where(_ct.client_id == _c.id))
    tagged = _c.id.in_(_TAGGED.where(_tag.key == r.values[0]))
    return tagged if r.op is Op.EQ else not_(tagged)


def _action_condition(r: Resolved) -> ColumnElement:
    if r.field == "done":
        return _a.done_at.is_not(None) if r.values[0] else _a.done_at.is_(None)
    if r.field == "overdue":  # core.work.rules.is_overdue: open and due before now
        flag, now = r.values
        overdue = and_(_a.done_at.is_(None), _a.due_at < now)
        return overdue if flag else not_(overdue)
    return compare(ACTION_FIELDS[r.field], r)


def where(spec: ListSpec) -> list[ColumnElement]:
    """The desk rule first, then every condition."""
    out: list[ColumnElement] = []
    if spec.desk_ids is not None:
        out.append(_c.desk_id.in_(spec.desk_ids) if spec.desk_ids else false())
    for r in spec.conditions:
        if spec.subject is Subject.CLIENTS:
            out.append(_tag_condition(r) if r.field == "tag" else compare(CLIENT_FIELDS[r.field], r))
        else:
            out.append(_action_condition(r))
    return out or [true()]


def _ordered(statement: Select, spec: ListSpec) -> Select:
    key = SORTS[spec.subject][spec.sort]
    tie = _c.id if spec.subject is Subject.CLIENTS else _a.id
    if spec.descending:
        return statement.order_by(key.desc(), tie.desc())
    return statement.order_by(key, tie) if key is not tie else statement.order_by(key)


def page(spec: ListSpec) -> Select:
    base = CLIENT_COLUMNS if spec.subject is Subject.CLIENTS else ACTION_COLUMNS
    return _ordered(base.where(*where(spec)), spec).offset(spec.offset).limit(spec.limit)


def count(spec: ListSpec) -> Select:
    if spec.subject is Subject.CLIENTS:
        return select(func.count()).select_from(client).where(*where(spec))
    return select(func.count()).select_from(_ACTION_FROM).where(*where(spec))


def ids(spec: ListSpec, after_id: int) -> Select:
    if spec.subject is Subject.CLIENTS:
        return select(_c.id).where(*where(spec), _c.id > after_id).order_by(_c.id).limit(spec.limit)
    return (
        select(_a.id).select_from(_ACTION_FROM).where(*where(spec), _a.id > after_id).order_by(_a.id).limit(spec.limit)
    )


def tag_ids(spec: ListSpec) -> Select:
    """The clients of a list, for a bulk tag (no page: every one)."""
    return select(_c.id).where(*where(spec))
