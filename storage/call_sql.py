"""The call's statements, built once at import: the slim read of what the call rules need (one
round trip) and the writes of starting and saving a call."""

from __future__ import annotations

from sqlalchemy import Connection, Integer, String, bindparam, case, func, insert, literal, or_, select, update

from core.automation.rules import Trigger
from core.calls.rules import ON_LIST
from core.calls.store import BookingRecord, CallAsk, CallClient, CallRead, CampaignRecord, MemberRecord, PhoneFact
from core.clock import as_utc
from core.idempotency import IdempotencyRecord
from core.offices.models import Office, OfficeSlot
from storage.automation_events import rules_on
from storage.driver_sql import Fixed
from storage.repo_campaigns import retry_policy
from storage.tables import (
    BookingRow,
    CampaignMemberRow,
    CampaignRow,
    ClientRow,
    ContactProductRow,
    ContactRow,
    EmployeeRow,
    OfficeRow,
    OfficeSlotRow,
    PhoneRow,
    RegionRow,
    SmsOutboxRow,
    TownRow,
)
from storage.tables_access import IdempotencyKeyRow

_c = CampaignRow.__table__.c
_client = ClientRow.__table__.c
_m = CampaignMemberRow.__table__.c
_phone = PhoneRow.__table__.c
_idem = IdempotencyKeyRow.__table__.c
_office = OfficeRow.__table__.c
_region = RegionRow.__table__.alias("client_region")
_town = TownRow.__table__.alias("client_town")
_office_region = RegionRow.__table__.alias("office_region")
_office_town = TownRow.__table__.alias("office_town")
_chosen = OfficeSlotRow.__table__.alias("chosen_slot")
_booking = BookingRow.__table__.alias("upcoming")
_booked_slot = OfficeSlotRow.__table__.alias("upcoming_slot")
_b = BookingRow.__table__.c
_s = OfficeSlotRow.__table__.c

_campaign_id = bindparam("campaign_id", type_=Integer)
_asked_id = bindparam("client_id", type_=Integer)
_merged = ClientRow.__table__.alias("merged")
# F3: a merged-away id names the card it was merged into
_client_id = func.coalesce(select(_merged.c.merged_into).where(_merged.c.id == _asked_id).scalar_subquery(), _asked_id)
_employee_id = bindparam("employee_id", type_=Integer)
_now = bindparam("now", type_=OfficeSlotRow.__table__.c.starts_at.type)

_one = select(literal(1).label("one")).subquery("one")
_upcoming_id = (
    select(_b.id)
    .join(OfficeSlotRow, _s.id == _b.slot_id)
    .where(_b.client_id == _client_id, _s.starts_at > _now)
    .order_by(_s.starts_at)
    .limit(1)
    .scalar_subquery()
)
_last_agreed = (
    select(func.max(ContactRow.at))
    .where(ContactRow.client_id == _client_id, ContactRow.result == "agreed")
    .scalar_subquery()
)
_employee = select(EmployeeRow.full_name).where(EmployeeRow.id == _employee_id).scalar_subquery()

