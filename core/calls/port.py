"""The calls area's part of the Console port: campaigns, call lists, the script, results (K1-K17, C11)."""

from __future__ import annotations

from datetime import date
from typing import Protocol

from core.calls.inputs import CallResult, CallState
from core.calls.models import CallListInfo, CallStart, CampaignInfo, CreditDecision, ResultOption, ScriptInfo
from core.clients.models import ClientCard, HistoryEntry


class CallsPort(Protocol):
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
