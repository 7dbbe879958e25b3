"""Campaigns, the script, results and saving a call over HTTP (`core.calls.port.CallsPort`)."""

from __future__ import annotations

import uuid
from datetime import date

from core.calls.inputs import CallResult, CallState
from core.calls.models import CallListInfo, CallStart, CampaignInfo, CreditDecision, ResultOption, ScriptInfo
from core.clients.models import ClientCard, HistoryEntry
from storage.remote.base import RemoteBase, _id


class RemoteCalls(RemoteBase):
    def campaigns_for(self, client_id: int) -> list[CampaignInfo]:
        return self._get(f"/clients/{_id(client_id)}/campaigns", list[CampaignInfo])

    def call_lists(self) -> list[CallListInfo]:
        return self._get("/call-lists", list[CallListInfo])

    def next_client(self, campaign_id: int) -> ClientCard | None:
        return self._send("POST", f"/campaigns/{_id(campaign_id)}/next-client", ClientCard | None)

    def start_call(self, client_id: int, campaign_id: int, phone_id: int | None = None) -> CallStart:
        body = {"campaign_id": campaign_id, "phone_id": phone_id}
        return self._send("POST", f"/clients/{_id(client_id)}/calls/start", CallStart, body)

    def script(self, campaign_id: int) -> ScriptInfo:
        return self._get(f"/campaigns/{_id(campaign_id)}/script", ScriptInfo)

    def result_options(self, client_id: int, campaign_id: int, state: CallState | None = None) -> list[ResultOption]:
        body = {"campaign_id": campaign_id, "state": state.model_dump(mode="json") if state else None}
        return self._send("POST", f"/clients/{_id(client_id)}/calls/options", list[ResultOption], body)

    def credit_decision(
        self,
        client_id: int,
        campaign_id: int,
        state: CallState,
        passport_series: str | None = None,
        passport_number: str | None = None,
        birth_date: date | None = None,
    ) -> CreditDecision:
        body = {
            "campaign_id": campaign_id,
            "state": state.model_dump(mode="json"),
            "passport_series": passport_series,
            "passport_number": passport_number,
            "birth_date": birth_date.isoformat() if birth_date else None,
        }
        return self._send("POST", f"/clients/{_id(client_id)}/calls/credit-decision", CreditDecision, body)

    def save_call(self, call: CallResult, idempotency_key: str | None = None) -> HistoryEntry:
        """Safe to retry like send_sms: one key per call of this method unless the caller gives one."""
        key = idempotency_key or f"crm-{uuid.uuid4()}"
        return self._send("POST", "/calls", HistoryEntry, call, headers={"Idempotency-Key": key}, retries=2)
