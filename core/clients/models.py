"""The shapes of clients: search rows, the card, history, SMS, reference data (F1-F3, C1-C12).

One definition serves the local console, the HTTP API, the remote client and the CLI's `--json`;
the inputs, with their limits, are in `core.clients.inputs`.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import Field

from core.shapes import Shape


class Region(Shape):
    id: int
    name: str


class Town(Shape):
    id: int
    region_id: int
    name: str


class SmsTemplate(Shape):
    code: str
    name: str
    text: str  # the text in the default client language (Russian)
    texts: dict[str, str] = {}  # language -> text (core.clients.card_rules.client_text picks one)


class ClientSummary(Shape):
    id: int
    full_name: str
    birth_date: date | None
    client_type: str
    lifecycle: str
    region: str | None
    town: str | None
    desk: str | None
    phones: list[str]  # E.164, or `**89` (core.access.rules.phone_tail) where masked: "Call …89"
    matched_by: str = ""
    online_until: datetime | None = None  # C14: from the platform's presence events (core.trading.rules)
    online: bool = False  # C14: a Live client in the platform now


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
    next_at: datetime | None = None  # call back / think: when the next call is due (K4, K6)


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
    desk_id: int | None = None


class LastAction(Shape):
    """M4: the client's current funnel stage, shown on the card: the action due last."""

    type_name: str
    due_at: datetime
    done_at: datetime | None


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
    referrer_desk_id: int | None = None
    # S4: a referrer or linked cards of desks the reader may not see are named nowhere; only their
    # existence shows (core.access.visible_links)
    referrer_hidden: bool = False
    linked_hidden: int = 0
    do_not_disturb: bool
    language: str = "ru"  # the language of texts sent to the client (core.clients.card_rules)
    online_until: datetime | None = None  # C14 (core.trading.rules.is_online)
    online: bool = False
    broker_desk: bool = False  # the client's desk is a broker's (C13)
    shows_stage: bool = False  # C13: the card shows Lead/Demo/Live (core.trading.rules.stage_applies)
    live_version: int = 0  # raised by what the platform changes (core.trading: the live card's pulse)
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
    last_action: LastAction | None = None  # M4
    tags: list[str] = []  # M7, in name order
    personal_editable: bool = False
    personal_readonly_reason: str | None = None
    contacts_editable: bool = False
    contacts_readonly_reason: str | None = None


class OutboxItem(Shape):
    id: int
    to: str
    text: str
    status: str
    purpose: str
    created_at: datetime
    send_after: datetime | None = None
    client_id: int | None = None
    channel: str = "sms"  # or "email" (I3); the e-mail's subject then
    subject: str | None = None
    sent_at: datetime | None = None
    attempts: int = 0
    error: str | None = None  # why it failed, or why the last try did (no client data)
