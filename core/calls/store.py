"""What the call needs from a store: campaigns, their lists, the call's one-transaction save (`storage.repo_calls`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from core.calls.rules import RetryPolicy
from core.clients.models import HistoryEntry
from core.clients.store import NewHistory
from core.idempotency import IdempotencyClaim
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


class CallsStore(Protocol):
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

    def last_result_at(self, client_id: int, result: str) -> datetime | None: ...
    def upcoming_booking(self, client_id: int, now: datetime) -> BookingRecord | None: ...
    def save_call(self, call: NewCall, claim: IdempotencyClaim | None = None) -> HistoryEntry:
        """Contact row, products, booking, follow-up, SMS and do-not-disturb in ONE transaction.

        Raises core.calls.rules.SlotFull when the slot has no place left, core.errors.Conflict when
        the campaign member changed meanwhile, IdempotencyRace when the key was taken meanwhile.
        """
        ...
