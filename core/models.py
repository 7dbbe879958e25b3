"""Request and response shapes of the Console port.

One definition serves the local console, the HTTP API, the remote client and the CLI's `--json`.
The inputs live in core.inputs (with their limits) and are re-exported here.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import Field

from core.inputs import (  # noqa: F401  (re-exported: callers import every shape from here)
    CallResult,
    CallState,
    ContactEdit,
    EmailInput,
    NewClient,
    PersonalEdit,
    PhoneInput,
    PhoneStrike,
    VisitChoice,
    VisitSms,
)
from core.shapes import Id, Shape  # noqa: F401

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
    text: str  # the text in the default client language (Russian)
    texts: dict[str, str] = {}  # language -> text (core.card_rules.client_text picks one)


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
    language: str = "ru"  # the language of texts sent to the client (core.card_rules)
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


class OutboxItem(Shape):
    id: int
    to: str
    text: str
    status: str
    purpose: str
    created_at: datetime
    send_after: datetime | None = None
    client_id: int | None = None


# --- calls: campaigns, the script, results, offices, products (K1-K17, O1-O4, C11, C16) -----


class CampaignInfo(Shape):
    id: int
    code: str
    name: str
    kind: str = "sales"  # from the script; "borrower_assessment" enables the K5 "depositor" reason
    script_name: str = ""  # the script's own name (Russian, as the scripts are), if it has one
    # The client's place on the campaign's list (filled by `campaigns_for`):
    state: str | None = None  # core.call_rules.MemberState
    next_call_at: datetime | None = None
    attempts: int = 0
    last_call_at: datetime | None = None


class CallListInfo(Shape):
    """A campaign's call list as the employee sees it (K16)."""

    campaign: CampaignInfo
    due_callbacks: int
    fresh: int
    due_retries: int


class ScriptInfo(Shape):
    """The campaign's script (K2): run it with core.scripts.load_script(text) and ScriptRun."""

    campaign_id: int
    code: str
    name: str
    kind: str
    text: str
    problems: list[str] = Field(default_factory=list)  # non-empty: the script cannot be used


class CallStart(Shape):
    client_id: int
    campaign_id: int
    campaign: str
    phone_id: int | None
    phone: str | None  # E.164, or "Call" where masked
    started_at: datetime
    script: ScriptInfo | None
    text_values: dict[str, str | None] = Field(default_factory=dict)  # for core.scripts.render
    state: CallState = Field(default_factory=CallState)


class ReasonOption(Shape):
    code: str
    label: str  # English msgid
    available: bool
    why: str | None = None  # why not, an English msgid
    fields: list[str] = Field(default_factory=list)  # extra fields this reason needs


class PresetOption(Shape):
    code: str
    label: str
    reason: str | None = None
    default_next_at: datetime | None = None
    comment: str | None = None


class ResultOption(Shape):
    """One call result with its availability now and WHY not (K1-K13)."""

    code: str
    label: str  # English msgid
    group: str  # "outcome" (chosen without the script) or "conversation"
    available: bool
    why: str | None = None
    fields: list[str] = Field(default_factory=list)  # reason, next_at, visit, visit_at, products
    reasons: list[ReasonOption] = Field(default_factory=list)
    presets: list[PresetOption] = Field(default_factory=list)
    default_next_at: datetime | None = None
    script_suggests: bool = False  # the script's path ended in this result


class Office(Shape):
    id: int
    code: str
    name: str
    region_id: int
    region: str
    town_id: int
    town: str
    address: str
    keywords: str = ""
    hours: str = ""
    phone: str | None = None
    timezone: str | None = None  # IANA zone of its visiting times; None: the console's zone


class OfficeSlot(Shape):
    id: int
    office_id: int
    starts_at: datetime
    capacity: int
    booked: int
    free: int
    bookable: bool  # in the future and not full


class ProductOption(Shape):
    id: int
    code: str
    category: str  # core.vocab.ProductCategory
    category_label: str
    name: str
    is_card: bool


class CreditDecision(Shape):
    """C11: the credit bureau's pre-decision."""

    decision: str  # "approved" or "declined"
    label: str  # "Approved" / "Declined"
    passport_series: str
    passport_number: str
    birth_date: date
    at: datetime
