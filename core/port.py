"""The Console port: every operation the console needs.

The local service (`core.console.LocalConsole`), the HTTP API serving it and the remote
client (`storage.remote`) all speak this protocol; the TUI never knows which one it has.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from core.models import (
    CallListInfo,
    CallResult,
    CallStart,
    CallState,
    CampaignInfo,
    ClientCard,
    ClientSummary,
    ContactEdit,
    CreditDecision,
    EmployeeInfo,
    HistoryEntry,
    NewClient,
    Office,
    OfficeSlot,
    OutboxItem,
    PersonalEdit,
    PhoneStrike,
    ProductOption,
    Region,
    ResultOption,
    ScriptInfo,
    SessionInfo,
    SignInChallenge,
    SmsTemplate,
    Town,
)
from core.reports.port import ReportsPort


class Console(ReportsPort, Protocol):
    """The union of the areas' ports; the reports' operations come from `core.reports.port.ReportsPort`."""

    # sign-in (S1)
    def sign_in(self, login: str, password: str) -> SignInChallenge: ...
    def verify_code(self, challenge_id: str, code: str) -> SessionInfo: ...
    def sign_out(self) -> None: ...
    def whoami(self) -> EmployeeInfo: ...

    # finding a client (F1-F3)
    def search(self, query: str, limit: int = 50) -> list[ClientSummary]: ...
    def find_duplicates(self, draft: NewClient) -> list[ClientSummary]: ...

    # the card (C1-C12)
    def open_card(self, client_id: int, history_limit: int = 50) -> ClientCard: ...
    def history(self, client_id: int, offset: int = 0, limit: int = 50) -> list[HistoryEntry]: ...
    def edit_personal(self, client_id: int, edit: PersonalEdit) -> ClientCard: ...
    def edit_contacts(self, client_id: int, edit: ContactEdit) -> ClientCard: ...
    def strike_phone(self, client_id: int, strike: PhoneStrike) -> ClientCard: ...
    def add_comment(self, client_id: int, text: str) -> HistoryEntry: ...
    def sms_templates(self) -> list[SmsTemplate]: ...
    def send_sms(
        self,
        client_id: int,
        template_code: str,
        number: str | None = None,
        phone_id: int | None = None,
        idempotency_key: str | None = None,
    ) -> OutboxItem:
        """A retry with the same `idempotency_key` returns the first answer and sends nothing more."""
        ...

    def create_client(self, draft: NewClient, allow_duplicate: bool = False) -> ClientCard: ...

    # reference data
    def regions(self) -> list[Region]: ...
    def towns(self, region_id: int) -> list[Town]: ...

    # the call: campaigns, lists, script, results (K1-K17), offices (O1-O3), products (O4), C11
    def campaigns_for(self, client_id: int) -> list[CampaignInfo]:
        """Active campaigns the client is on that this employee may work, with the client's place."""
        ...

    def call_lists(self) -> list[CallListInfo]: ...
    def next_client(self, campaign_id: int) -> ClientCard | None:
        """K16: the next client (due call-backs first), taken for this employee; None: list empty."""
        ...

    def start_call(self, client_id: int, campaign_id: int, phone_id: int | None = None) -> CallStart: ...
    def script(self, campaign_id: int) -> ScriptInfo: ...
    def result_options(self, client_id: int, campaign_id: int, state: CallState | None = None) -> list[ResultOption]:
        """Every result with `available` and `why` not, its reasons likewise, and default dates."""
        ...

    def offices(
        self, region_id: int | None = None, town_id: int | None = None, keyword: str | None = None
    ) -> list[Office]: ...
    def office(self, office_id: int) -> Office: ...
    def office_slots(self, office_id: int, date_from: date, days: int = 7) -> list[OfficeSlot]: ...
    def products(self) -> list[ProductOption]: ...
    def credit_decision(
        self,
        client_id: int,
        campaign_id: int,
        state: CallState,
        passport_series: str | None = None,
        passport_number: str | None = None,
        birth_date: date | None = None,
    ) -> CreditDecision: ...
    def save_call(self, call: CallResult, idempotency_key: str | None = None) -> HistoryEntry:
        """K15: the call, follow-up, booking, visit SMS and do-not-disturb in one transaction.

        Raises SlotFull (code "slot_full") when the visiting time filled up meanwhile. A retry with
        the same `idempotency_key` returns the first answer and writes nothing more.
        """
        ...
