"""The store of 'My work' (`core.mywork.store.MyWorkStore`): one read transaction, every section's
count in one statement and its first rows in one more (none when the count is 0). Statements are
built at import, once with the desk rule and once for every desk."""

from __future__ import annotations

from sqlalchemy import Integer, and_, bindparam, exists, false, func, select

from core.calls.rules import MemberState
from core.clients.names import full_name
from core.clock import as_utc
from core.mywork.models import WorkItem
from core.mywork.rules import SECTION_KIND, Section, is_overdue
from core.mywork.store import MyWorkQuery
from core.tasks.models import TaskStatus
from core.vocab import Lifecycle
from storage.engine import read
from storage.tables import CampaignMemberRow, CampaignRow, ClientRow, ContactRow
from storage.tables_tasks import TaskRow
from storage.tables_work import ActionRow, ActionTypeRow

_K = ClientRow.__table__  # type: ignore[attr-defined]
_A = ActionRow.__table__  # type: ignore[attr-defined]
_T = ActionTypeRow.__table__  # type: ignore[attr-defined]
_M = CampaignMemberRow.__table__  # type: ignore[attr-defined]
_P = CampaignRow.__table__  # type: ignore[attr-defined]
_C = ContactRow.__table__  # type: ignore[attr-defined]
_J = TaskRow.__table__  # type: ignore[attr-defined]

_ME, _NOW, _END = bindparam("me"), bindparam("now"), bindparam("day_end")
_NAME = (_K.c.surname, _K.c.first_name, _K.c.patronymic)
_LIVE_CLIENT = _K.c.merged_into.is_(None)
_OPEN_MINE = and_(_A.c.employee_id == _ME, _A.c.done_at.is_(None))
_SET_BY_ME = exists().where(  # the call that asked for the call-back was mine
    _C.c.client_id == _M.c.client_id,
    _C.c.campaign_id == _M.c.campaign_id,
    _C.c.employee_id == _ME,
    _C.c.next_at == _M.c.next_call_at,
)


def _sections(desks):  # type: ignore[no-untyped-def]
    """Per section: (the FROM with its conditions as a select of the row's columns, the order)."""
    on_desks = [] if desks is None else [desks]
    actions = select(_A.c.id, _A.c.client_id, *_NAME, _T.c.name.label("title"), _A.c.due_at.label("at")).join_from(
        _A, _T, _T.c.id == _A.c.type_id
    )
    actions = actions.join(_K, _K.c.id == _A.c.client_id).where(_OPEN_MINE, _LIVE_CLIENT, *on_desks)
    callbacks = (
        select(_P.c.id, _M.c.client_id, *_NAME, _P.c.name.label("title"), _M.c.next_call_at.label("at"))
        .join_from(_M, _P, _P.c.id == _M.c.campaign_id)
        .join(_K, _K.c.id == _M.c.client_id)
        .where(_M.c.state == MemberState.CALLBACK.value, _M.c.next_call_at < _END, _P.c.active.is_(True))
        .where(_SET_BY_ME, _LIVE_CLIENT, *on_desks)
    )
    tasks = select(_J.c.id, _J.c.title, _J.c.deadline.label("at"), _J.c.returned)
    online = select(_K.c.id, _K.c.id.label("client_id"), *_NAME, _K.c.lifecycle.label("title"))
    online = online.add_columns(_K.c.online_until.label("at")).where(
        _K.c.responsible_id == _ME, _K.c.lifecycle == Lifecycle.LIVE.value, _K.c.online_until > _NOW
    )
    return {
        Section.OVERDUE: (actions.where(_A.c.due_at < _NOW), (_A.c.due_at, _A.c.id)),
        Section.TODAY: (actions.where(_A.c.due_at >= _NOW, _A.c.due_at < _END), (_A.c.due_at, _A.c.id)),
        Section.CALLBACKS: (callbacks, (_M.c.next_call_at, _M.c.client_id)),
        Section.TASKS: (
            tasks.where(_J.c.assignee_id == _ME, _J.c.status == TaskStatus.OPEN.value),
            (_J.c.deadline, _J.c.id),
        ),
        Section.TO_CHECK: (
            tasks.where(_J.c.author_id == _ME, _J.c.status == TaskStatus.DONE.value),
            (_J.c.deadline, _J.c.id),
        ),
        Section.ONLINE: (online.where(_LIVE_CLIENT, *on_desks), (_K.c.online_until.desc(), _K.c.id)),
    }


def _statements(desks):  # type: ignore[no-untyped-def]
    parts = _sections(desks)
    counts = select(
        *(
            select(func.count()).select_from(q.subquery()).scalar_subquery().label(s.value)
            for s, (q, _o) in parts.items()
        )
    )
    rows = {s: q.order_by(*order).limit(bindparam("n", type_=Integer)) for s, (q, order) in parts.items()}
    return counts, rows


_BY_DESK = _statements(_K.c.desk_id.in_(bindparam("desks", expanding=True)))
_NO_DESK = _statements(false())  # an employee of no desk: only the tasks, which name no client
_ALL_DESKS = _statements(None)


def _item(section: Section, r, now) -> WorkItem:  # type: ignore[no-untyped-def]
    at = as_utc(r.at) if r.at is not None else None
    if SECTION_KIND[section] == "task":
        return WorkItem(
            kind="task", id=r.id, client_id=None, client=None, title=r.title, at=at,
            overdue=at is not None and is_overdue(at, now), returned=bool(r.returned),
        )  # fmt: skip
    overdue = section == Section.OVERDUE or (section == Section.CALLBACKS and at is not None and is_overdue(at, now))
    return WorkItem(
        kind=SECTION_KIND[section].value, id=r.id, client_id=r.client_id,
        client=full_name(r.surname, r.first_name, r.patronymic), title=r.title, at=at, overdue=overdue,
    )  # fmt: skip


class MyWorkQueries:
    """Mixed into `storage.sql_repository.SqlRepository`."""

    def my_work(self, query: MyWorkQuery) -> dict[str, tuple[int, list[WorkItem]]]:
        params: dict[str, object] = {"me": query.employee_id, "now": query.now, "day_end": query.day_end}
        if query.desk_ids is None:
            counts, rows = _ALL_DESKS
        elif query.desk_ids:
            counts, rows = _BY_DESK
            params["desks"] = list(query.desk_ids)
        else:
            counts, rows = _NO_DESK
        out: dict[str, tuple[int, list[WorkItem]]] = {}
        with read(self.engine) as conn:  # type: ignore[attr-defined]
            found = conn.execute(counts, params).one()._mapping
            for section, statement in rows.items():
                count = int(found[section.value] or 0)
                items = (
                    [_item(section, r, query.now) for r in conn.execute(statement, {**params, "n": query.limit})]
                    if count
                    else []
                )
                out[section] = (count, items)
        return out
