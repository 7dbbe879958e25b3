"""The slim reads of a client an operation names: its head in one statement, one of its phones."""

from __future__ import annotations

from sqlalchemy import Engine

from core.clients.models import Phone
from core.clients.store import ClientHead
from storage import card_sql as q
from storage.engine import read


class ClientHeadQueries:
    engine: Engine

    def client_head(self, client_id: int) -> ClientHead | None:
        with read(self.engine) as conn:
            row = conn.execute(q.CLIENT_HEAD, {"client_id": client_id}).first()
        if row is None:
            return None
        return ClientHead(
            id=row.id,
            desk_id=row.desk_id,
            surname=row.surname,
            first_name=row.first_name,
            patronymic=row.patronymic,
            language=row.language,
            do_not_disturb=bool(row.do_not_disturb),
            birth_date=row.birth_date,
            passport_series=row.passport_series,
            passport_number=row.passport_number,
        )

    def client_phone(self, client_id: int, phone_id: int) -> Phone | None:
        with read(self.engine) as conn:
            p = conn.execute(q.CLIENT_PHONE, {"client_id": client_id, "phone_id": phone_id}).first()
        if p is None:
            return None
        return Phone(id=p.id, number=p.e164, kind=p.kind, status=p.status, strike_reason=p.strike_reason)
