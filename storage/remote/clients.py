"""Search, the card, SMS and new clients over HTTP (`core.clients.port.ClientsPort`)."""

from __future__ import annotations

import uuid

from core.clients.inputs import ContactEdit, NewClient, PersonalEdit, PhoneStrike
from core.clients.models import ClientCard, ClientSummary, HistoryEntry, OutboxItem, Region, SmsTemplate, Town
from storage.remote.base import RemoteBase, _id


class RemoteClients(RemoteBase):
    # --- finding a client ---------------------------------------------------------------

    def search(self, query: str, limit: int = 50) -> list[ClientSummary]:
        return self._get("/clients", list[ClientSummary], q=query, limit=max(1, min(limit, 500)))

    def find_duplicates(self, draft: NewClient) -> list[ClientSummary]:
        return self._send("POST", "/clients/duplicates", list[ClientSummary], draft)

    # --- the card -----------------------------------------------------------------------

    def open_card(self, client_id: int, history_limit: int = 50) -> ClientCard:
        return self._get(f"/clients/{_id(client_id)}", ClientCard, history_limit=max(0, min(history_limit, 500)))

    def history(self, client_id: int, offset: int = 0, limit: int = 50) -> list[HistoryEntry]:
        return self._get(
            f"/clients/{_id(client_id)}/history",
            list[HistoryEntry],
            offset=max(0, offset),
            limit=max(1, min(limit, 500)),
        )

    def edit_personal(self, client_id: int, edit: PersonalEdit) -> ClientCard:
        return self._send("PUT", f"/clients/{_id(client_id)}/personal", ClientCard, edit)

    def edit_contacts(self, client_id: int, edit: ContactEdit) -> ClientCard:
        return self._send("PUT", f"/clients/{_id(client_id)}/contacts", ClientCard, edit)

    def strike_phone(self, client_id: int, strike: PhoneStrike) -> ClientCard:
        return self._send("POST", f"/clients/{_id(client_id)}/phone-strikes", ClientCard, strike)

    def add_comment(self, client_id: int, text: str) -> HistoryEntry:
        return self._send("POST", f"/clients/{_id(client_id)}/comments", HistoryEntry, {"text": text})

    def sms_templates(self) -> list[SmsTemplate]:
        return self._get("/sms-templates", list[SmsTemplate])

    def send_sms(
        self,
        client_id: int,
        template_code: str,
        number: str | None = None,
        phone_id: int | None = None,
        idempotency_key: str | None = None,
    ) -> OutboxItem:
        """Safe to retry: without a key of the caller's, one is made for this call and a broken
        connection is retried with it, so the SMS goes at most once."""
        key = idempotency_key or f"crm-{uuid.uuid4()}"
        body = {"template_code": template_code, "number": number, "phone_id": phone_id}
        return self._send(
            "POST", f"/clients/{_id(client_id)}/sms", OutboxItem, body, headers={"Idempotency-Key": key}, retries=2
        )

    def create_client(self, draft: NewClient, allow_duplicate: bool = False) -> ClientCard:
        params = {"allow_duplicate": "true"} if allow_duplicate else None
        return self._send("POST", "/clients", ClientCard, draft, params=params)

    # --- reference data -----------------------------------------------------------------

    def regions(self) -> list[Region]:
        return self._get("/regions", list[Region])

    def towns(self, region_id: int) -> list[Town]:
        return self._get(f"/regions/{_id(region_id)}/towns", list[Town])
