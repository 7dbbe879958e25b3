"""Request and response shapes of the Console port.

One definition serves the local console, the HTTP API, the remote client and the CLI's `--json`.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, Field


class Shape(BaseModel):
    model_config = {"extra": "forbid"}


# --- people and sign-in -------------------------------------------------------------------


class EmployeeInfo(Shape):
    id: int
    login: str
    full_name: str
    role: str
    role_name: str
    permissions: list[str]
    desk_ids: list[int]
    desks: list[str]


class SignInChallenge(Shape):
    challenge_id: str
    channel: str  # "sms" or "totp"
    sent_to: str | None = None  # masked mobile the code went to


class SessionInfo(Shape):
    employee: EmployeeInfo
    access_token: str | None = None
    expires_at: datetime | None = None


# --- reference data -----------------------------------------------------------------------


class Region(Shape):
    id: int
    name: str


class Town(Shape):
    id: int
    region_id: int
    name: str


class Desk(Shape):
    id: int
    name: str


class SmsTemplate(Shape):
    code: str
    name: str
    text: str


# --- search and card ----------------------------------------------------------------------


class ClientSummary(Shape):
    id: int
    full_name: str
    birth_date: date | None
    client_type: str
    lifecycle: str
    region: str | None
    town: str | None
    desk: str | None
    phones: list[str]  # E.164, or "Call" where masked
    matched_by: str = ""


class Phone(Shape):
    id: int
    number: str  # E.164, or "Call" where masked
    kind: str
    status: str
    strike_reason: str | None = None
    masked: bool = False


class Email(Shape):
    id: int
    address: str
    masked: bool = False


class HistoryEntry(Shape):
    id: int
    at: datetime
    ended_at: datetime | None = None
    duration_s: int | None = None
    kind: str
    campaign: str | None = None
    result: str | None = None
    reason: str | None = None
    comment: str | None = None
    employee: str | None = None
    products: list[str] = Field(default_factory=list)
    phone: str | None = None
    office: str | None = None
    visit_at: datetime | None = None


class ClientProduct(Shape):
    id: int
    category: str
    product: str
    contract: str | None = None
    opened_on: date
    closed_on: date | None = None
    amount: Decimal | None = None
    currency: str = "RUB"
    status: str  # "current" or "closed"


class CardTransaction(Shape):
    id: int
    at: datetime
    kind: str
    amount: Decimal
    currency: str = "RUB"
    description: str | None = None
    product: str | None = None


class ContactChange(Shape):
    id: int
    at: datetime
    field: str
    old: str | None
    new: str | None
    reason: str | None = None
    employee: str | None = None
    comment: str | None = None


class LinkedCard(Shape):
    id: int
    full_name: str
    client_type: str
    created_at: datetime


class ClientCard(Shape):
    id: int
    surname: str
    first_name: str
    patronymic: str
    full_name: str
    birth_date: date | None
    client_type: str
    lifecycle: str
    region_id: int | None
    region: str | None
    town_id: int | None
    town: str | None
    passport_series: str | None
    passport_number: str | None
    desk_id: int | None
    desk: str | None
    responsible: str | None
    referrer_id: int | None
    referrer: str | None
    do_not_disturb: bool
    possible_duplicate: bool
    created_at: datetime
    personal_version: int
    contact_version: int
    phones: list[Phone]
    emails: list[Email]
    history: list[HistoryEntry]  # newest first; the first page only
    history_total: int
    products: list[ClientProduct]  # current
    closed_products: list[ClientProduct]
    transactions: list[CardTransaction]
    linked: list[LinkedCard]
    changes: list[ContactChange]  # newest first
    personal_editable: bool = False
    personal_readonly_reason: str | None = None
    contacts_editable: bool = False
    contacts_readonly_reason: str | None = None


# --- edits --------------------------------------------------------------------------------


class PersonalEdit(Shape):
    """The personal block (S7). `expected_version` guards against lost updates."""

    surname: str
    first_name: str
    patronymic: str = ""
    birth_date: date | None = None
    region_id: int | None = None
    town_id: int | None = None
    expected_version: int
    reason: str | None = None
    comment: str | None = None


class PhoneInput(Shape):
    id: int | None = None  # None adds a phone
    number: str
    kind: str = "mobile"


class EmailInput(Shape):
    id: int | None = None
    address: str


class ContactEdit(Shape):
    """The contact block: numbers and e-mails; every changed value gets an audit row (C10)."""

    phones: list[PhoneInput] = Field(default_factory=list)
    emails: list[EmailInput] = Field(default_factory=list)
    expected_version: int
    reason: str | None = None
    comment: str | None = None


class PhoneStrike(Shape):
    phone_id: int
    reason: str
    comment: str | None = None
    expected_version: int


class NewClient(Shape):
    """The new potential client questionnaire (K17)."""

    surname: str
    first_name: str
    patronymic: str = ""
    birth_date: date | None = None
    client_type: str = "interested"
    region_id: int | None = None
    town_id: int | None = None
    passport_series: str | None = None
    passport_number: str | None = None
    phones: list[str] = Field(default_factory=list)
    email: str | None = None
    referrer_id: int | None = None
    comment: str | None = None


class OutboxItem(Shape):
    id: int
    to: str
    text: str
    status: str
    purpose: str
    created_at: datetime
    send_after: datetime | None = None
    client_id: int | None = None
