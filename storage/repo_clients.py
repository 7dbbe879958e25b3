"""Repository queries about clients: search lookups, the card, and the card's writes."""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

from sqlalchemy import Connection, Engine, func, insert, or_, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import aliased

from core.clock import as_utc
from core.idempotency import IdempotencyClaim
from core.models import (
    CardTransaction,
    ClientCard,
    ClientProduct,
    ClientSummary,
    ContactChange,
    Email,
    HistoryEntry,
    LinkedCard,
    OutboxItem,
    Phone,
)
from core.names import full_name
from core.repository import Audit, ClientDraft, ContactOp, NewHistory, NewSms
from storage.engine import read, write
from storage.repo_api import claim_key
from storage.repo_people import outbox_item, sms_values
from storage.tables import (
    CampaignRow,
    CardTransactionRow,
    ClientProductRow,
    ClientRow,
    ContactChangeRow,
    ContactProductRow,
    ContactRow,
    DeskRow,
    EmailRow,
    EmployeeRow,
    OfficeRow,
    PhoneRow,
    ProductRow,
    RegionRow,
    SmsOutboxRow,
    TownRow,
)

CARD_LIST_LIMIT = 200  # transactions and changes shown on a card, newest first

_client = ClientRow.__table__.c
_phone = PhoneRow.__table__.c


# --- search: one plain statement per lookup on a pooled driver connection -----------------
# A search runs on every keystroke of the search line. Building and executing a Core statement
# costs ~10x the index lookup itself (PERFORMANCE-NOTES), so these lookups are fixed SQL texts,
# portable between SQLite and PostgreSQL, run on the DBAPI connection of the engine's pool.

_LOOKUP_SQL = {
    "phone": "SELECT DISTINCT p.client_id FROM phone p JOIN client c ON c.id = p.client_id WHERE p.e164 = :value",
    "email": (
        "SELECT DISTINCT e.client_id FROM email e JOIN client c ON c.id = e.client_id WHERE e.address_key = :value"
    ),
    "passport": "SELECT c.id FROM client c WHERE c.passport_key = :value",
    "id": "SELECT c.id FROM client c WHERE c.id = :value",
    # name keys: a prefix is a range on the index (byte order: collation "C" on PostgreSQL)
    "name_key": "SELECT c.id FROM client c WHERE c.name_key >= :low AND c.name_key < :high",
    "name_latin": "SELECT c.id FROM client c WHERE c.name_latin >= :low AND c.name_latin < :high",
}
_LOOKUP_ORDER = {"name_key": " ORDER BY c.name_key, c.id", "name_latin": " ORDER BY c.name_latin, c.id"}
_SUMMARY_SQL = (
    "SELECT c.id, c.surname, c.first_name, c.patronymic, c.birth_date, c.client_type, c.lifecycle,"
    " r.name, t.name, d.name, p.e164 FROM client c"
    " LEFT JOIN region r ON r.id = c.region_id"
    " LEFT JOIN town t ON t.id = c.town_id"
    " LEFT JOIN desk d ON d.id = c.desk_id"
    " LEFT JOIN phone p ON p.client_id = c.id"
    " WHERE c.id IN ({ids}) ORDER BY p.id"
)
_NAMED = re.compile(r":(\w+)")


@lru_cache(maxsize=256)
def _lookup_sql(kind: str, desks: int | None, limit: bool, pyformat: bool) -> str:
    sql = _LOOKUP_SQL[kind]
    if desks is not None:
        sql += " AND c.desk_id IN (" + ", ".join(f":d{i}" for i in range(desks)) + ")"
    sql += _LOOKUP_ORDER.get(kind, "")
    if limit:
        sql += " LIMIT :limit"
    return _NAMED.sub(r"%(\1)s", sql) if pyformat else sql


@lru_cache(maxsize=64)
def _summary_sql(count: int, pyformat: bool) -> str:
    sql = _SUMMARY_SQL.format(ids=", ".join(f":i{i}" for i in range(count)))
    return _NAMED.sub(r"%(\1)s", sql) if pyformat else sql


