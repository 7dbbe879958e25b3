"""What the call needs from a store: campaigns, their lists, the call's one-transaction save (`storage.repo_calls`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from core.calls.rules import RetryPolicy
from core.clients.models import HistoryEntry
from core.clients.store import NewHistory
from core.clock import DEFAULT_TZ
from core.idempotency import IdempotencyClaim, IdempotencyRecord
from core.offices.models import Office, OfficeSlot
from core.outbox import NewSms


@dataclass
class CampaignRecord:
    id: int
    code: str
    name: str
    active: bool
    script: str
    desk_id: int | None
    retry: RetryPolicy = field(default_factory=RetryPolicy)  # K16, per campaign
    script_version: int = 0


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
    """Who may be handed out (K16); the thresholds come from core.calls.rules."""

    desk_ids: list[int] | None
    now: datetime
    recent_before: datetime  # skip clients called after this, unless a call-back is due
    max_attempts: int
    hold_until: datetime  # a claimed client is not handed out again before this
    # Calling hours (core.calls.rules.open_zones): only clients whose zone is one of `zones`; the
    # zone is the region's, else the client's desk's, else `default_tz`. None: no restriction.
    zones: list[str] | None = None
    default_tz: str = DEFAULT_TZ


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
    employee_id: int | None
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
    claim: IdempotencyClaim | None = None  # the key stored with the answer, in the same transaction


@dataclass
class CallAsk:
    """Which facts a call needs: the optional parts (slot, office, key) are read only when given."""

    campaign_id: int
    client_id: int
    employee_id: int
    now: datetime
    slot_id: int | None = None
    office_id: int | None = None
    idempotency_key: str | None = None
    session: str | None = None  # the console session on the live floor (start_call marks it in a call)


@dataclass
class PhoneFact:
    id: int
    number: str
    kind: str
    status: str


@dataclass
class CallClient:
    id: int
    desk_id: int | None
    do_not_disturb: bool
    surname: str
    first_name: str
    patronymic: str
    region: str | None
    town: str | None
    language: str | None


@dataclass
class CallRead:
    """The slim read of a call: just what the call rules need, in one round trip."""

    campaign: CampaignRecord | None
    client: CallClient | None
    phones: list[PhoneFact]
    member: MemberRecord | None
    employee: str | None  # the acting employee's name, as the history shows it
    last_agreed_at: datetime | None = None
    booking: BookingRecord | None = None  # the client's upcoming office visit
    slot: OfficeSlot | None = None
    office: Office | None = None
    replay: IdempotencyRecord | None = None  # the first answer under the same idempotency key


@dataclass
class StartPlan:
    """A call about to start: the member is marked taken until `hold_until`."""

    now: datetime
    hold_until: datetime
    phone: PhoneFact


class CallsStore(Protocol):
    def campaigns(self, desk_ids: list[int] | None) -> list[CampaignRecord]:
        """Active campaigns of the given desks (None: every desk); a campaign without a desk is everyone's."""
        ...

    def campaign(self, campaign_id: int) -> CampaignRecord | None: ...
    def call_zones(self) -> list[str]:
        """The time zones set on regions and desks (reference data, kept in memory)."""
        ...

    def set_campaign_script(self, campaign_id: int, text: str) -> None: ...
    def member(self, campaign_id: int, client_id: int) -> MemberRecord | None: ...
    def client_campaigns(self, client_id: int) -> list[tuple[CampaignRecord, MemberRecord]]: ...
    def claim_next(self, campaign_id: int, query: CallListQuery) -> int | None:
        """The next client of the list, marked taken in the same transaction (no double hand-out)."""
        ...

    def call_list_counts(self, campaign_id: int, query: CallListQuery) -> tuple[int, int, int]:
        """(due call-backs, fresh, due retries) an employee would be handed."""
        ...

    def last_result_at(self, client_id: int, result: str) -> datetime | None: ...
    def upcoming_booking(self, client_id: int, now: datetime) -> BookingRecord | None: ...
    def start_call(self, ask: CallAsk, decide: Callable[[CallRead], StartPlan]) -> tuple[CallRead, StartPlan]:
        """Read the call's facts, let `decide` (the rules) plan the start, write it: one transaction."""
        ...

    def record_call(
        self, ask: CallAsk, decide: Callable[[CallRead], NewCall | None]
    ) -> tuple[CallRead, HistoryEntry | None]:
        """Read the call's facts, let `decide` build the call (None: nothing to write, a replay),
        write the contact row, products, booking, follow-up, SMS, do-not-disturb and the key: ONE
        transaction; the entry is None when nothing was written.

        Raises core.calls.rules.SlotFull when the slot has no place left, core.errors.Conflict when
        the campaign member changed meanwhile, IdempotencyRace when the key was taken meanwhile.
        """
        ...