# One row per phone of the client (one row with null phone columns when it has none).
FACTS = (
    select(
        _c.id.label("campaign_id"),
        _c.code,
        _c.name.label("campaign_name"),
        _c.active,
        _c.script,
        _c.desk_id.label("campaign_desk_id"),
        _c.script_version,
        _c.retry_first_min,
        _c.retry_next_min,
        _c.max_attempts,
        _c.call_start,
        _c.call_end,
        _client.id.label("client_id"),
        _client.desk_id,
        _client.do_not_disturb,
        _client.surname,
        _client.first_name,
        _client.patronymic,
        _client.language,
        _region.c.name.label("region"),
        _town.c.name.label("town"),
        _m.client_id.label("member_client_id"),
        _m.state,
        _m.next_call_at,
        _m.attempts,
        _m.last_call_at,
        _phone.id.label("phone_id"),
        _phone.e164,
        _phone.kind.label("phone_kind"),
        _phone.status.label("phone_status"),
        _employee.label("employee"),
        _last_agreed.label("last_agreed_at"),
        _booking.c.id.label("booking_id"),
        _booking.c.slot_id.label("booking_slot_id"),
        _booked_slot.c.office_id.label("booking_office_id"),
        _booked_slot.c.starts_at.label("booking_starts_at"),
        _chosen.c.id.label("slot_id"),
        _chosen.c.office_id.label("slot_office_id"),
        _chosen.c.starts_at.label("slot_starts_at"),
        _chosen.c.capacity.label("slot_capacity"),
        _chosen.c.booked.label("slot_booked"),
        _office.id.label("office_id"),
        _office.code.label("office_code"),
        _office.name.label("office_name"),
        _office.region_id.label("office_region_id"),
        _office.town_id.label("office_town_id"),
        _office.address.label("office_address"),
        _office.keywords.label("office_keywords"),
        _office.hours.label("office_hours"),
        _office.phone.label("office_phone"),
        _office.timezone.label("office_timezone"),
        _office_region.c.name.label("office_region"),
        _office_town.c.name.label("office_town"),
        _idem.key.label("idem_key"),
        _idem.operation.label("idem_operation"),
        _idem.request_hash.label("idem_hash"),
        _idem.response.label("idem_response"),
        _idem.created_at.label("idem_created_at"),
    )
    .select_from(_one)
    .outerjoin(CampaignRow, _c.id == _campaign_id)
    .outerjoin(ClientRow, _client.id == _client_id)
    .outerjoin(_region, _region.c.id == _client.region_id)
    .outerjoin(_town, _town.c.id == _client.town_id)
    .outerjoin(CampaignMemberRow, (_m.campaign_id == _c.id) & (_m.client_id == _client.id))
    .outerjoin(PhoneRow, _phone.client_id == _client.id)
    .outerjoin(_booking, _booking.c.id == _upcoming_id)
    .outerjoin(_booked_slot, _booked_slot.c.id == _booking.c.slot_id)
    .outerjoin(_chosen, _chosen.c.id == bindparam("slot_id", type_=Integer))
    .outerjoin(OfficeRow, _office.id == bindparam("office_id", type_=Integer))
    .outerjoin(_office_region, _office_region.c.id == _office.region_id)
    .outerjoin(_office_town, _office_town.c.id == _office.town_id)
    .outerjoin(
        IdempotencyKeyRow,
        (_idem.employee_id == _employee_id) & (_idem.key == bindparam("key", type_=String)),
    )
    .order_by(_phone.id)
)
# The save's read also tells whether a rule of "a call result saved" (M8) is on: without one the
# save runs no automation-event INSERT at all (one statement less than the INSERT … WHERE EXISTS).
SAVE_FACTS = FACTS.add_columns(rules_on(Trigger.RESULT_SAVED.value).label("result_rules"))
_FACTS, _SAVE_FACTS = Fixed(FACTS), Fixed(SAVE_FACTS)

_hold = bindparam("hold_until", type_=_m.next_call_at.type)
CLAIM = (
    update(CampaignMemberRow)
    .where(
        _m.campaign_id == bindparam("m_campaign_id"),
        _m.client_id == bindparam("m_client_id"),
        _m.state.in_([literal(s.value) for s in ON_LIST]),  # plain binds: nothing to expand per call
    )
    .values(
        last_call_at=bindparam("now"),
        next_call_at=case((or_(_m.next_call_at.is_(None), _m.next_call_at < _hold), _hold), else_=_m.next_call_at),
    )
)
MEMBER = (
    update(CampaignMemberRow)
    .where(
        _m.campaign_id == bindparam("m_campaign_id"),
        _m.client_id == bindparam("m_client_id"),
        _m.attempts == bindparam("expected_attempts"),
    )
    .values(
        state=bindparam("state"),
        next_call_at=bindparam("next_call_at"),
        attempts=bindparam("new_attempts"),
        last_call_at=bindparam("last_call_at"),
    )
)
CLAIM_RUN, MEMBER_RUN = Fixed(CLAIM), Fixed(MEMBER)  # on the driver's cursor (storage.driver_sql)
CONTACT_FIELDS = ("client_id", "kind", "at", "ended_at", "campaign_id", "result", "reason", "comment")
CONTACT_FIELDS += ("employee_id", "phone", "office_id", "visit_at", "next_at")
_contact_id = ContactRow.__table__.c.id
# The call's history row, its binds named `{field}_0`; with its visit SMS's row (`{field}_1`) in
# one statement, the call's id being the row of kind "call". Both on the driver's cursor.
CONTACT = Fixed(insert(ContactRow).values({f: bindparam(f"{f}_0") for f in CONTACT_FIELDS}).returning(_contact_id))
CALL_AND_SMS = Fixed(
    insert(ContactRow)
    .values([{f: bindparam(f"{f}_{n}") for f in CONTACT_FIELDS} for n in (0, 1)])
    .returning(_contact_id, ContactRow.__table__.c.kind)
)
CONTACT_PRODUCTS = insert(ContactProductRow)
OUTBOX = insert(SmsOutboxRow)
BOOK = update(OfficeSlotRow).where(_s.id == bindparam("s_id"), _s.booked < _s.capacity).values(booked=_s.booked + 1)
BOOKING = insert(BookingRow)
DND = update(ClientRow).where(_client.id == bindparam("c_id")).values(do_not_disturb=True)


