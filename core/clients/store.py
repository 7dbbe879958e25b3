"""What search, the card and new clients need from a store (`storage.repo_search`, `storage.repo_clients`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

from core.clients.models import (
    ClientCard,
    ClientSummary,
    Email,
    HistoryEntry,
    OutboxItem,
    Phone,
    Region,
    SmsTemplate,
    Town,
)
from core.idempotency import IdempotencyClaim, IdempotencyRecord
from core.outbox import NewSms

if TYPE_CHECKING:
    from core.clients.search import Lookup


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
class NewHistory:
    kind: str
    at: datetime
    employee_id: int | None
    comment: str | None = None
    phone: str | None = None
    result: str | None = None
    reason: str | None = None


@dataclass
class HistoryPage:
    """A page of a client's history with what the desk rule needs: the card it belongs to (F3: the
    survivor of a merged-away id) and that card's desk."""

    client_id: int
    desk_id: int | None
    entries: list[HistoryEntry]


@dataclass(frozen=True)
class ClientHead:
    """The slim read of a client for an operation that names one: the card found (F3: the survivor
    of a merged-away id), its desk for the desk rule, and the few fields the operations use."""

    id: int
    desk_id: int | None
    surname: str
    first_name: str
    patronymic: str
    language: str | None
    do_not_disturb: bool
    birth_date: date | None
    passport_series: str | None
    passport_number: str | None


@dataclass(frozen=True)
class CardBlocks:
    """The card's two editable blocks as an edit's rules, version check and audit compare them
    (C4-C10): the survivor of a merged-away id, its desk, type, personal fields with the region's
    and town's names, both versions, the phones and e-mails; not the whole card."""

    id: int
    desk_id: int | None
    client_type: str
    surname: str
    first_name: str
    patronymic: str
    birth_date: date | None
    region: str | None
    town: str | None
    personal_version: int
    contact_version: int
    phones: list[Phone]
    emails: list[Email]


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


class ClientsStore(Protocol):
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
    def client_history(self, client_id: int, offset: int, limit: int) -> HistoryPage | None: ...
    def client_head(self, client_id: int) -> ClientHead | None:
        """One statement: the client's head (after a merge: the survivor's), not the whole card."""
        ...

    def client_phone(self, client_id: int, phone_id: int) -> Phone | None: ...
    def card_blocks(self, client_id: int) -> CardBlocks | None:
        """The card's editable blocks in one read (after a merge: the survivor's): three statements."""
        ...

    def update_personal(
        self,
        client_id: int,
        expected_version: int,
        values: dict[str, object],
        audits: list[Audit],
        employee_id: int | None,
        at: datetime,
    ) -> bool: ...
    def update_contacts(
        self,
        client_id: int,
        expected_version: int,
        ops: list[ContactOp],
        audits: list[Audit],
        employee_id: int | None,
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
