"""The SQLModel tables. Times are UTC; amounts are Decimal; phones are E.164."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Column, Index, Numeric, String, UniqueConstraint, text
from sqlalchemy import false as sa_false
from sqlmodel import Field, SQLModel

# Name keys are compared byte-wise so that a prefix is a range on the index, on both engines.
_KEY = String().with_variant(String(collation="C"), "postgresql")


class DeskRow(SQLModel, table=True):
    __tablename__ = "desk"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    timezone: str | None = Field(default=None, max_length=64)  # IANA zone of its clients; None: settings
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})  # its zone's edits (409)
    broker: bool = Field(default=False, sa_column_kwargs={"server_default": sa_false()})  # C13: Lead/Demo/Live apply


class RoleRow(SQLModel, table=True):
    __tablename__ = "role"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True)
    name: str
    permissions: str = ""  # comma-separated core.access.rules.Permission values
    # S5, S6 (core.admin.rules.effective_access): None follows the contacts permission
    mask_phone: bool | None = None
    mask_email: bool | None = None
    mask_country: bool | None = None
    read_only: bool = False
    version: int = 0  # raised by every edit: a stale edit answers Conflict


class EmployeeRow(SQLModel, table=True):
    __tablename__ = "employee"
    id: int | None = Field(default=None, primary_key=True)
    login: str = Field(unique=True)
    full_name: str
    password_hash: str
    role_id: int = Field(foreign_key="role.id")
    mobile: str | None = None
    active: bool = True
    # Raised by every change of password, role, desks or activity: tokens of older versions die.
    auth_version: int = 0
    totp_secret: str | None = None
    totp_last_counter: int | None = None
    created_at: datetime
    # administration (core.admin): None follows the role
    mask_phone: bool | None = None
    mask_email: bool | None = None
    mask_country: bool | None = None
    read_only: bool | None = None
    must_change_password: bool = False
    version: int = 0  # raised by every edit of the employee: a stale edit answers Conflict
    # raised by every change of what the employee may do or see (own or their role's): the API
    # re-reads the employee at the next request, sessions go on
    access_version: int = 0


class EmployeeDeskRow(SQLModel, table=True):
    __tablename__ = "employee_desk"
    employee_id: int = Field(foreign_key="employee.id", primary_key=True)
    desk_id: int = Field(foreign_key="desk.id", primary_key=True)


class AuthChallengeRow(SQLModel, table=True):
    __tablename__ = "auth_challenge"
    id: str = Field(primary_key=True)
    employee_id: int = Field(foreign_key="employee.id", index=True)
    channel: str
    digest: str | None = None
    expires_at: datetime
    used_at: datetime | None = None
    attempts: int = 0
    sms_id: int | None = None  # the outbox message carrying the code: redacted once used


class RegionRow(SQLModel, table=True):
    __tablename__ = "region"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    timezone: str | None = Field(default=None, max_length=64)  # IANA zone (K16 calling hours)
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})  # its zone's edits (409)


class TownRow(SQLModel, table=True):
    __tablename__ = "town"
    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True)
    name: str


class ClientRow(SQLModel, table=True):
    __tablename__ = "client"
    __table_args__ = (
        Index("ix_client_name_key", "name_key"),
        Index("ix_client_name_latin", "name_latin"),
        Index("ix_client_passport_key", "passport_key"),
        Index("ix_client_referrer_id", "referrer_id"),
        Index("ix_client_created_at", "created_at", "desk_id", "client_type"),  # reports: a period's new clients
        Index("ix_client_possible_duplicate", "possible_duplicate"),  # F3: the few flagged cards
        # the floor: the few do-not-disturb cards (their list memberships are looked up from them)
        Index("ix_client_dnd", "id", sqlite_where=text("do_not_disturb = 1"), postgresql_where=text("do_not_disturb")),
        # views (M5): the conditions a view serves from an index; a date range with the desk rule
        # is counted from the index alone
        Index("ix_client_desk_id", "desk_id"),
        Index("ix_client_responsible_id", "responsible_id"),
        Index("ix_client_last_note_at", "last_note_at", "desk_id"),
        Index("ix_client_last_call_at", "last_call_at", "desk_id"),
        Index("ix_client_last_contact_at", "last_contact_at", "desk_id"),
        Index("ix_client_last_deposit_at", "last_deposit_at", "desk_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    surname: str
    first_name: str
    patronymic: str = ""
    name_key: str = Field(sa_type=_KEY)  # core.clients.names.name_key
    name_latin: str = Field(sa_type=_KEY)  # core.clients.names.latin_key
    birth_date: date | None = None
    client_type: str  # core.vocab.ClientType
    lifecycle: str = "lead"  # core.vocab.Lifecycle
    region_id: int | None = Field(default=None, foreign_key="region.id")
    town_id: int | None = Field(default=None, foreign_key="town.id")
    passport_series: str | None = None
    passport_number: str | None = None
    passport_key: str | None = None
    desk_id: int | None = Field(default=None, foreign_key="desk.id")
    responsible_id: int | None = Field(default=None, foreign_key="employee.id")
    referrer_id: int | None = Field(default=None, foreign_key="client.id")
    do_not_disturb: bool = False
    possible_duplicate: bool = False
    merged_into: int | None = Field(default=None, foreign_key="client.id", index=True)  # F3: the survivor
    language: str = Field(default="ru", sa_column_kwargs={"server_default": "ru"})  # of texts sent to the client
    online_until: datetime | None = None  # C14: the last login or heartbeat + the timeout; logout clears it
    last_seen_at: datetime | None = None  # C14: the newest presence event applied
    live_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})  # raised by platform changes
    created_at: datetime
    personal_version: int = 1
    contact_version: int = 1
    # the seed's derived dates (M5), kept by storage.activity with each history entry
    last_note_at: datetime | None = None
    last_call_at: datetime | None = None
    last_contact_at: datetime | None = None
    last_deposit_at: datetime | None = None  # no deposits yet: the hook of trading


class PhoneRow(SQLModel, table=True):
    __tablename__ = "phone"
    # both read from the index alone: a number's cards (search), a card's numbers (the summaries)
    __table_args__ = (
        Index("ix_phone_e164_client", "e164", "client_id"),
        Index("ix_phone_client_e164", "client_id", "e164"),
    )
    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id")
    e164: str
    kind: str = "mobile"  # core.vocab.PhoneKind
    status: str = "active"  # core.vocab.PhoneStatus
    strike_reason: str | None = None  # core.vocab.StrikeReason


class EmailRow(SQLModel, table=True):
    __tablename__ = "email"
    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    address: str
    address_key: str = Field(index=True)  # casefolded


class CampaignRow(SQLModel, table=True):
    __tablename__ = "campaign"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True)
    name: str
    active: bool = True
    script: str = ""  # the TOML script (K2)
    desk_id: int | None = Field(default=None, foreign_key="desk.id")
    # K16, per campaign (core.calls.campaigns); None: the defaults of core.calls.rules
    priority: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    call_start: str | None = Field(default=None, max_length=5)  # HH:MM local
    call_end: str | None = Field(default=None, max_length=5)
    retry_first_min: int | None = None
    retry_next_min: int | None = None
    max_attempts: int | None = None
    script_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})  # campaign_script.version


class CampaignMemberRow(SQLModel, table=True):
    """A client on a campaign's call list (K16)."""

    __tablename__ = "campaign_member"
    __table_args__ = (
        Index("ix_campaign_member_due", "campaign_id", "next_call_at"),
        Index("ix_campaign_member_state", "state", "campaign_id", "next_call_at"),  # the floor's counts
        Index("ix_campaign_member_client_id", "client_id", "campaign_id"),  # a client's lists (funnel)
    )
    campaign_id: int = Field(foreign_key="campaign.id", primary_key=True)
    client_id: int = Field(foreign_key="client.id", primary_key=True)
    state: str = "new"  # new | callback | done
    next_call_at: datetime | None = None
    attempts: int = 0
    last_call_at: datetime | None = None


