"""What delivery needs from a store (`storage.repo_delivery`): each method one transaction."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from core.clients.models import OutboxItem
from core.delivery.sender import Outgoing
from core.delivery.templates import EmailTemplate


class DeliveryStore(Protocol):
    def claim_message(self, channel: str, token: str, now: datetime, lease: timedelta) -> Outgoing | None:
        """In one transaction: 'sending' rows of `channel` whose lease ran out become failed (unknown
        outcome), then the oldest due queued one is marked 'sending' under `token` until now + lease."""
        ...

    def finish_message(
        self, channel: str, message_id: int, token: str, now: datetime, error: str | None, retry_at: datetime | None
    ) -> bool:
        """Only while `token` holds it: sent (error None; a secret body redacted), queued again at
        `retry_at`, or failed with `error`. False: the claim was lost."""
        ...

    def email_templates(self) -> dict[str, EmailTemplate]:
        """Reference data, cached."""
        ...

    def messages(self, limit: int, client_id: int | None = None) -> list[OutboxItem]:
        """Both outboxes, newest first; only the client's when `client_id`."""
        ...

    def client_messages(self, client_id: int, limit: int) -> tuple[int | None, list[OutboxItem]] | None:
        """(the client's desk, its messages newest first) in one read; None: no such client."""
        ...