def _utc(value):  # type: ignore[no-untyped-def]
    return as_utc(value) if value is not None else None


def read_facts(conn: Connection, ask: CallAsk) -> CallRead:
    """`FACTS` for one call, as core.calls.store.CallRead."""
    return _facts(conn, _FACTS, ask)[0]


def read_save_facts(conn: Connection, ask: CallAsk) -> tuple[CallRead, bool]:
    """`SAVE_FACTS`: the call's facts and whether a rule of a saved result is on."""
    facts, r = _facts(conn, _SAVE_FACTS, ask)
    return facts, bool(r.result_rules)


def facts_params(ask: CallAsk) -> dict[str, object]:
    """The binds of the facts statements."""
    return {
        "campaign_id": ask.campaign_id,
        "client_id": ask.client_id,
        "employee_id": ask.employee_id,
        "now": ask.now,
        "slot_id": ask.slot_id,
        "office_id": ask.office_id,
        "key": ask.idempotency_key,
    }


def _facts(conn: Connection, statement: Fixed, ask: CallAsk):  # type: ignore[no-untyped-def]
    rows = statement.rows(conn, facts_params(ask))
    r = rows[0]
    campaign = None
    if r.campaign_id is not None:
        campaign = CampaignRecord(
            r.campaign_id,
            r.code,
            r.campaign_name,
            r.active,
            r.script,
            r.campaign_desk_id,
            retry_policy(r),
            r.script_version,
        )
    client = None
    if r.client_id is not None:
        client = CallClient(
            r.client_id,
            r.desk_id,
            r.do_not_disturb,
            r.surname,
            r.first_name,
            r.patronymic,
            r.region,
            r.town,
            r.language,
        )
    member = None
    if r.member_client_id is not None:
        member = MemberRecord(
            ask.campaign_id, ask.client_id, r.state, _utc(r.next_call_at), r.attempts, _utc(r.last_call_at)
        )
    facts = CallRead(
        campaign=campaign,
        client=client,
        phones=[PhoneFact(p.phone_id, p.e164, p.phone_kind, p.phone_status) for p in rows if p.phone_id is not None],
        member=member,
        employee=r.employee,
        last_agreed_at=_utc(r.last_agreed_at),
    )
    if r.booking_id is not None:
        facts.booking = BookingRecord(r.booking_id, r.booking_slot_id, r.booking_office_id, as_utc(r.booking_starts_at))
    if r.slot_id is not None:
        starts, free = as_utc(r.slot_starts_at), max(0, r.slot_capacity - r.slot_booked)
        facts.slot = OfficeSlot(
            id=r.slot_id,
            office_id=r.slot_office_id,
            starts_at=starts,
            capacity=r.slot_capacity,
            booked=r.slot_booked,
            free=free,
            bookable=free > 0 and starts > ask.now,
        )
    if r.office_id is not None:
        facts.office = Office(
            id=r.office_id,
            code=r.office_code,
            name=r.office_name,
            region_id=r.office_region_id,
            region=r.office_region,
            town_id=r.office_town_id,
            town=r.office_town,
            address=r.office_address,
            keywords=r.office_keywords,
            hours=r.office_hours,
            phone=r.office_phone,
            timezone=r.office_timezone,
        )
    if r.idem_key is not None:
        facts.replay = IdempotencyRecord(
            r.idem_key, ask.employee_id, r.idem_operation, r.idem_hash, r.idem_response, r.idem_created_at
        )
    return facts, r