class ProductRow(SQLModel, table=True):
    __tablename__ = "product"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True)
    category: str  # core.vocab.ProductCategory
    name: str
    is_card: bool = False  # K10: a card product asks the delivery method


class ClientProductRow(SQLModel, table=True):
    __tablename__ = "client_product"
    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    product_id: int = Field(foreign_key="product.id")
    contract: str | None = None
    opened_on: date
    closed_on: date | None = None
    amount: Decimal | None = Field(default=None, sa_column=Column(Numeric(14, 2)))
    currency: str = "RUB"


class CardTransactionRow(SQLModel, table=True):
    __tablename__ = "card_transaction"
    __table_args__ = (Index("ix_card_transaction_client_at", "client_id", "at"),)
    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id")
    client_product_id: int | None = Field(default=None, foreign_key="client_product.id")
    at: datetime
    kind: str  # core.vocab.TransactionKind
    amount: Decimal = Field(sa_column=Column(Numeric(14, 2), nullable=False))
    currency: str = "RUB"
    description: str | None = None


class OfficeRow(SQLModel, table=True):
    __tablename__ = "office"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True)
    name: str
    region_id: int = Field(foreign_key="region.id")
    town_id: int = Field(foreign_key="town.id", index=True)
    address: str
    keywords: str = ""  # metro stations, streets, landmarks (O1)
    hours: str = ""
    phone: str | None = None
    timezone: str | None = Field(default=None, max_length=64)  # IANA zone; None: settings.timezone


