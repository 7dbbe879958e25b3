"""Repository queries of the call: campaigns and their lists (K16); starting a call and saving it
with everything it causes, each one transaction around the slim read of `storage.call_sql` (K15)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Connection, Engine, delete, exists, false, func, or_, select, union, update

from core.automation.rules import Event, Trigger
from core.calls.rules import MemberState, SlotFull
from core.calls.store import (
    BookingRecord,
    CallAsk,
    CallListQuery,
    CallRead,
    CampaignRecord,
    MemberRecord,
    NewCall,
    StartPlan,
)
from core.clients.models import HistoryEntry
from core.clock import as_utc
from core.errors import Conflict
from core.floor.rules import session_key
from storage import activity
from storage import call_sql as sql
from storage.automation_events import emit
from storage.call_sql import read_facts, read_save_facts
from storage.engine import read, write
from storage.reference_cache import cache_of
from storage.repo_api import claim_key
from storage.repo_campaigns import retry_policy
from storage.repo_floor import floor_call_started
from storage.repo_people import sms_values
from storage.tables import (
    BookingRow,
    CampaignMemberRow,
    CampaignRow,
    ClientRow,
    ContactRow,
    DeskRow,
    OfficeSlotRow,
    PhoneRow,
    RegionRow,
)

_m = CampaignMemberRow.__table__.c
_c = CampaignRow.__table__.c
_client = ClientRow.__table__.c
_phone = PhoneRow.__table__.c
_slot = OfficeSlotRow.__table__.c
_booking = BookingRow.__table__.c
_member_table = CampaignMemberRow.__table__
_region = RegionRow.__table__.c
_desk = DeskRow.__table__.c
_ZONES = union(
    select(_region.timezone).where(_region.timezone.is_not(None)),
    select(_desk.timezone).where(_desk.timezone.is_not(None)),
)


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

    def call_zones(self) -> list[str]:
        def load() -> list[str]:
            with read(self.engine) as conn:
                return sorted(conn.scalars(_ZONES))

        return cache_of(self).get("call_zones", load)

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
        if q.zones is not None:  # calling hours in the client's zone: the region's, else the desk's
            zone = func.coalesce(_region.timezone, _desk.timezone, q.default_tz)
            base = (
                base.outerjoin(RegionRow, _region.id == _client.region_id)
                .outerjoin(DeskRow, _desk.id == _client.desk_id)
                .where(zone.in_(q.zones) if q.zones else false())
            )
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

    def call_list_counts(self, campaign_id: int, query: CallListQuery) -> tuple[int, int, int]:
        with read(self.engine) as conn:
            counts = [
                conn.scalar(select(func.count()).select_from(part.order_by(None).subquery())) or 0
                for part in self._list_parts(campaign_id, query)
            ]
        return counts[0], counts[1], counts[2]

    # --- the client's past ------------------------------------------------------------

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

    # --- starting and saving the call (K15): one transaction each ------------------------

    def start_call(self, ask: CallAsk, decide: Callable[[CallRead], StartPlan]) -> tuple[CallRead, StartPlan]:
        with write(self.engine) as conn:
            facts = read_facts(conn, ask)
            plan = decide(facts)
            sql.CLAIM_RUN.rowcount(
                conn,
                {
                    "m_campaign_id": ask.campaign_id,
                    "m_client_id": facts.client.id if facts.client else ask.client_id,
                    "now": plan.now,
                    "hold_until": plan.hold_until,
                },
            )
            if facts.client is not None and ask.employee_id:  # the live floor: in a call with this client from now
                session = ask.session or session_key(ask.employee_id)
                floor_call_started(conn, session, ask.employee_id, facts.client.id, ask.campaign_id, plan.now)
            return facts, plan

    def record_call(
        self, ask: CallAsk, decide: Callable[[CallRead], NewCall | None]
    ) -> tuple[CallRead, HistoryEntry | None]:
        with write(self.engine) as conn:
            facts, result_rules = read_save_facts(conn, ask)
            products = cache_of(self).get("products", lambda: self._read_products(conn))  # type: ignore[attr-defined]
            call = decide(facts)
            if call is None:
                return facts, None
            contact_id = _insert_call(conn, call)
            if call.product_ids:
                conn.execute(
                    sql.CONTACT_PRODUCTS, [{"contact_id": contact_id, "product_id": p} for p in call.product_ids]
                )
            if call.release_booking_id is not None:
                _release(conn, call.release_booking_id, call.client_id)
            if call.book_slot_id is not None:
                _book(conn, call.book_slot_id, call.client_id, contact_id, call.ended_at)
            _update_member(conn, call)
            if call.sms is not None:
                _queue_sms(conn, call)
            if call.set_do_not_disturb:
                conn.execute(sql.DND, {"c_id": call.client_id})
            chosen = set(call.product_ids)
            names = sorted(p.name for p in products if p.id in chosen)
            entry = _entry(call, contact_id, facts, names)
            if result_rules:  # M8: the rules of "a call result saved" (probed by the facts' read)
                saved = Event(Trigger.RESULT_SAVED, call.client_id, f"call:{contact_id}", call.ended_at, call.result)
                emit(conn, call.ended_at, [saved])
            if call.claim is not None:
                claim_key(conn, call.claim, entry.model_dump_json())
            return facts, entry


def _entry(call: NewCall, contact_id: int, facts: CallRead, products: list[str]) -> HistoryEntry:
    """The history entry of the saved call, as the card shows it, from what was just written."""
    at, ended = as_utc(call.at), as_utc(call.ended_at)
    return HistoryEntry(
        id=contact_id,
        at=at,
        ended_at=ended,
        duration_s=int((ended - at).total_seconds()),
        kind="call",
        campaign=facts.campaign.name if facts.campaign else None,
        result=call.result,
        reason=call.reason,
        comment=call.comment,
        employee=facts.employee,
        products=products,
        phone=call.phone,
        office=facts.office.name if facts.office and call.office_id == facts.office.id else None,
        visit_at=as_utc(call.visit_at) if call.visit_at else None,
        next_at=as_utc(call.next_at) if call.next_at else None,
    )


def _insert_call(conn: Connection, call: NewCall) -> int:
    """The call's contact row, and the visit SMS's history row with it when there is one."""
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
    entry = call.sms_entry
    activity.touch_call(conn, call.client_id, call.at, max(call.at, entry.at) if entry is not None else call.at)
    if entry is None:
        return sql.CONTACT.rows(conn, {f"{k}_0": v for k, v in values.items()})[0].id
    sms = dict.fromkeys(sql.CONTACT_FIELDS) | {
        "client_id": call.client_id,
        "kind": str(entry.kind),
        "at": entry.at,
        "employee_id": entry.employee_id,
        "comment": entry.comment,
        "phone": entry.phone,
        "result": entry.result,
        "reason": entry.reason,
        "campaign_id": call.campaign_id,
    }
    both = {f"{k}_0": v for k, v in values.items()} | {f"{k}_1": v for k, v in sms.items()}
    return next(row.id for row in sql.CALL_AND_SMS.rows(conn, both) if row.kind == "call")


def _book(conn: Connection, slot_id: int, client_id: int, contact_id: int, at: datetime) -> None:
    """O2: one place of the slot; two operators cannot both take the last one."""
    if conn.execute(sql.BOOK, {"s_id": slot_id}).rowcount != 1:
        raise SlotFull()
    conn.execute(sql.BOOKING, {"slot_id": slot_id, "client_id": client_id, "contact_id": contact_id, "created_at": at})


def _release(conn: Connection, booking_id: int, client_id: int) -> None:
    slot_id = conn.scalar(select(_booking.slot_id).where(_booking.id == booking_id, _booking.client_id == client_id))
    if slot_id is None:
        raise Conflict("The earlier visit was changed meanwhile; reopen the card.")
    conn.execute(delete(BookingRow).where(_booking.id == booking_id))
    conn.execute(update(OfficeSlotRow).where(_slot.id == slot_id, _slot.booked > 0).values(booked=_slot.booked - 1))


def _update_member(conn: Connection, call: NewCall) -> None:
    m = call.member
    done = sql.MEMBER_RUN.rowcount(
        conn,
        {
            "m_campaign_id": call.campaign_id,
            "m_client_id": call.client_id,
            "expected_attempts": m.expected_attempts,
            "state": m.state,
            "next_call_at": m.next_call_at,
            "new_attempts": m.attempts,
            "last_call_at": m.last_call_at,
        },
    )
    if done != 1:
        raise Conflict("Another call of this client was saved meanwhile; reopen the card.")


def _queue_sms(conn: Connection, call: NewCall) -> None:
    """The visit SMS into the outbox (its history row went in with the call's, `_insert_call`)."""
    assert call.sms is not None
    conn.execute(sql.OUTBOX, sms_values(call.sms))
