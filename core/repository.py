"""The repository port: what the core services need from a store.

`storage.sql_repository.SqlRepository` implements it over SQLite or PostgreSQL. Every method
that writes does so in one transaction: all of it or nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

from core.idempotency import IdempotencyClaim, IdempotencyRecord
from core.models import (
    ClientCard,
    ClientSummary,
    EmployeeInfo,
    HistoryEntry,
    Office,
    OfficeSlot,
    OutboxItem,
    ProductOption,
    Region,
    SmsTemplate,
    Town,
)

if TYPE_CHECKING:
    from core.search import Lookup
    from core.throttle import AttemptCount


@dataclass
class EmployeeRecord:
    id: int
    login: str
    full_name: str
    password_hash: str
    active: bool
    mobile: str | None
    totp_secret: str | None
    totp_last_counter: int | None


@dataclass
class ChallengeRecord:
    id: str
    employee_id: int
    channel: str
    digest: str | None
    expires_at: datetime
    used_at: datetime | None
    attempts: int


@dataclass
class Audit:
    """One row of the contact-data change history (C10)."""

    field: str
    old: str | None
    new: str | None
    reason: str | None = None
    comment: str | None = None


@dataclass
class ContactOp:
    """One change of the contact block. `id=None` adds; `value=None` removes (e-mail only)."""

    kind: str  # "phone" or "email"
    id: int | None
    value: str | None
    phone_kind: str | None = None
    status: str | None = None
    strike_reason: str | None = None


@dataclass
class NewSms:
    to: str
    text: str
    purpose: str
    created_at: datetime
    send_after: datetime | None = None
    client_id: int | None = None
    employee_id: int | None = None
    template_code: str | None = None


@dataclass
class NewHistory:
    kind: str
    at: datetime
    employee_id: int | None
    comment: str | None = None
    phone: str | None = None
    result: str | None = None
    reason: str | None = None


@dataclass
class ClientDraft:
    surname: str
    first_name: str
    patronymic: str
    name_key: str
    name_latin: str
    birth_date: date | None
    client_type: str
    lifecycle: str
    region_id: int | None
    town_id: int | None
    passport_series: str | None
    passport_number: str | None
    passport_key: str | None
    desk_id: int | None
    responsible_id: int | None
    referrer_id: int | None
    possible_duplicate: bool
    created_at: datetime
    phones: list[tuple[str, str]] = field(default_factory=list)  # (e164, kind)
    emails: list[tuple[str, str]] = field(default_factory=list)  # (address, key)


class Repository(Protocol):
    # people
    def employee_by_login(self, login: str) -> EmployeeRecord | None: ...
    def employee_info(self, employee_id: int) -> EmployeeInfo | None: ...
    def replace_password_hash(self, employee_id: int, old_hash: str, new_hash: str) -> bool:
        """The same password under new hash parameters, only if the hash is still `old_hash` (a
        password changed meanwhile wins); tokens stay valid: auth_version is not changed."""
        ...

    def create_challenge(self, challenge: ChallengeRecord, sms: NewSms | None) -> None: ...
    def challenge(self, challenge_id: str) -> ChallengeRecord | None: ...
    def take_code_attempt(self, challenge_id: str, max_attempts: int, now: datetime) -> bool:
        """Count one code attempt if the challenge is alive and below `max_attempts` (one conditional
        UPDATE ... RETURNING); False when it is not: the code is then not checked at all."""
        ...

    def use_challenge(self, challenge_id: str, at: datetime, totp_counter: int | None, redacted: str) -> bool:
        """Mark the challenge used (single use) and overwrite its SMS text with `redacted`."""
        ...

    def redact_sign_in_codes(self, now: datetime, redacted: str) -> int:
        """Overwrite the text of the sign-in code SMS of challenges expired by `now`."""
        ...

    def code_key(self) -> bytes:
        """The server secret that keys the code digests; kept outside the database."""
        ...

    def update_attempts(
        self, keys: list[str], step: Callable[[dict[str, AttemptCount]], dict[str, AttemptCount | None] | int]
    ) -> dict[str, AttemptCount | None] | int:
        """Run `step` on the counters of `keys`, locked (missing ones absent); write what it returns
        (None deletes a counter) unless it returns an int (a refusal: nothing is written)."""
        ...

    def record_audit(self, event: AuditEvent) -> None: ...

    # search
    def ids_by_phone(self, e164: str, desk_ids: list[int] | None, limit: int) -> list[int]: ...
    def ids_by_name(self, column: str, low: str, high: str, desk_ids: list[int] | None, limit: int) -> list[int]: ...
    def ids_by_passport(self, key: str, desk_ids: list[int] | None, limit: int) -> list[int]: ...
    def ids_by_email(self, key: str, desk_ids: list[int] | None, limit: int) -> list[int]: ...
    def ids_by_id(self, client_id: int, desk_ids: list[int] | None) -> list[int]: ...
    def summaries(self, ids: list[int]) -> list[ClientSummary]: ...
    def search(self, lookups: list[Lookup], desk_ids: list[int] | None, limit: int) -> list[ClientSummary]:
        """Every lookup, then the summaries of the first `limit` ids found, in the order found, on one
        connection and one read transaction; `matched_by` is the kind of the first lookup that
        found the client ("latin" counts as "name")."""
        ...

    # the card
    def card(self, client_id: int, history_limit: int) -> ClientCard | None: ...
    def history(self, client_id: int, offset: int, limit: int) -> list[HistoryEntry]: ...
    def update_personal(
        self,
        client_id: int,
        expected_version: int,
        values: dict[str, object],
        audits: list[Audit],
        employee_id: int,
        at: datetime,
    ) -> bool: ...
    def update_contacts(
        self,
        client_id: int,
        expected_version: int,
        ops: list[ContactOp],
        audits: list[Audit],
        employee_id: int,
        at: datetime,
    ) -> bool: ...
    def add_history(self, client_id: int, entry: NewHistory) -> HistoryEntry: ...
    def send_client_sms(
        self,
        client_id: int,
        sms: NewSms,
        entry: NewHistory,
        claim: IdempotencyClaim | None = None,
        shown: Callable[[OutboxItem], OutboxItem] | None = None,
    ) -> OutboxItem:
        """With a claim, the key is stored in the same transaction, with the answer as `shown` makes it
        (a masked employee's record never holds the number); IdempotencyRace if it is taken."""
        ...

    def idempotent_response(self, employee_id: int, key: str) -> IdempotencyRecord | None: ...
    def insert_client(self, draft: ClientDraft, entry: NewHistory) -> int: ...

    # reference data
    def regions(self) -> list[Region]: ...
    def towns(self, region_id: int) -> list[Town]: ...
    def town(self, town_id: int) -> Town | None: ...
    def sms_templates(self) -> list[SmsTemplate]: ...
    def outbox(self, limit: int) -> list[OutboxItem]: ...

    # calls (K1-K16), offices (O1-O3), products (O4): storage.repo_calls
    def campaigns(self, desk_ids: list[int] | None) -> list[CampaignRecord]:
        """Active campaigns of the given desks (None: every desk); a campaign without a desk is everyone's."""
        ...

    def campaign(self, campaign_id: int) -> CampaignRecord | None: ...
    def set_campaign_script(self, campaign_id: int, text: str) -> None: ...
    def member(self, campaign_id: int, client_id: int) -> MemberRecord | None: ...
    def client_campaigns(self, client_id: int) -> list[tuple[CampaignRecord, MemberRecord]]: ...
    def claim_next(self, campaign_id: int, query: CallListQuery) -> int | None:
        """The next client of the list, marked taken in the same transaction (no double hand-out)."""
        ...

    def claim_member(self, campaign_id: int, client_id: int, now: datetime, hold_until: datetime) -> bool:
        """Mark a listed client taken by a call started from the card; False if not on the list."""
        ...

    def call_list_counts(self, campaign_id: int, query: CallListQuery) -> tuple[int, int, int]:
        """(due call-backs, fresh, due retries) an employee would be handed."""
        ...

    def offices(self, region_id: int | None, town_id: int | None) -> list[Office]: ...
    def office(self, office_id: int) -> Office | None: ...
    def office_slots(self, office_id: int, start: datetime, end: datetime, now: datetime) -> list[OfficeSlot]: ...
    def slot(self, slot_id: int, now: datetime) -> OfficeSlot | None: ...
    def products(self) -> list[ProductOption]: ...
    def last_result_at(self, client_id: int, result: str) -> datetime | None: ...
    def upcoming_booking(self, client_id: int, now: datetime) -> BookingRecord | None: ...
    def save_call(self, call: NewCall, claim: IdempotencyClaim | None = None) -> HistoryEntry:
        """Contact row, products, booking, follow-up, SMS and do-not-disturb in ONE transaction.

        Raises core.call_rules.SlotFull when the slot has no place left, core.errors.Conflict when
        the campaign member changed meanwhile, IdempotencyRace when the key was taken meanwhile.
        """
        ...


# --- records of the call store --------------------------------------------------------------


@dataclass
class CampaignRecord:
    id: int
    code: str
    name: str
    active: bool
    script: str
    desk_id: int | None


@dataclass
class MemberRecord:
    campaign_id: int
    client_id: int
    state: str
    next_call_at: datetime | None
    attempts: int
    last_call_at: datetime | None


@dataclass
class CallListQuery:
    """Who may be handed out (K16); the thresholds come from core.call_rules."""

    desk_ids: list[int] | None
    now: datetime
    recent_before: datetime  # skip clients called after this, unless a call-back is due
    max_attempts: int
    hold_until: datetime  # a claimed client is not handed out again before this


@dataclass
class BookingRecord:
    id: int
    slot_id: int
    office_id: int
    starts_at: datetime


@dataclass
class MemberUpdate:
    expected_attempts: int  # the member as read; a concurrent save makes the write fail (Conflict)
    state: str
    next_call_at: datetime | None
    attempts: int
    last_call_at: datetime


@dataclass
class NewCall:
    client_id: int
    campaign_id: int
    employee_id: int
    at: datetime
    ended_at: datetime
    result: str
    reason: str | None
    comment: str | None
    phone: str | None
    member: MemberUpdate
    office_id: int | None = None
    visit_at: datetime | None = None
    next_at: datetime | None = None
    product_ids: list[int] = field(default_factory=list)
    book_slot_id: int | None = None
    release_booking_id: int | None = None  # changed visit date: the old place is given back
    sms: NewSms | None = None
    sms_entry: NewHistory | None = None
    set_do_not_disturb: bool = False


# --- sign-in guard and audit (core.throttle) --------------------------------------------------


@dataclass
class AuditEvent:
    """One line of the security audit log: who, what, when, from where. Never a password."""

    at: datetime
    event: str  # sign_in_failed | code_failed | throttled | duplicate_check | ...
    address: str | None = None
    login: str | None = None
    employee_id: int | None = None
    detail: str | None = None
