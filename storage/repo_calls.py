"""Repository queries of the call: campaigns and their lists (K16), offices and slots (O1-O2),
products (O4), and saving a call with everything it causes in one transaction (K15)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, Engine, and_, case, delete, exists, func, insert, or_, select, update

from core.calls.rules import MemberState, SlotFull
from core.calls.store import BookingRecord, CallListQuery, CampaignRecord, MemberRecord, NewCall
from core.clients.models import HistoryEntry
from core.clock import as_utc
from core.errors import Conflict
from core.idempotency import IdempotencyClaim
from core.offices.models import Office, OfficeSlot, ProductOption
from core.vocab import ProductCategory
from storage.engine import read, write
from storage.repo_api import claim_key
from storage.repo_campaigns import retry_policy
from storage.repo_people import sms_values
from storage.tables import (
    BookingRow,
    CampaignMemberRow,
    CampaignRow,
    ClientRow,
    ContactProductRow,
    ContactRow,
    OfficeRow,
    OfficeSlotRow,
    PhoneRow,
    ProductRow,
    RegionRow,
    SmsOutboxRow,
    TownRow,
)

_m = CampaignMemberRow.__table__.c
_c = CampaignRow.__table__.c
_client = ClientRow.__table__.c
_phone = PhoneRow.__table__.c
_slot = OfficeSlotRow.__table__.c
_booking = BookingRow.__table__.c
_member_table = CampaignMemberRow.__table__


def _campaign(row) -> CampaignRecord:  # type: ignore[no-untyped-def]
    return CampaignRecord(
        row.id, row.code, row.name, row.active, row.script, row.desk_id, retry_policy(row), row.script_version
    )


def _member(row) -> MemberRecord:  # type: ignore[no-untyped-def]
    return MemberRecord(
        row.campaign_id,
        row.client_id,
        row.state,
        as_utc(row.next_call_at) if row.next_call_at else None,
        row.attempts,
        as_utc(row.last_call_at) if row.last_call_at else None,
    )


def _slot_shape(row, now: datetime) -> OfficeSlot:  # type: ignore[no-untyped-def]
    starts = as_utc(row.starts_at)
    free = max(0, row.capacity - row.booked)
    return OfficeSlot(
        id=row.id,
        office_id=row.office_id,
        starts_at=starts,
        capacity=row.capacity,
        booked=row.booked,
        free=free,
        bookable=free > 0 and starts > now,
    )


def _category_label(code: str) -> str:
    try:
        return ProductCategory(code).label
    except ValueError:
        return code


class CallQueries:
    engine: Engine

    # --- campaigns --------------------------------------------------------------------

    def campaigns(self, desk_ids: list[int] | None) -> list[CampaignRecord]:
        query = select(CampaignRow).where(_c.active.is_(True)).order_by(_c.name, _c.id)
        if desk_ids is not None:
            query = query.where(or_(_c.desk_id.is_(None), _c.desk_id.in_(desk_ids)))
        with read(self.engine) as conn:
            return [_campaign(r) for r in conn.execute(query)]

    def campaign(self, campaign_id: int) -> CampaignRecord | None:
        with read(self.engine) as conn:
            row = conn.execute(select(CampaignRow).where(_c.id == campaign_id)).first()
        return _campaign(row) if row else None

    def set_campaign_script(self, campaign_id: int, text: str) -> None:
        with write(self.engine) as conn:
            conn.execute(update(CampaignRow).where(_c.id == campaign_id).values(script=text))

    def member(self, campaign_id: int, client_id: int) -> MemberRecord | None:
        with read(self.engine) as conn:
            row = conn.execute(
                select(CampaignMemberRow).where(_m.campaign_id == campaign_id, _m.client_id == client_id)
            ).first()
        return _member(row) if row else None

    def client_campaigns(self, client_id: int) -> list[tuple[CampaignRecord, MemberRecord]]:
        with read(self.engine) as conn:
            rows = conn.execute(
                select(CampaignRow, CampaignMemberRow)
                .join(CampaignMemberRow, _m.campaign_id == _c.id)
                .where(_m.client_id == client_id)
                .order_by(_c.name, _c.id)
            ).all()
        out = []
        for row in rows:
            campaign = CampaignRecord(row.id, row.code, row.name, row.active, row.script, row.desk_id)
            out.append((campaign, _member(row)))
        return out

    # --- the call list (K16) ------------------------------------------------------------

    def _list_parts(self, campaign_id: int, q: CallListQuery):  # type: ignore[no-untyped-def]
        """Three queries, in hand-out order: due call-backs, fresh numbers, due retries."""
        has_phone = exists(select(_phone.id).where(_phone.client_id == _m.client_id, _phone.status == "active"))
        base = (
            select(_m.client_id)
            .join(ClientRow, _client.id == _m.client_id)
            .where(
                _m.campaign_id == campaign_id,
                _client.do_not_disturb.is_(False),
                _m.attempts < q.max_attempts,
                has_phone,
            )
        )
        if q.desk_ids is not None:
            base = base.where(_client.desk_id.in_(q.desk_ids))
        not_recent = or_(_m.last_call_at.is_(None), _m.last_call_at <= q.recent_before)
        callbacks = base.where(_m.state == MemberState.CALLBACK.value, _m.next_call_at <= q.now).order_by(
            _m.next_call_at, _m.client_id
        )
        fresh = base.where(
            _m.state == MemberState.NEW.value,
            or_(_m.next_call_at.is_(None), _m.next_call_at <= q.now),
            not_recent,
        ).order_by(_m.client_id)
        retries = base.where(_m.state == MemberState.RETRY.value, _m.next_call_at <= q.now, not_recent).order_by(
            _m.next_call_at, _m.client_id
        )
        return callbacks, fresh, retries

    def claim_next(self, campaign_id: int, query: CallListQuery) -> int | None:
        with write(self.engine) as conn:
            for part in self._list_parts(campaign_id, query):
                # PostgreSQL: rows another transaction is claiming are skipped, not waited for.
                # SQLite: ignored; BEGIN IMMEDIATE already serialises the writers.
                client_id = conn.scalar(part.limit(1).with_for_update(of=_member_table, skip_locked=True))
                if client_id is None:
                    continue
                done = conn.execute(
                    update(CampaignMemberRow)
                    .where(_m.campaign_id == campaign_id, _m.client_id == client_id)
                    .values(last_call_at=query.now, next_call_at=query.hold_until)
                )
                if done.rowcount == 1:
                    return client_id
            return None

    def claim_member(self, campaign_id: int, client_id: int, now: datetime, hold_until: datetime) -> bool:
        later = case((or_(_m.next_call_at.is_(None), _m.next_call_at < hold_until), hold_until), else_=_m.next_call_at)
        with write(self.engine) as conn:
            done = conn.execute(
                update(CampaignMemberRow)
                .where(
                    _m.campaign_id == campaign_id,
                    _m.client_id == client_id,
                    _m.state.in_([MemberState.NEW.value, MemberState.CALLBACK.value, MemberState.RETRY.value]),
                )
                .values(last_call_at=now, next_call_at=later)
            )
            return done.rowcount == 1

    def call_list_counts(self, campaign_id: int, query: CallListQuery) -> tuple[int, int, int]:
        with read(self.engine) as conn:
            counts = [
                conn.scalar(select(func.count()).select_from(part.order_by(None).subquery())) or 0
                for part in self._list_parts(campaign_id, query)
            ]
        return counts[0], counts[1], counts[2]

    # --- offices and slots (O1, O2) -----------------------------------------------------

    def _office_query(self):  # type: ignore[no-untyped-def]
        return (
            select(OfficeRow, RegionRow.name.label("region_name"), TownRow.name.label("town_name"))
            .join(RegionRow, RegionRow.id == OfficeRow.region_id)
            .join(TownRow, TownRow.id == OfficeRow.town_id)
        )

    @staticmethod
    def _office(row) -> Office:  # type: ignore[no-untyped-def]
        return Office(
            id=row.id,
            code=row.code,
            name=row.name,
            region_id=row.region_id,
            region=row.region_name,
            town_id=row.town_id,
            town=row.town_name,
            address=row.address,
            keywords=row.keywords,
            hours=row.hours,
            phone=row.phone,
            timezone=row.timezone,
        )

    def offices(self, region_id: int | None, town_id: int | None) -> list[Office]:
        query = self._office_query().order_by(OfficeRow.name, OfficeRow.id)
        if region_id is not None:
            query = query.where(OfficeRow.region_id == region_id)
        if town_id is not None:
            query = query.where(OfficeRow.town_id == town_id)
        with read(self.engine) as conn:
            return [self._office(r) for r in conn.execute(query)]

    def office(self, office_id: int) -> Office | None:
        with read(self.engine) as conn:
            row = conn.execute(self._office_query().where(OfficeRow.id == office_id)).first()
        return self._office(row) if row else None

    def office_slots(self, office_id: int, start: datetime, end: datetime, now: datetime) -> list[OfficeSlot]:
        with read(self.engine) as conn:
            rows = conn.execute(
                select(OfficeSlotRow)
                .where(_slot.office_id == office_id, _slot.starts_at >= start, _slot.starts_at < end)
                .order_by(_slot.starts_at)
            ).all()
        return [_slot_shape(r, now) for r in rows]

    def slot(self, slot_id: int, now: datetime) -> OfficeSlot | None:
        with read(self.engine) as conn:
            row = conn.execute(select(OfficeSlotRow).where(_slot.id == slot_id)).first()
        return _slot_shape(row, now) if row else None

    # --- products and the client's past -------------------------------------------------

    def products(self) -> list[ProductOption]:
        with read(self.engine) as conn:
            rows = conn.execute(select(ProductRow).order_by(ProductRow.category, ProductRow.name)).all()
        return [
            ProductOption(
                id=r.id,
                code=r.code,
                category=r.category,
                category_label=_category_label(r.category),
                name=r.name,
                is_card=r.is_card,
            )
            for r in rows
        ]

    def last_result_at(self, client_id: int, result: str) -> datetime | None:
        with read(self.engine) as conn:
            at = conn.scalar(
                select(func.max(ContactRow.at)).where(ContactRow.client_id == client_id, ContactRow.result == result)
            )
        return as_utc(at) if at else None

    def upcoming_booking(self, client_id: int, now: datetime) -> BookingRecord | None:
        with read(self.engine) as conn:
            row = conn.execute(
                select(_booking.id, _booking.slot_id, _slot.office_id, _slot.starts_at)
                .join(OfficeSlotRow, _slot.id == _booking.slot_id)
                .where(_booking.client_id == client_id, _slot.starts_at > now)
                .order_by(_slot.starts_at)
                .limit(1)
            ).first()
        return BookingRecord(row.id, row.slot_id, row.office_id, as_utc(row.starts_at)) if row else None

    # --- saving the call (K15) ------------------------------------------------------------

    def save_call(self, call: NewCall, claim: IdempotencyClaim | None = None) -> HistoryEntry:
        with write(self.engine) as conn:
            contact_id = _insert_call(conn, call)
            if call.product_ids:
                conn.execute(
                    insert(ContactProductRow), [{"contact_id": contact_id, "product_id": p} for p in call.product_ids]
                )
            if call.release_booking_id is not None:
                _release(conn, call.release_booking_id, call.client_id)
            if call.book_slot_id is not None:
                _book(conn, call.book_slot_id, call.client_id, contact_id, call.ended_at)
            _update_member(conn, call)
            if call.sms is not None:
                _queue_sms(conn, call)
            if call.set_do_not_disturb:
                conn.execute(update(ClientRow).where(_client.id == call.client_id).values(do_not_disturb=True))
            entry = self._history_entry(conn, contact_id)  # type: ignore[attr-defined]
            names = list(
                conn.scalars(
                    select(ProductRow.name)
                    .join(ContactProductRow, ContactProductRow.product_id == ProductRow.id)
                    .where(ContactProductRow.contact_id == contact_id)
                    .order_by(ProductRow.name)
                )
            )
            entry = entry.model_copy(update={"products": names})
            if claim is not None:
                claim_key(conn, claim, entry.model_dump_json())
            return entry


def _insert_call(conn: Connection, call: NewCall) -> int:
    values = {
        "client_id": call.client_id,
        "kind": "call",
        "at": call.at,
        "ended_at": call.ended_at,
        "campaign_id": call.campaign_id,
        "result": call.result,
        "reason": call.reason,
        "comment": call.comment,
        "employee_id": call.employee_id,
        "phone": call.phone,
        "office_id": call.office_id,
        "visit_at": call.visit_at,
        "next_at": call.next_at,
    }
    return conn.execute(insert(ContactRow).values(**values)).inserted_primary_key[0]


def _book(conn: Connection, slot_id: int, client_id: int, contact_id: int, at: datetime) -> None:
    """O2: one place of the slot; two operators cannot both take the last one."""
    taken = conn.execute(
        update(OfficeSlotRow).where(_slot.id == slot_id, _slot.booked < _slot.capacity).values(booked=_slot.booked + 1)
    )
    if taken.rowcount != 1:
        raise SlotFull()
    conn.execute(insert(BookingRow).values(slot_id=slot_id, client_id=client_id, contact_id=contact_id, created_at=at))


def _release(conn: Connection, booking_id: int, client_id: int) -> None:
    slot_id = conn.scalar(select(_booking.slot_id).where(_booking.id == booking_id, _booking.client_id == client_id))
    if slot_id is None:
        raise Conflict("The earlier visit was changed meanwhile; reopen the card.")
    conn.execute(delete(BookingRow).where(_booking.id == booking_id))
    conn.execute(update(OfficeSlotRow).where(_slot.id == slot_id, _slot.booked > 0).values(booked=_slot.booked - 1))


def _update_member(conn: Connection, call: NewCall) -> None:
    m = call.member
    done = conn.execute(
        update(CampaignMemberRow)
        .where(
            and_(
                _m.campaign_id == call.campaign_id,
                _m.client_id == call.client_id,
                _m.attempts == m.expected_attempts,
            )
        )
        .values(state=m.state, next_call_at=m.next_call_at, attempts=m.attempts, last_call_at=m.last_call_at)
    )
    if done.rowcount != 1:
        raise Conflict("Another call of this client was saved meanwhile; reopen the card.")


def _queue_sms(conn: Connection, call: NewCall) -> None:
    assert call.sms is not None
    conn.execute(insert(SmsOutboxRow).values(**sms_values(call.sms)))
    if call.sms_entry is not None:
        entry = call.sms_entry
        conn.execute(
            insert(ContactRow).values(
                client_id=call.client_id,
                kind=str(entry.kind),
                at=entry.at,
                employee_id=entry.employee_id,
                comment=entry.comment,
                phone=entry.phone,
                result=entry.result,
                reason=entry.reason,
                campaign_id=call.campaign_id,
            )
        )
