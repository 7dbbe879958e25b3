"""Repository queries about clients: the card and the card's writes (search: storage.repo_search)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from pydantic import TypeAdapter
from sqlalchemy import Connection, Engine, insert, select, update

from core.clients.models import (
    CardTransaction,
    ClientCard,
    ClientProduct,
    ContactChange,
    Email,
    HistoryEntry,
    LastAction,
    LinkedCard,
    OutboxItem,
)
from core.clients.names import full_name
from core.clients.store import Audit, ClientDraft, ContactOp, HistoryPage, NewHistory
from core.clock import as_utc
from core.idempotency import IdempotencyClaim
from core.outbox import NewSms
from storage import activity
from storage import card_sql as q
from storage.engine import read, write
from storage.repo_api import claim_key
from storage.repo_assign import assign_new_client
from storage.repo_client_head import ClientHeadQueries, phone_of
from storage.repo_people import outbox_item, sms_values
from storage.tables import (
    ClientRow,
    ContactChangeRow,
    ContactRow,
    EmailRow,
    PhoneRow,
    SmsOutboxRow,
)

_client = ClientRow.__table__.c
_phone = PhoneRow.__table__.c


class ClientQueries(ClientHeadQueries):
    engine: Engine

    # --- the card -----------------------------------------------------------------------

    def card(self, client_id: int, history_limit: int) -> ClientCard | None:
        key = {"client_id": client_id}
        with read(self.engine) as conn:
            row = conn.execute(q.CLIENT, key).first()
            if row is not None and row.merged_into is not None:  # F3: the card it was merged into
                client_id = row.merged_into
                key = {"client_id": client_id}
                row = conn.execute(q.CLIENT, key).first()
            if row is None:
                return None
            phones = [phone_of(p) for p in conn.execute(q.PHONES, key)]
            emails = [Email(id=e.id, address=e.address) for e in conn.execute(q.EMAILS, key)]
            total = conn.scalar(q.HISTORY_TOTAL, key)
            history = self._history(conn, client_id, 0, history_limit) if history_limit else []
            products = self._products(conn, client_id)
            transactions = [
                CardTransaction(
                    id=t.id,
                    at=as_utc(t.at),
                    kind=t.kind,
                    amount=t.amount,
                    currency=t.currency,
                    description=t.description,
                    product=t.product,
                )
                for t in conn.execute(q.TRANSACTIONS, key)
            ]
            linked = [
                LinkedCard(
                    id=c.id,
                    full_name=full_name(c.surname, c.first_name, c.patronymic),
                    client_type=c.client_type,
                    created_at=as_utc(c.created_at),
                    desk_id=c.desk_id,
                )
                for c in conn.execute(q.LINKED, key)
            ]
            changes = [
                ContactChange(
                    id=c.id,
                    at=as_utc(c.at),
                    field=c.field,
                    old=c.old,
                    new=c.new,
                    reason=c.reason,
                    employee=c.employee,
                    comment=c.comment,
                )
                for c in conn.execute(q.CHANGES, key)
            ]
        return ClientCard(
            id=row.id,
            surname=row.surname,
            first_name=row.first_name,
            patronymic=row.patronymic,
            full_name=full_name(row.surname, row.first_name, row.patronymic),
            birth_date=row.birth_date,
            client_type=row.client_type,
            lifecycle=row.lifecycle,
            region_id=row.region_id,
            region=row.region,
            town_id=row.town_id,
            town=row.town,
            passport_series=row.passport_series,
            passport_number=row.passport_number,
            desk_id=row.desk_id,
            desk=row.desk,
            broker_desk=bool(row.broker_desk),
            responsible=row.responsible,
            referrer_id=row.referrer_id,
            referrer=full_name(row.ref_surname, row.ref_first, row.ref_patronymic) if row.referrer_id else None,
            referrer_desk_id=row.ref_desk_id,
            do_not_disturb=row.do_not_disturb,
            language=row.language,
            online_until=as_utc(row.online_until) if row.online_until else None,
            live_version=row.live_version,
            possible_duplicate=row.possible_duplicate,
            created_at=as_utc(row.created_at),
            personal_version=row.personal_version,
            contact_version=row.contact_version,
            phones=phones,
            emails=emails,
            history=history,
            history_total=total or 0,
            products=[p for p in products if p.status == "current"],
            closed_products=[p for p in products if p.status == "closed"],
            transactions=transactions,
            linked=linked,
            changes=changes,
            last_action=LastAction(
                type_name=row.last_action_type,
                due_at=as_utc(row.last_action_due),
                done_at=as_utc(row.last_action_done) if row.last_action_done else None,
            )
            if row.last_action_type
            else None,
            tags=sorted(row.tags.split(",")) if row.tags else [],
        )

    def _products(self, conn: Connection, client_id: int) -> list[ClientProduct]:
        rows = conn.execute(q.PRODUCTS, {"client_id": client_id})
        return [
            ClientProduct(
                id=r.id,
                category=r.category,
                product=r.product,
                contract=r.contract,
                opened_on=r.opened_on,
                closed_on=r.closed_on,
                amount=r.amount,
                currency=r.currency,
                status="closed" if r.closed_on else "current",
            )
            for r in rows
        ]

    def history(self, client_id: int, offset: int, limit: int) -> list[HistoryEntry]:
        with read(self.engine) as conn:
            return self._history(conn, client_id, offset, limit)

    def client_history(self, client_id: int, offset: int, limit: int) -> HistoryPage | None:
        """The page and the card's desk in one read transaction (the history route's whole read)."""
        with read(self.engine) as conn:
            owner = conn.execute(q.HISTORY_OWNER, {"client_id": client_id}).first()
            if owner is None:
                return None
            return HistoryPage(owner.id, owner.desk_id, self._history(conn, owner.id, offset, limit))

    def _history(self, conn: Connection, client_id: int, offset: int, limit: int) -> list[HistoryEntry]:
        rows = conn.execute(q.HISTORY, {"client_id": client_id, "offset": offset, "limit": limit}).all()
        products: dict[int, list[str]] = {}
        if rows:
            for contact_id, name in conn.execute(q.HISTORY_PRODUCTS, {"contact_ids": [r.id for r in rows]}):
                products.setdefault(contact_id, []).append(name)
        return _entries(rows, products)

    # --- writes -------------------------------------------------------------------------

    def update_personal(
        self,
        client_id: int,
        expected_version: int,
        values: dict[str, object],
        audits: list[Audit],
        employee_id: int | None,
        at: datetime,
    ) -> bool:
        with write(self.engine) as conn:
            done = conn.execute(
                update(ClientRow)
                .where(_client.id == client_id, _client.personal_version == expected_version)
                .values(**values, personal_version=_client.personal_version + 1)
            )
            if done.rowcount != 1:
                return False
            _audit(conn, client_id, audits, employee_id, at)
        return True

    def update_contacts(
        self,
        client_id: int,
        expected_version: int,
        ops: list[ContactOp],
        audits: list[Audit],
        employee_id: int | None,
        at: datetime,
    ) -> bool:
        with write(self.engine) as conn:
            done = conn.execute(
                update(ClientRow)
                .where(_client.id == client_id, _client.contact_version == expected_version)
                .values(contact_version=_client.contact_version + 1)
            )
            if done.rowcount != 1:
                return False
            for op in ops:
                _apply_contact_op(conn, client_id, op)
            _audit(conn, client_id, audits, employee_id, at)
        return True

    def add_history(self, client_id: int, entry: NewHistory) -> HistoryEntry:
        with write(self.engine) as conn:
            contact_id = _insert_history(conn, client_id, entry)
            return self._history_entry(conn, contact_id)

    def _history_entry(self, conn: Connection, contact_id: int) -> HistoryEntry:
        row = conn.execute(q.HISTORY_ENTRY, {"contact_id": contact_id}).one()
        return _entries([row], {})[0]

    def send_client_sms(
        self,
        client_id: int,
        sms: NewSms,
        entry: NewHistory,
        claim: IdempotencyClaim | None = None,
        shown: Callable[[OutboxItem], OutboxItem] | None = None,
    ) -> OutboxItem:
        """Queue the SMS and record it; with a claim, store the idempotency key in the same transaction,
        with the answer as `shown` makes it (what the employee may see)."""
        with write(self.engine) as conn:
            sms_id = conn.execute(insert(SmsOutboxRow).values(**sms_values(sms))).inserted_primary_key[0]
            _insert_history(conn, client_id, entry)
            item = outbox_item(conn.execute(select(SmsOutboxRow).where(SmsOutboxRow.id == sms_id)).one())
            if claim is not None:
                claim_key(conn, claim, (shown(item) if shown else item).model_dump_json())
            return item

    def insert_client(self, draft: ClientDraft, entry: NewHistory) -> int:
        values = {k: v for k, v in vars(draft).items() if k not in ("phones", "emails")}
        with write(self.engine) as conn:
            client_id = conn.execute(insert(ClientRow).values(**values)).inserted_primary_key[0]
            if draft.phones:
                conn.execute(
                    insert(PhoneRow), [{"client_id": client_id, "e164": p, "kind": k} for p, k in draft.phones]
                )
            if draft.emails:
                conn.execute(
                    insert(EmailRow),
                    [{"client_id": client_id, "address": a, "address_key": k} for a, k in draft.emails],
                )
            _insert_history(conn, client_id, entry)
            assign_new_client(conn, client_id, draft.desk_id, draft.region_id, entry.employee_id, entry.at)  # M1
        return client_id


_ENTRIES = TypeAdapter(list[HistoryEntry])


def _entries(rows, products: dict[int, list[str]]) -> list[HistoryEntry]:  # type: ignore[no-untyped-def]
    """Rows of card_sql's history columns; validated once over the list by pydantic-core, not a
    model per row (a third of the page's cost at 50 entries)."""
    values = []
    for id_, at, ended, kind, campaign, result, reason, comment, employee, phone, office, visit, nxt in rows:
        at = as_utc(at)
        ended = as_utc(ended) if ended else None
        duration = int((ended - at).total_seconds()) if ended else None
        values.append(
            {
                "id": id_,
                "at": at,
                "ended_at": ended,
                "duration_s": duration,
                "kind": kind,
                "campaign": campaign,
                "result": result,
                "reason": reason,
                "comment": comment,
                "employee": employee,
                "phone": phone,
                "office": office,
                "visit_at": as_utc(visit) if visit else None,
                "next_at": as_utc(nxt) if nxt else None,
                "products": products.get(id_, []),
            }
        )
    return _ENTRIES.validate_python(values)


def _insert_history(conn: Connection, client_id: int, entry: NewHistory) -> int:
    values = {
        "client_id": client_id,
        "kind": str(entry.kind),
        "at": entry.at,
        "employee_id": entry.employee_id,
        "comment": entry.comment,
        "phone": entry.phone,
        "result": entry.result,
        "reason": entry.reason,
    }
    activity.touch(conn, client_id, entry.kind, entry.at)
    return conn.execute(insert(ContactRow).values(**values)).inserted_primary_key[0]


def _audit(conn: Connection, client_id: int, audits: list[Audit], employee_id: int | None, at: datetime) -> None:
    if audits:
        conn.execute(
            insert(ContactChangeRow),
            [
                {
                    "client_id": client_id,
                    "at": at,
                    "field": a.field,
                    "old": a.old,
                    "new": a.new,
                    "reason": a.reason,
                    "employee_id": employee_id,
                    "comment": a.comment,
                }
                for a in audits
            ],
        )


def _apply_contact_op(conn: Connection, client_id: int, op: ContactOp) -> None:
    if op.kind == "phone":
        if op.id is None:
            conn.execute(insert(PhoneRow).values(client_id=client_id, e164=op.value, kind=op.phone_kind or "mobile"))
            return
        values: dict[str, object] = {"e164": op.value, "kind": op.phone_kind}
        if op.status:
            values.update(status=op.status, strike_reason=op.strike_reason)
        conn.execute(update(PhoneRow).where(_phone.id == op.id, _phone.client_id == client_id).values(**values))
        return
    email = EmailRow.__table__.c
    if op.id is None:
        conn.execute(
            insert(EmailRow).values(client_id=client_id, address=op.value, address_key=(op.value or "").casefold())
        )
    elif op.value is None:
        conn.execute(EmailRow.__table__.delete().where(email.id == op.id, email.client_id == client_id))
    else:
        conn.execute(
            update(EmailRow)
            .where(email.id == op.id, email.client_id == client_id)
            .values(address=op.value, address_key=op.value.casefold())
        )
