"""Repository queries of automation (`core.automation.store.AutomationStore`): rules, a firing with
its effects in one transaction (claimed by an INSERT … ON CONFLICT DO NOTHING on (rule, event)),
the due events of the timed triggers."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine, and_, bindparam, case, delete, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from core.automation.models import Firing
from core.automation.rules import HEAD_ROLES, Event, Trigger
from core.automation.store import ClientFacts, FiringPlan, RuleRecord
from core.clients.names import full_name
from core.clock import as_utc
from core.jobs.models import NewJob
from core.vocab import ContactKind, PhoneStatus
from core.work.rules import Op, Resolved, Subject
from core.work.store import ListSpec
from storage import activity
from storage import work_sql as w
from storage.automation_events import emit
from storage.engine import read, write
from storage.repo_delivery import EMAIL_INSERT, email_values
from storage.repo_jobs import insert_job
from storage.repo_people import sms_values
from storage.repo_tasks import _insert_task
from storage.tables import ContactRow, EmailRow, EmployeeDeskRow, EmployeeRow, PhoneRow, RoleRow, SmsOutboxRow
from storage.tables_automation import AutomationFiringRow, AutomationRuleRow
from storage.tables_custody import HandOverRow

R = AutomationRuleRow.__table__  # type: ignore[attr-defined]
F = AutomationFiringRow.__table__  # type: ignore[attr-defined]
H = ContactRow.__table__  # type: ignore[attr-defined]
P = PhoneRow.__table__  # type: ignore[attr-defined]
E = EmployeeRow.__table__  # type: ignore[attr-defined]
M = EmailRow.__table__  # type: ignore[attr-defined]
_c = w._c

_RULES = select(R, E.c.full_name).outerjoin(E, E.c.id == R.c.author_id)
_ALL = _RULES.order_by(R.c.id)
_OF_TRIGGER = _RULES.where(R.c.trigger == bindparam("trigger"), R.c.enabled.is_(True)).order_by(R.c.id)
_ONE = _RULES.where(R.c.id == bindparam("rule_id"))
_MOBILE = (
    select(P.c.e164)
    .where(P.c.client_id == _c.id, P.c.status == PhoneStatus.ACTIVE.value, P.c.kind == "mobile")
    .order_by(P.c.id)
    .limit(1)
    .scalar_subquery()
)
_EMAIL = select(M.c.address).where(M.c.client_id == _c.id).order_by(M.c.id).limit(1).scalar_subquery()
_CLIENT = select(
    _c.id, _c.desk_id, _c.responsible_id, _c.surname, _c.first_name, _c.patronymic, _c.language, _c.do_not_disturb,
    _MOBILE.label("mobile"), _EMAIL.label("email"),
).where(_c.id == bindparam("cid"))  # fmt: skip
_HEAD = (
    select(E.c.id)
    .join(RoleRow, RoleRow.id == E.c.role_id)
    .join(EmployeeDeskRow, EmployeeDeskRow.employee_id == E.c.id)
    .where(EmployeeDeskRow.desk_id == bindparam("desk"), E.c.active.is_(True), RoleRow.code.in_(HEAD_ROLES))
    .order_by(case({code: i for i, code in enumerate(HEAD_ROLES)}, value=RoleRow.code), E.c.id)
    .limit(1)
)
_CLAIM = {
    "sqlite": sqlite.insert(F).on_conflict_do_nothing(index_elements=["rule_id", "event_key"]).returning(F.c.id),
    "postgresql": postgresql.insert(F)
    .on_conflict_do_nothing(index_elements=["rule_id", "event_key"])
    .returning(F.c.id),
}
_TAG_OF = select(w._ct.tag_id).where(w._ct.client_id == bindparam("cid"), w._ct.tag_id == bindparam("tid"))
_TYPE_ID = select(w._t.id).where(w._t.code == bindparam("code"), w._t.active.is_(True))
_HAND = update(w.client).where(_c.id == bindparam("cid")).values(responsible_id=bindparam("to"))
_HOLDER = select(_c.responsible_id, _c.desk_id).where(_c.id == bindparam("cid"))
_FIRINGS = (
    select(F, R.c.name).join(R, R.c.id == F.c.rule_id).join(w.client, _c.id == F.c.client_id).order_by(F.c.id.desc())
)
_OVERDUE = (
    select(w._a.id, w._a.client_id, w._t.code, w._a.due_at)
    .select_from(w._ACTION_FROM)
    .where(w._a.done_at.is_(None), w._a.due_at >= bindparam("since"), w._a.due_at < bindparam("now"))
    .order_by(w._a.id)
)
_SILENT = select(_c.id, _c.last_contact_at, _c.created_at).where(
    or_(
        and_(_c.last_contact_at >= bindparam("lo"), _c.last_contact_at < bindparam("hi")),
        and_(_c.last_contact_at.is_(None), _c.created_at >= bindparam("lo"), _c.created_at < bindparam("hi")),
    )
)


def _automation_hand(conn, plan: FiringPlan) -> None:  # type: ignore[no-untyped-def]
    """The client to `plan.responsible_id`, recorded as a hand-over (C17) as a person's is: the
    sales report (R3) credits each deposit to the manager of its moment from these rows."""
    cid, to = plan.event.client_id, plan.responsible_id
    before = conn.execute(_HOLDER, {"cid": cid}).first()
    if before is None or before.responsible_id == to:
        return
    conn.execute(_HAND, {"cid": cid, "to": to})
    conn.execute(insert(HandOverRow).values(
        client_id=cid, at=plan.at, employee_id=plan.handed_by or to, from_employee_id=before.responsible_id,
        to_employee_id=to, from_desk_id=before.desk_id, to_desk_id=before.desk_id))  # fmt: skip


def _record(r) -> RuleRecord:  # type: ignore[no-untyped-def]
    return RuleRecord(
        id=r.id,
        name=r.name,
        enabled=bool(r.enabled),
        trigger=r.trigger,
        spec=r.spec,
        author_id=r.author_id,
        author=r.full_name,
        created_at=as_utc(r.created_at),
        updated_at=as_utc(r.updated_at),
    )


class AutomationQueries:
    engine: Engine

    def automation_rules(self, trigger: str | None = None) -> list[RuleRecord]:
        with read(self.engine) as conn:
            rows = conn.execute(_ALL) if trigger is None else conn.execute(_OF_TRIGGER, {"trigger": trigger})
            return [_record(r) for r in rows]

    def automation_rule(self, rule_id: int) -> RuleRecord | None:
        with read(self.engine) as conn:
            row = conn.execute(_ONE, {"rule_id": rule_id}).first()
        return _record(row) if row else None

    def save_automation_rule(self, record: RuleRecord, at: datetime, sweep: NewJob | None) -> int:
        values = {"name": record.name, "enabled": record.enabled, "trigger": record.trigger, "spec": record.spec}
        with write(self.engine) as conn:
            if record.id is None:
                values |= {"author_id": record.author_id, "created_at": at, "updated_at": at}
                rule_id = conn.execute(insert(R).values(**values)).inserted_primary_key[0]
            else:
                rule_id = record.id
                conn.execute(update(R).where(R.c.id == rule_id).values(**values, updated_at=at))
            if sweep is not None:
                insert_job(conn, sweep, at)
            return rule_id

    def delete_automation_rule(self, rule_id: int) -> bool:
        with write(self.engine) as conn:
            conn.execute(delete(F).where(F.c.rule_id == rule_id))
            return conn.execute(delete(R).where(R.c.id == rule_id)).rowcount == 1

    def automation_firings(
        self, rule_id: int | None, client_id: int | None, desk_ids: tuple[int, ...] | None, limit: int
    ) -> list[Firing]:
        statement = _FIRINGS.limit(limit)
        if rule_id is not None:
            statement = statement.where(F.c.rule_id == rule_id)
        if client_id is not None:
            statement = statement.where(F.c.client_id == client_id)
        if desk_ids is not None:
            statement = statement.where(_c.desk_id.in_(desk_ids))
        with read(self.engine) as conn:
            rows = conn.execute(statement).all()
        return [
            Firing(
                id=r.id,
                rule_id=r.rule_id,
                rule=r.name,
                client_id=r.client_id,
                event_key=r.event_key,
                at=as_utc(r.at),
                summary=r.summary,
            )  # fmt: skip
            for r in rows
        ]

    def automation_client(self, client_id: int) -> ClientFacts | None:
        with read(self.engine) as conn:
            row = conn.execute(_CLIENT, {"cid": client_id}).first()
        if row is None:
            return None
        return ClientFacts(
            client_id=row.id,
            desk_id=row.desk_id,
            responsible_id=row.responsible_id,
            first_name=row.first_name,
            patronymic=row.patronymic or "",
            full_name=full_name(row.surname, row.first_name, row.patronymic),
            language=row.language,
            mobile=row.mobile,
            do_not_disturb=bool(row.do_not_disturb),
            email=row.email,
        )

    def automation_matches(self, client_id: int, conditions: tuple[Resolved, ...]) -> bool:
        one = (*conditions, Resolved("id", Op.EQ, (client_id,)))
        with read(self.engine) as conn:
            return bool(conn.scalar(w.count(ListSpec(Subject.CLIENTS, one, None, "id"))))

    def automation_head_of_sales(self, desk_id: int | None) -> int | None:
        if desk_id is None:
            return None
        with read(self.engine) as conn:
            return conn.scalar(_HEAD, {"desk": desk_id})

    def automation_fire(self, plan: FiringPlan) -> bool:
        event = plan.event
        firing = {"rule_id": plan.rule_id, "event_key": event.key[:200], "client_id": event.client_id}
        with write(self.engine) as conn:
            if (
                conn.execute(_CLAIM[conn.dialect.name], firing | {"at": plan.at, "summary": plan.summary}).first()
                is None
            ):
                return False
            for sms in plan.sms:
                conn.execute(insert(SmsOutboxRow).values(**sms_values(sms)))
                entry = {"client_id": event.client_id, "kind": ContactKind.SMS.value, "at": plan.at}
                conn.execute(insert(H).values(**entry, comment=sms.text, phone=sms.to, result=sms.template_code))
                activity.touch(conn, event.client_id, ContactKind.SMS.value, plan.at)
            for email in plan.emails:
                conn.execute(EMAIL_INSERT, email_values(email))
            for task in plan.tasks:
                _insert_task(conn, task, plan.at)
            for action in plan.actions:
                type_id = conn.scalar(_TYPE_ID, {"code": action.type})
                if type_id is not None:
                    conn.execute(insert(w.action).values(
                        client_id=action.client_id, type_id=type_id, due_at=action.due_at,
                        employee_id=action.employee_id, comment=action.comment, created_by=None,
                        created_at=action.created_at))  # fmt: skip
            if plan.responsible_id is not None:
                _automation_hand(conn, plan)
            added = [t for t in plan.tags if _tag(conn, event.client_id, t)]
            entry = {"client_id": event.client_id, "kind": ContactKind.AUTOMATION.value, "at": plan.at}
            conn.execute(insert(H).values(**entry, comment=plan.summary))
            emit(conn, plan.at, [Event(Trigger.TAG_ADDED, event.client_id, f"{event.key}:tag:{t}", plan.at, t)
                                 for t in added])  # fmt: skip
        return True

    def automation_due(
        self, since: datetime, now: datetime, overdue_types: frozenset[str] | None, overdue: bool, days: list[int]
    ) -> list[Event]:
        events: list[Event] = []
        with read(self.engine) as conn:
            if overdue:
                statement = _OVERDUE if overdue_types is None else _OVERDUE.where(w._t.code.in_(sorted(overdue_types)))
                for r in conn.execute(statement, {"since": since, "now": now}):
                    events.append(
                        Event(Trigger.ACTION_OVERDUE, r.client_id, f"overdue:{r.id}", as_utc(r.due_at), r.code)
                    )
            for d in days:
                span = {"lo": since - timedelta(days=d), "hi": now - timedelta(days=d)}
                for r in conn.execute(_SILENT, span):
                    last = as_utc(r.last_contact_at or r.created_at)
                    key = f"no_contact:{d}:{r.id}:{last.isoformat()}"
                    events.append(Event(Trigger.NO_CONTACT, r.id, key, now, str(d)))
        return events


def _tag(conn, client_id: int, key: str) -> bool:  # type: ignore[no-untyped-def]
    """The tag added to the client; False when it was there already."""
    tag_id = conn.scalar(select(w._tag.id).where(w._tag.key == key))
    if tag_id is None:
        tag_id = conn.execute(insert(w.tag).values(key=key)).inserted_primary_key[0]
    elif conn.scalar(_TAG_OF, {"cid": client_id, "tid": tag_id}) is not None:
        return False
    conn.execute(insert(w.client_tag).values(tag_id=tag_id, client_id=client_id))
    return True
