"""The platform's side of I4 over HTTP: events signed with the shared secret and posted to a crm
server's `POST /api/v1/events`, the way a real platform sends them (`crm simulate --server`)."""

from __future__ import annotations

import time

import httpx

from core.errors import AuthFailed, StoreUnavailable, ValidationFailed
from core.trading import signing
from core.trading.models import EventOutcome, PlatformEvent
from storage.remote.base import API


class WebhookSender:
    """`apply_event` of a console, as the webhook's caller: one signed POST per event."""

    def __init__(self, base_url: str, secret: str, timeout: float = 10.0) -> None:
        if not secret:
            raise ValidationFailed("Signing events needs the shared secret (CRM_EVENTS_SECRET).", field="secret")
        self._secret = secret
        self._http = httpx.Client(base_url=base_url.rstrip("/") + API, timeout=timeout)

    def apply_event(self, event: PlatformEvent) -> EventOutcome:
        body = event.model_dump_json().encode()
        stamp = int(time.time())
        headers = {
            "Content-Type": "application/json",
            signing.TIMESTAMP_HEADER: str(stamp),
            signing.SIGNATURE_HEADER: signing.sign(self._secret, stamp, body),
        }
        try:
            response = self._http.post("/events", content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise StoreUnavailable(f"The server does not answer: {type(exc).__name__}.") from None
        if response.status_code == 401:
            raise AuthFailed("The server refused the signature: check the shared secret and the clock.")
        if response.status_code != 200:
            raise StoreUnavailable(f"The server answered {response.status_code} to an event.")
        return EventOutcome.model_validate_json(response.content)

    def close(self) -> None:
        self._http.close()
