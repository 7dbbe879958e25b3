"""The delivery part of the Console (`core.port.Console`): a card's messages and their statuses."""

from __future__ import annotations

from typing import Protocol

from core.clients.models import OutboxItem


class DeliveryPort(Protocol):
    def client_messages(self, client_id: int, limit: int = 20) -> list[OutboxItem]:
        """The client's SMS and e-mails, newest first, each with its status (queued, sending, sent,
        failed and why); addresses masked for a masked employee."""
        ...
