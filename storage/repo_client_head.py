"""The slim reads of a client an operation names: its head in one statement, one of its phones,
the card's editable blocks."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from core.clients.models import Email, Phone
from core.clients.store import CardBlocks, ClientHead
from storage import card_sql as q
from storage.engine import read


def phone_of(p: Any) -> Phone:
    """A phone row of the card's statements as the card's model."""
    return Phone(id=p.id, number=p.e164, kind=p.kind, status=p.status, strike_reason=p.strike_reason)


class ClientHeadQueries:
    engine: Engine

    def client_head(self, client_id: int) -> ClientHead | None:
        with read(self.engine) as conn:
            row = conn.execute(q.CLIENT_HEAD, {"client_id": client_id}).first()
        if row is None:
            return None
        return ClientHead(**{**row._mapping, "do_not_disturb": bool(row.do_not_disturb)})

    def client_phone(self, client_id: int, phone_id: int) -> Phone | None:
        with read(self.engine) as conn:
            p = conn.execute(q.CLIENT_PHONE, {"client_id": client_id, "phone_id": phone_id}).first()
        return None if p is None else phone_of(p)

    def card_blocks(self, client_id: int) -> CardBlocks | None:
        with read(self.engine) as conn:
            row = conn.execute(q.CARD_BLOCKS, {"client_id": client_id}).first()
            if row is None:
                return None
            key = {"client_id": row.id}
            phones = [phone_of(p) for p in conn.execute(q.PHONES, key)]
            emails = [Email(id=e.id, address=e.address) for e in conn.execute(q.EMAILS, key)]
        return CardBlocks(**row._mapping, phones=phones, emails=emails)
