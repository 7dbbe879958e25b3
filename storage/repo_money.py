"""M3: the money-request queue and its decisions (`core.trading.store.TradingStore`, with
`storage.repo_trading`). Executing is one conditional UPDATE on the status: of two racing
decisions exactly one changes a row."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine, and_, bindparam, insert, select, update

from core.automation.rules import Event, Trigger
from core.clients.names import full_name
from core.clock import as_utc
from core.trading.models import Money, MoneyRequest, RequestStatus
from core.trading.rules import INSUFFICIENT
from core.trading.store import DecisionPlan, RequestFacts
from core.vocab import ContactKind, PhoneStatus
from storage.automation_events import emit
from storage.engine import read, write
from storage.repo_delivery import EMAIL_INSERT, email_values
from storage.repo_people import sms_values
from storage.tables import ClientRow, ContactRow, EmailRow, EmployeeRow, PhoneRow, SmsOutboxRow
from storage.tables_trading import MoneyRequestRow, TradingAccountRow

R = MoneyRequestRow.__table__  # type: ignore[attr-defined]
K = ClientRow.__table__  # type: ignore[attr-defined]
A = TradingAccountRow.__table__  # type: ignore[attr-defined]
E = EmployeeRow.__table__  # type: ignore[attr-defined]
P = PhoneRow.__table__  # type: ignore[attr-defined]
H = ContactRow.__table__  # type: ignore[attr-defined]
O = SmsOutboxRow.__table__  # type: ignore[attr-defined]  # noqa: E741
M = EmailRow.__table__  # type: ignore[attr-defined]

SMS_INSERT = insert(O)
HISTORY_INSERT = insert(H)
_REQUEST = (
    select(
        R,
        K.c.surname,
        K.c.first_name,
        K.c.patronymic,
        A.c.number.label("account_number"),
        E.c.full_name.label("decided_name"),
    )
    .join(K, K.c.id == R.c.client_id)
    .outerjoin(A, A.c.id == R.c.account_id)
    .outerjoin(E, E.c.id == R.c.decided_by)
)
REQUEST = _REQUEST.where(R.c.id == bindparam("id"))
REQUESTS_OF_CLIENT = (
    _REQUEST.where(R.c.client_id == bindparam("id"))
    .order_by(R.c.created_at.desc(), R.c.id.desc())
    .limit(bindparam("limit"))
)
_QUEUE = _REQUEST.order_by(R.c.created_at, R.c.id).limit(bindparam("limit"))
_BY_STATUS = R.c.status == bindparam("status")
_IN_DESKS = K.c.desk_id.in_(bindparam("desks", expanding=True))
QUEUE = {
    (True, False): _QUEUE.where(_BY_STATUS),
    (True, True): _QUEUE.where(_BY_STATUS, _IN_DESKS),
    (False, False): _QUEUE,
    (False, True): _QUEUE.where(_IN_DESKS),
}
_MOBILE = (
    select(P.c.e164)
    .where(P.c.client_id == K.c.id, P.c.status == PhoneStatus.ACTIVE.value)
    .order_by(P.c.id)
    .limit(1)
    .scalar_subquery()
)
_EMAIL = select(M.c.address).where(M.c.client_id == K.c.id).order_by(M.c.id).limit(1).scalar_subquery()
FACTS = (
    select(
        R.c.id,
        R.c.status,
        R.c.kind,
        R.c.amount,
        R.c.currency,
        R.c.account_id,
        R.c.client_id,
        K.c.desk_id,
        K.c.language,
        K.c.first_name,
        _MOBILE.label("mobile"),
        _EMAIL.label("email"),
    )
    .join(K, K.c.id == R.c.client_id)
    .where(R.c.id == bindparam("id"))
)
# the live card's pulse (core.trading.operations.pulse): what the platform or a decision changed
BUMP = update(K).where(K.c.id == bindparam("client_id")).values(live_version=K.c.live_version + 1)
DECIDE = (
    update(R)
    .where(R.c.id == bindparam("b_id"), R.c.status == RequestStatus.PENDING.value)
    .values(
        status=bindparam("b_status"),
        reason=bindparam("b_reason"),
        decided_at=bindparam("at"),
        decided_by=bindparam("by"),
    )
)
FAIL = update(R).where(R.c.id == bindparam("b_id")).values(status=RequestStatus.FAILED.value, reason=INSUFFICIENT)
_AMOUNT = bindparam("amount", type_=A.c.balance.type)
CREDIT = (
    update(A)
    .where(A.c.id == bindparam("account_id"))
    .values(balance=A.c.balance + _AMOUNT, equity=A.c.equity + _AMOUNT, updated_at=bindparam("at"))
)
DEBIT = (
    update(A)
    .where(and_(A.c.id == bindparam("account_id"), A.c.balance >= _AMOUNT))
    .values(balance=A.c.balance - _AMOUNT, equity=A.c.equity - _AMOUNT, updated_at=bindparam("at"))
)


class MoneyQueries:
    engine: Engine

    def money_requests(self, status: str | None, desk_ids: list[int] | None, limit: int) -> list[MoneyRequest]:
        if desk_ids is not None and not desk_ids:
            return []
        params: dict[str, object] = {"limit": limit, "status": status, "desks": desk_ids}
        with read(self.engine) as conn:
            return [money_request(r) for r in conn.execute(QUEUE[(status is not None, desk_ids is not None)], params)]

    def decide_request(
        self, request_id: int, plan: Callable[[RequestFacts], DecisionPlan]
    ) -> tuple[str, MoneyRequest | None]:
        with write(self.engine) as conn:
            row = conn.execute(FACTS, {"id": request_id}).first()
            if row is None:
                return "not_found", None
            facts = RequestFacts(**row._mapping)
            decided = plan(facts)
            params = {"b_id": request_id, "b_status": decided.status, "b_reason": decided.reason}
            if not conn.execute(DECIDE, params | {"at": decided.at, "by": decided.employee_id}).rowcount:
                return "stale", money_request(conn.execute(REQUEST, {"id": request_id}).one())
            notify = True
            conn.execute(BUMP, {"client_id": facts.client_id})
            if decided.status == RequestStatus.EXECUTED.value and facts.account_id is not None:
                move = {"account_id": facts.account_id, "amount": facts.amount, "at": decided.at}
                if facts.kind == "deposit":
                    conn.execute(CREDIT, move)
                    deposit = Event(Trigger.DEPOSIT, facts.client_id, f"request:{request_id}", decided.at,
                                    amount=facts.amount, currency=facts.currency)  # fmt: skip
                    emit(conn, decided.at, [deposit])  # M8: the rules of "a deposit above an amount"
                elif not conn.execute(DEBIT, move).rowcount:
                    conn.execute(FAIL, {"b_id": request_id})
                    notify = False  # not executed after all: the queue and the card show why
            if notify and decided.email is not None:
                conn.execute(EMAIL_INSERT, email_values(decided.email))
            if notify and decided.notice is not None:
                conn.execute(SMS_INSERT, sms_values(decided.notice))
                entry = {"client_id": facts.client_id, "kind": ContactKind.SMS.value, "at": decided.at}
                entry |= {
                    "employee_id": decided.employee_id,
                    "comment": decided.notice.text,
                    "phone": decided.notice.to,
                }
                conn.execute(HISTORY_INSERT, entry)
            return "ok", money_request(conn.execute(REQUEST, {"id": request_id}).one())


def money_request(r) -> MoneyRequest:  # type: ignore[no-untyped-def]
    return MoneyRequest(
        id=r.id,
        client_id=r.client_id,
        client_name=full_name(r.surname, r.first_name, r.patronymic),
        account=r.account_number,
        kind=r.kind,
        payment_system=r.payment_system,
        amount=Money(amount=r.amount, currency=r.currency),
        manual=r.manual,
        status=r.status,
        reason=r.reason,
        created_at=as_utc(r.created_at),
        decided_at=as_utc(r.decided_at) if r.decided_at else None,
        decided_by=r.decided_name,
    )