class OfficeSlotRow(SQLModel, table=True):
    """A visiting time of an office; at most `capacity` visitors (O2), enforced by the CHECK."""

    __tablename__ = "office_slot"
    __table_args__ = (
        UniqueConstraint("office_id", "starts_at"),
        CheckConstraint("booked >= 0 AND booked <= capacity", name="ck_office_slot_capacity"),
    )
    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id")
    starts_at: datetime
    capacity: int = 5
    booked: int = 0


class ContactRow(SQLModel, table=True):
    """One entry of the contact history: a call, SMS, visit, comment or status change."""

    __tablename__ = "contact"
    __table_args__ = (
        # a card's history in order; covering what the first-call and funnel reports read
        Index("ix_contact_client_at", "client_id", "at", "kind", "result", "employee_id", "campaign_id"),
        # reports: a period's calls, covering what the calls and periods reports read
        Index("ix_contact_at", "at", "kind", "employee_id", "result", "ended_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id")
    kind: str  # core.vocab.ContactKind
    at: datetime
    ended_at: datetime | None = None
    campaign_id: int | None = Field(default=None, foreign_key="campaign.id")
    result: str | None = None
    reason: str | None = None
    comment: str | None = None
    employee_id: int | None = Field(default=None, foreign_key="employee.id")
    phone: str | None = None
    office_id: int | None = Field(default=None, foreign_key="office.id")
    visit_at: datetime | None = None
    next_at: datetime | None = None


class ContactProductRow(SQLModel, table=True):
    """Products offered in a contact (C5, O4)."""

    __tablename__ = "contact_product"
    contact_id: int = Field(foreign_key="contact.id", primary_key=True)
    product_id: int = Field(foreign_key="product.id", primary_key=True)


class BookingRow(SQLModel, table=True):
    __tablename__ = "booking"
    id: int | None = Field(default=None, primary_key=True)
    slot_id: int = Field(foreign_key="office_slot.id", index=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    contact_id: int | None = Field(default=None, foreign_key="contact.id")
    created_at: datetime


class ContactChangeRow(SQLModel, table=True):
    """Contact-data change audit (C10)."""

    __tablename__ = "contact_change"
    __table_args__ = (Index("ix_contact_change_client_at", "client_id", "at"),)
    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id")
    at: datetime
    field: str  # core.vocab.ChangeField
    old: str | None = None
    new: str | None = None
    reason: str | None = None
    employee_id: int | None = Field(default=None, foreign_key="employee.id")
    comment: str | None = None


class SmsTemplateRow(SQLModel, table=True):
    __tablename__ = "sms_template"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True)
    name: str
    text: str  # in the default client language (Russian)
    texts: str | None = None  # JSON: language -> text


class SmsOutboxRow(SQLModel, table=True):
    """Messages waiting for the gateway (I2); nothing is lost while it is down."""

    __tablename__ = "sms_outbox"
    __table_args__ = (Index("ix_sms_outbox_status_after", "status", "send_after"),)
    id: int | None = Field(default=None, primary_key=True)
    to: str
    text: str
    status: str = "queued"  # core.vocab.SmsStatus
    purpose: str  # core.vocab.SmsPurpose
    created_at: datetime
    send_after: datetime | None = None
    sent_at: datetime | None = None
    client_id: int | None = Field(default=None, foreign_key="client.id", index=True)
    employee_id: int | None = Field(default=None, foreign_key="employee.id")
    template_code: str | None = None
    # delivery by the worker (core.delivery): tries so far, the next one, the claim, the last error
    attempts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    next_try_at: datetime | None = None
    claim_token: str | None = Field(default=None, max_length=40)
    claimed_until: datetime | None = None
    error: str | None = Field(default=None, max_length=300)


metadata = SQLModel.metadata


# --- reports (R5) -------------------------------------------------------------------------------


class ReportExportRow(SQLModel, table=True):
    """Append-only audit of report files taken out of the system (R5): who, when, what, which filters."""

    __tablename__ = "report_export"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    employee_id: int | None = Field(default=None, foreign_key="employee.id")
    login: str
    report: str
    format: str
    filters: str  # the filter as JSON
    rows: int


from storage import (  # noqa: E402,F401
    tables_access,
    tables_admin,
    tables_assign,
    tables_automation,
    tables_custody,
    tables_delivery,
    tables_floor,
    tables_imports,
    tables_jobs,
    tables_tasks,
    tables_trading,
    tables_work,
)
