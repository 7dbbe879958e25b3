"""M2's store (`core.trading.store.TradingStore`, the cabinet part): the card's facts, and the
login with the credentials e-mail and a history entry in one transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, bindparam, select
from sqlalchemy.dialects import postgresql, sqlite

from core.outbox import NewEmail
from core.trading.cabinet import CabinetFacts
from core.vocab import ContactKind
from storage.engine import read, write
from storage.repo_delivery import EMAIL_INSERT, email_values
from storage.repo_money import HISTORY_INSERT
from storage.tables import ClientRow, EmailRow
from storage.tables_delivery import CabinetAccountRow

C = CabinetAccountRow.__table__  # type: ignore[attr-defined]
K = ClientRow.__table__  # type: ignore[attr-defined]
M = EmailRow.__table__  # type: ignore[attr-defined]

_FIRST_EMAIL = select(M.c.address).where(M.c.client_id == K.c.id).order_by(M.c.id).limit(1).scalar_subquery()
FACTS = (
    select(
        K.c.id.label("client_id"),
        K.c.desk_id,
        K.c.lifecycle,
        K.c.first_name,
        K.c.language,
        _FIRST_EMAIL.label("email"),
        C.c.login,
    )
    .outerjoin(C, C.c.client_id == K.c.id)
    .where(K.c.id == bindparam("id"))
)
_ADD = {
    "postgresql": postgresql.insert(C).on_conflict_do_nothing(index_elements=["client_id"]),
    "sqlite": sqlite.insert(C).on_conflict_do_nothing(index_elements=["client_id"]),
}


class CabinetQueries:
    engine: Engine

    def cabinet_facts(self, client_id: int) -> CabinetFacts | None:
        with read(self.engine) as conn:
            row = conn.execute(FACTS, {"id": client_id}).first()
        return CabinetFacts(**row._mapping) if row is not None else None

    def record_cabinet(self, client_id: int, login: str, email: NewEmail, now: datetime) -> bool:
        values = {"client_id": client_id, "login": login, "registered_at": now, "employee_id": email.employee_id}
        with write(self.engine) as conn:
            if not conn.execute(_ADD[conn.dialect.name], values).rowcount:
                return False
            conn.execute(EMAIL_INSERT, email_values(email))
            entry = {"client_id": client_id, "kind": ContactKind.STATUS.value, "at": now}
            conn.execute(
                HISTORY_INSERT,
                entry | {"employee_id": email.employee_id, "comment": f"cabinet {login}: credentials by e-mail"},
            )
            return True