class ClientQueries:
    engine: Engine

    # --- search lookups: each one an index range or an index equality -----------------

    def ids_by_phone(self, e164: str, desk_ids: list[int] | None, limit: int) -> list[int]:
        return self._lookup("phone", {"value": e164}, desk_ids, limit)

    def ids_by_name(self, column: str, low: str, high: str, desk_ids: list[int] | None, limit: int) -> list[int]:
        if column not in _LOOKUP_ORDER:
            raise ValueError(f"Not a name key column: {column!r}")
        return self._lookup(column, {"low": low, "high": high}, desk_ids, limit)

    def ids_by_passport(self, key: str, desk_ids: list[int] | None, limit: int) -> list[int]:
        return self._lookup("passport", {"value": key}, desk_ids, limit)

    def ids_by_email(self, key: str, desk_ids: list[int] | None, limit: int) -> list[int]:
        return self._lookup("email", {"value": key}, desk_ids, limit)

    def ids_by_id(self, client_id: int, desk_ids: list[int] | None) -> list[int]:
        return self._lookup("id", {"value": client_id}, desk_ids, None)

    def _lookup(self, kind: str, params: dict[str, object], desk_ids: list[int] | None, limit: int | None) -> list[int]:
        if desk_ids is not None:
            if not desk_ids:
                return []  # an employee of no desk sees no client
            params.update((f"d{i}", desk_id) for i, desk_id in enumerate(desk_ids))
        if limit is not None:
            params["limit"] = limit
        sql = _lookup_sql(kind, None if desk_ids is None else len(desk_ids), limit is not None, self._pyformat())
        return [row[0] for row in self._fetch(sql, params)]

    def _pyformat(self) -> bool:
        return self.engine.dialect.name != "sqlite"  # sqlite3 takes :name, psycopg %(name)s

    def _fetch(self, sql: str, params: dict[str, object]) -> list[tuple]:
        """Run one read-only statement on a pooled DBAPI connection; errors as SQLAlchemy's."""
        raw = self.engine.raw_connection()
        try:
            cursor = raw.cursor()
            try:
                cursor.execute(sql, params)
                return cursor.fetchall()
            finally:
                cursor.close()
        except self.engine.dialect.loaded_dbapi.Error as exc:
            if self.engine.dialect.is_disconnect(exc, raw.dbapi_connection, None):
                raw.invalidate(exc)
            raise DBAPIError.instance(sql, params, exc, self.engine.dialect.loaded_dbapi.Error) from exc
        finally:
            raw.close()

    def summaries(self, ids: list[int]) -> list[ClientSummary]:
        if not ids:
            return []
        params = {f"i{i}": client_id for i, client_id in enumerate(ids)}
        rows: dict[int, tuple] = {}
        phones: dict[int, list[str]] = {}
        for row in self._fetch(_summary_sql(len(ids), self._pyformat()), params):
            client_id = row[0]
            if client_id not in rows:
                rows[client_id] = row
                phones[client_id] = []
            if row[10] is not None:
                phones[client_id].append(row[10])
        out = []
        for client_id in ids:
            r = rows.get(client_id)
            if r is None:
                continue
            birth = r[4]
            out.append(
                ClientSummary.model_construct(  # trusted values straight from the store: no validation pass
                    id=client_id,
                    full_name=full_name(r[1], r[2], r[3]),
                    birth_date=date.fromisoformat(birth) if isinstance(birth, str) else birth,  # SQLite: text
                    client_type=r[5],
                    lifecycle=r[6],
                    region=r[7],
                    town=r[8],
                    desk=r[9],
                    phones=phones[client_id],
                )
            )
        return out

    # --- the card -----------------------------------------------------------------------

    def card(self, client_id: int, history_limit: int) -> ClientCard | None:
        referrer = aliased(ClientRow)
        with read(self.engine) as conn:
            row = conn.execute(
                select(
                    ClientRow,
                    RegionRow.name.label("region"),
                    TownRow.name.label("town"),
                    DeskRow.name.label("desk"),
                    EmployeeRow.full_name.label("responsible"),
                    referrer.surname.label("ref_surname"),
                    referrer.first_name.label("ref_first"),
                    referrer.patronymic.label("ref_patronymic"),
                )
                .outerjoin(RegionRow, RegionRow.id == ClientRow.region_id)
                .outerjoin(TownRow, TownRow.id == ClientRow.town_id)
                .outerjoin(DeskRow, DeskRow.id == ClientRow.desk_id)
                .outerjoin(EmployeeRow, EmployeeRow.id == ClientRow.responsible_id)
                .outerjoin(referrer, referrer.id == ClientRow.referrer_id)
                .where(ClientRow.id == client_id)
            ).first()
            if row is None:
                return None
            phones = [
                Phone(id=p.id, number=p.e164, kind=p.kind, status=p.status, strike_reason=p.strike_reason)
                for p in conn.execute(select(PhoneRow).where(_phone.client_id == client_id).order_by(_phone.id))
            ]
            emails = [
                Email(id=e.id, address=e.address)
                for e in conn.execute(select(EmailRow).where(EmailRow.client_id == client_id).order_by(EmailRow.id))
            ]
            total = conn.scalar(select(func.count()).select_from(ContactRow).where(ContactRow.client_id == client_id))
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
                for t in conn.execute(
                    select(CardTransactionRow, ProductRow.name.label("product"))
                    .outerjoin(ClientProductRow, ClientProductRow.id == CardTransactionRow.client_product_id)
                    .outerjoin(ProductRow, ProductRow.id == ClientProductRow.product_id)
                    .where(CardTransactionRow.client_id == client_id)
                    .order_by(CardTransactionRow.at.desc(), CardTransactionRow.id.desc())
                    .limit(CARD_LIST_LIMIT)
                )
            ]
            linked = [
                LinkedCard(
                    id=c.id,
                    full_name=full_name(c.surname, c.first_name, c.patronymic),
                    client_type=c.client_type,
                    created_at=as_utc(c.created_at),
                )
                for c in conn.execute(select(ClientRow).where(_client.referrer_id == client_id).order_by(_client.id))
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
                for c in conn.execute(
                    select(ContactChangeRow, EmployeeRow.full_name.label("employee"))
                    .outerjoin(EmployeeRow, EmployeeRow.id == ContactChangeRow.employee_id)
                    .where(ContactChangeRow.client_id == client_id)
                    .order_by(ContactChangeRow.at.desc(), ContactChangeRow.id.desc())
                    .limit(CARD_LIST_LIMIT)
                )
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
            responsible=row.responsible,
            referrer_id=row.referrer_id,
            referrer=full_name(row.ref_surname, row.ref_first, row.ref_patronymic) if row.referrer_id else None,
            do_not_disturb=row.do_not_disturb,
            language=row.language,
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
        )

    def _products(self, conn: Connection, client_id: int) -> list[ClientProduct]:
        rows = conn.execute(
            select(ClientProductRow, ProductRow.category, ProductRow.name.label("product"))
            .join(ProductRow, ProductRow.id == ClientProductRow.product_id)
            .where(ClientProductRow.client_id == client_id)
            .order_by(ClientProductRow.opened_on.desc(), ClientProductRow.id.desc())
        )
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

    def _history(self, conn: Connection, client_id: int, offset: int, limit: int) -> list[HistoryEntry]:
        rows = conn.execute(
            select(
                ContactRow,
                CampaignRow.name.label("campaign"),
                EmployeeRow.full_name.label("employee"),
                OfficeRow.name.label("office"),
            )
            .outerjoin(CampaignRow, CampaignRow.id == ContactRow.campaign_id)
            .outerjoin(EmployeeRow, EmployeeRow.id == ContactRow.employee_id)
            .outerjoin(OfficeRow, OfficeRow.id == ContactRow.office_id)
            .where(ContactRow.client_id == client_id)
            .order_by(ContactRow.at.desc(), ContactRow.id.desc())
            .offset(offset)
            .limit(limit)
        ).all()
        products: dict[int, list[str]] = {}
        if rows:
            for contact_id, name in conn.execute(
                select(ContactProductRow.contact_id, ProductRow.name)
                .join(ProductRow, ProductRow.id == ContactProductRow.product_id)
                .where(ContactProductRow.contact_id.in_([r.id for r in rows]))
            ):
                products.setdefault(contact_id, []).append(name)
        return [_entry(r, products.get(r.id, [])) for r in rows]

    # --- writes -------------------------------------------------------------------------

    def update_personal(
        self,
        client_id: int,
        expected_version: int,
        values: dict[str, object],
        audits: list[Audit],
        employee_id: int,
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
        employee_id: int,
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
        row = conn.execute(
            select(
                ContactRow,
                CampaignRow.name.label("campaign"),
                EmployeeRow.full_name.label("employee"),
                OfficeRow.name.label("office"),
            )
            .outerjoin(CampaignRow, CampaignRow.id == ContactRow.campaign_id)
            .outerjoin(EmployeeRow, EmployeeRow.id == ContactRow.employee_id)
            .outerjoin(OfficeRow, OfficeRow.id == ContactRow.office_id)
            .where(ContactRow.id == contact_id)
        ).one()
        return _entry(row, [])

    def send_client_sms(
        self, client_id: int, sms: NewSms, entry: NewHistory, claim: IdempotencyClaim | None = None
    ) -> OutboxItem:
        """Queue the SMS and record it; with a claim, store the idempotency key in the same transaction."""
        with write(self.engine) as conn:
            sms_id = conn.execute(insert(SmsOutboxRow).values(**sms_values(sms))).inserted_primary_key[0]
            _insert_history(conn, client_id, entry)
            item = outbox_item(conn.execute(select(SmsOutboxRow).where(SmsOutboxRow.id == sms_id)).one())
            if claim is not None:
                claim_key(conn, claim, item.model_dump_json())
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
        return client_id

    def count_clients_with(self, phones: list[str], passport_key: str | None) -> int:
        """Cards of any desk sharing a phone or the passport (the F3 duplicate flag)."""
        conditions = []
        if phones:
            conditions.append(_client.id.in_(select(_phone.client_id).where(_phone.e164.in_(phones))))
        if passport_key:
            conditions.append(_client.passport_key == passport_key)
        if not conditions:
            return 0
        with self.engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(ClientRow).where(or_(*conditions))) or 0


def _entry(r, products: list[str]) -> HistoryEntry:  # type: ignore[no-untyped-def]
    at = as_utc(r.at)
    ended = as_utc(r.ended_at) if r.ended_at else None
    return HistoryEntry(
        id=r.id,
        at=at,
        ended_at=ended,
        duration_s=int((ended - at).total_seconds()) if ended else None,
        kind=r.kind,
        campaign=r.campaign,
        result=r.result,
        reason=r.reason,
        comment=r.comment,
        employee=r.employee,
        products=products,
        phone=r.phone,
        office=r.office,
        visit_at=as_utc(r.visit_at) if r.visit_at else None,
        next_at=as_utc(r.next_at) if r.next_at else None,
    )


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
    return conn.execute(insert(ContactRow).values(**values)).inserted_primary_key[0]


def _audit(conn: Connection, client_id: int, audits: list[Audit], employee_id: int, at: datetime) -> None:
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
