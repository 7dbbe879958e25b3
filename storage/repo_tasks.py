"""The tasks' store (`core.tasks.store.TasksStore`): one transaction per operation, statements
built at import, the header's count an index range on (assignee, status, remind_at)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Integer, and_, bindparam, exists, func, insert, or_, select, update
from sqlalchemy.orm import aliased

from core.clock import as_utc
from core.errors import Conflict
from core.jobs.models import NewJob
from core.tasks.jobs import RECUR
from core.tasks.models import Person, Reminder, Reminders, Task, TaskCard, TaskEvent, TaskScope, TaskStatus
from core.tasks.rules import TaskChange
from core.tasks.store import SeriesRecord, TaskDraft
from storage.engine import read, write
from storage.repo_jobs import insert_job
from storage.tables import EmployeeDeskRow, EmployeeRow
from storage.tables_tasks import TaskEventRow, TaskRow, TaskWatcherRow

K = TaskRow.__table__  # type: ignore[attr-defined]
W = TaskWatcherRow.__table__  # type: ignore[attr-defined]
V = TaskEventRow.__table__  # type: ignore[attr-defined]
E = EmployeeRow.__table__  # type: ignore[attr-defined]
ED = EmployeeDeskRow.__table__  # type: ignore[attr-defined]
AUTHOR = aliased(EmployeeRow, name="author")
ASSIGNEE = aliased(EmployeeRow, name="assignee")
OPEN = TaskStatus.OPEN.value

_TASKS = (
    select(K, AUTHOR.full_name.label("author_name"), ASSIGNEE.full_name.label("assignee_name"))
    .join(AUTHOR, AUTHOR.id == K.c.author_id)
    .join(ASSIGNEE, ASSIGNEE.id == K.c.assignee_id)
)
_ONE = _TASKS.where(K.c.id == bindparam("task_id"))
_ONE_LOCKED = _ONE.with_for_update(of=K)
_WATCHERS = (
    select(W.c.task_id, E.c.id, E.c.full_name)
    .join(E, E.c.id == W.c.employee_id)
    .where(W.c.task_id.in_(bindparam("ids", expanding=True)))
    .order_by(E.c.full_name)
)
_WATCHING = exists().where(W.c.task_id == K.c.id, W.c.employee_id == bindparam("me"))
_SCOPES = {
    TaskScope.MINE: K.c.assignee_id == bindparam("me"),
    TaskScope.SET: K.c.author_id == bindparam("me"),
    TaskScope.WATCHING: _WATCHING,
    TaskScope.ALL: or_(K.c.assignee_id == bindparam("me"), K.c.author_id == bindparam("me"), _WATCHING),
}
_LIST = {
    (scope, open_only): _TASKS.where(cond, *([K.c.status != TaskStatus.ACCEPTED.value] if open_only else []))
    .order_by(K.c.deadline, K.c.id)
    .limit(bindparam("n", type_=Integer))
    for scope, cond in _SCOPES.items()
    for open_only in (True, False)
}
_HISTORY = (
    select(V.c.at, E.c.full_name, V.c.event, V.c.comment)
    .join(E, E.c.id == V.c.employee_id)
    .where(V.c.task_id == bindparam("task_id"))
    .order_by(V.c.at, V.c.id)
)
_DUE = and_(K.c.assignee_id == bindparam("me"), K.c.status == OPEN, K.c.remind_at <= bindparam("now"))
_REMIND_COUNT = select(func.count()).select_from(K).where(_DUE)
_REMIND_ROWS = (
    select(K.c.id, K.c.title, K.c.deadline).where(_DUE).order_by(K.c.deadline).limit(bindparam("n", type_=Integer))
)
_ADD = insert(K).returning(K.c.id)
_ADD_WATCHER = insert(W)
_ADD_EVENT = insert(V)
_SET_STATE = update(K).where(K.c.id == bindparam("task_id"))
_LINK_NEXT = (
    update(K)
    .where(K.c.id == bindparam("task_id"), K.c.next_task_id.is_(None))
    .values(next_task_id=bindparam("next_id"))
)
# locked: a "done" and a "due" job of one task, on two workers, create one next task between them
_SERIES = select(K).where(K.c.id == bindparam("task_id")).with_for_update()
_SERIES_WATCHERS = select(W.c.employee_id).where(W.c.task_id == bindparam("task_id"))
_ACTIVE = select(E.c.id).where(E.c.active.is_(True), E.c.id.in_(bindparam("ids", expanding=True)))
_ACTIVE_IN_DESKS = _ACTIVE.where(
    exists().where(ED.c.employee_id == E.c.id, ED.c.desk_id.in_(bindparam("desks", expanding=True)))
)
_PEOPLE = select(E.c.id, E.c.full_name).where(E.c.active.is_(True)).order_by(E.c.full_name)
_PEOPLE_IN_DESKS = _PEOPLE.where(
    exists().where(ED.c.employee_id == E.c.id, ED.c.desk_id.in_(bindparam("desks", expanding=True)))
)


def _task(row, watchers: list[Person]) -> Task:  # type: ignore[no-untyped-def]
    return Task(
        id=row.id,
        title=row.title,
        text=row.text,
        author=Person(id=row.author_id, name=row.author_name),
        assignee=Person(id=row.assignee_id, name=row.assignee_name),
        watchers=watchers,
        deadline=as_utc(row.deadline),
        remind_at=as_utc(row.remind_at),
        status=TaskStatus(row.status),
        repeat=row.repeat,
        created_at=as_utc(row.created_at),
        done_at=as_utc(row.done_at) if row.done_at else None,
        checked_at=as_utc(row.checked_at) if row.checked_at else None,
        comment=row.comment,
        returned=row.returned,
    )


def _with_watchers(conn, rows) -> list[Task]:  # type: ignore[no-untyped-def]
    rows = list(rows)
    people: dict[int, list[Person]] = {r.id: [] for r in rows}
    if rows:
        for w in conn.execute(_WATCHERS, {"ids": list(people)}):
            people[w.task_id].append(Person(id=w.id, name=w.full_name))
    return [_task(r, people[r.id]) for r in rows]


def _insert_task(conn, draft: TaskDraft, now: datetime) -> int:  # type: ignore[no-untyped-def]
    values = {
        "title": draft.title,
        "text": draft.text,
        "author_id": draft.author_id,
        "assignee_id": draft.assignee_id,
        "deadline": draft.deadline,
        "remind_at": draft.remind_at,
        "status": OPEN,
        "returned": False,
        "repeat": draft.repeat,
        "zone": draft.zone,
        "series_id": draft.series_id,
        "created_at": now,
    }
    task_id = conn.execute(_ADD, values).scalar_one()
    if draft.watcher_ids:
        conn.execute(_ADD_WATCHER, [{"task_id": task_id, "employee_id": w} for w in draft.watcher_ids])
    conn.execute(_ADD_EVENT, {"task_id": task_id, "at": now, "employee_id": draft.author_id, "event": "created"})
    if draft.repeat:  # the next one comes when this one is due, if it is not done before
        _queue_recur(conn, task_id, "due", now, draft.deadline)
    return task_id


def _queue_recur(conn, task_id: int, why: str, now: datetime, at: datetime) -> None:  # type: ignore[no-untyped-def]
    job = NewJob(kind=RECUR, payload={"task_id": task_id}, run_after=at, dedupe_key=f"{RECUR}:{task_id}:{why}")
    insert_job(conn, job, now)


class TaskQueries:
    engine: object

    def assignable(self, employee_ids: list[int], desk_ids: tuple[int, ...] | None) -> set[int]:
        with read(self.engine) as conn:  # type: ignore[arg-type]
            if desk_ids is None:
                return set(conn.scalars(_ACTIVE, {"ids": employee_ids}))
            return set(conn.scalars(_ACTIVE_IN_DESKS, {"ids": employee_ids, "desks": list(desk_ids)}))

    def task_people(self, desk_ids: tuple[int, ...] | None) -> list[tuple[int, str]]:
        with read(self.engine) as conn:  # type: ignore[arg-type]
            rows = (
                conn.execute(_PEOPLE) if desk_ids is None else conn.execute(_PEOPLE_IN_DESKS, {"desks": list(desk_ids)})
            )
            return [(r.id, r.full_name) for r in rows]

    def add_task(self, draft: TaskDraft, now: datetime) -> int:
        with write(self.engine) as conn:  # type: ignore[arg-type]
            return _insert_task(conn, draft, now)

    def task_card(self, task_id: int) -> TaskCard | None:
        with read(self.engine) as conn:  # type: ignore[arg-type]
            tasks = _with_watchers(conn, conn.execute(_ONE, {"task_id": task_id}))
            if not tasks:
                return None
            history = [
                TaskEvent(at=as_utc(h.at), employee=h.full_name, event=h.event, comment=h.comment)
                for h in conn.execute(_HISTORY, {"task_id": task_id})
            ]
            return TaskCard(task=tasks[0], history=history)

    def tasks_of(self, employee_id: int, scope: TaskScope, open_only: bool, limit: int) -> list[Task]:
        with read(self.engine) as conn:  # type: ignore[arg-type]
            return _with_watchers(conn, conn.execute(_LIST[(scope, open_only)], {"me": employee_id, "n": limit}))

    def change_task(
        self, task_id: int, employee_id: int, decide: Callable[[Task], TaskChange], now: datetime
    ) -> tuple[Task, TaskChange] | None:
        with write(self.engine) as conn:  # type: ignore[arg-type]
            tasks = _with_watchers(conn, conn.execute(_ONE_LOCKED, {"task_id": task_id}))
            if not tasks:
                return None
            task = tasks[0]
            change = decide(task)
            values: dict[str, object] = {"status": change.status.value, "returned": change.returned}
            if change.status == TaskStatus.DONE or (change.status == TaskStatus.ACCEPTED and task.done_at is None):
                values["done_at"] = now
            if change.event in ("accepted", "returned"):
                values["checked_at"] = now
            if change.event == "returned":
                values["comment"] = change.comment
            conn.execute(_SET_STATE.values(**values), {"task_id": task_id})
            conn.execute(
                _ADD_EVENT,
                {
                    "task_id": task_id,
                    "at": now,
                    "employee_id": employee_id,
                    "event": change.event,
                    "comment": change.comment,
                },
            )
            if task.repeat and change.event in ("done", "accepted"):
                _queue_recur(conn, task_id, "done", now, now)
            updated = task.model_copy(update={k: v for k, v in values.items() if k != "status"})
            updated.status = change.status
        return updated, change

    def task_reminders(self, employee_id: int, now: datetime, limit: int) -> Reminders:
        with read(self.engine) as conn:  # type: ignore[arg-type]
            params = {"me": employee_id, "now": now, "n": limit}
            count = conn.execute(_REMIND_COUNT, params).scalar_one()
            items = (
                [
                    Reminder(id=r.id, title=r.title, deadline=as_utc(r.deadline), overdue=as_utc(r.deadline) < now)
                    for r in conn.execute(_REMIND_ROWS, params)
                ]
                if count
                else []
            )
        return Reminders(count=count, items=items)

    def series_record(self, task_id: int) -> SeriesRecord | None:
        with read(self.engine) as conn:  # type: ignore[arg-type]
            row = conn.execute(_SERIES, {"task_id": task_id}).first()
            if row is None:
                return None
            watchers = tuple(conn.scalars(_SERIES_WATCHERS, {"task_id": task_id}))
        deadline, remind = as_utc(row.deadline), as_utc(row.remind_at)
        draft = TaskDraft(
            title=row.title,
            text=row.text,
            author_id=row.author_id,
            assignee_id=row.assignee_id,
            watcher_ids=watchers,
            deadline=deadline,
            remind_at=remind,
            repeat=row.repeat,
            zone=row.zone,
            series_id=row.series_id,
        )
        minutes = int((deadline - remind).total_seconds() // 60)
        return SeriesRecord(task_id=row.id, draft=draft, remind_minutes=minutes, next_task_id=row.next_task_id)

    def add_next_occurrence(self, task_id: int, draft: TaskDraft, now: datetime) -> int | None:
        with write(self.engine) as conn:  # type: ignore[arg-type]
            next_id = _insert_task(conn, draft, now)
            if conn.execute(_LINK_NEXT, {"task_id": task_id, "next_id": next_id}).rowcount != 1:
                raise Conflict("The task has its next occurrence already.")  # rolls the new one back
            return next_id
