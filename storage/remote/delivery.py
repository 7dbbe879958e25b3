"""The delivery part of the remote Console (`core.delivery.port.DeliveryPort` over HTTP)."""

from __future__ import annotations

from core.clients.models import OutboxItem
from storage.remote.base import RemoteBase, _id


class RemoteDelivery(RemoteBase):
    def client_messages(self, client_id: int, limit: int = 20) -> list[OutboxItem]:
        return self._get(f"/clients/{_id(client_id)}/messages", list[OutboxItem], limit=limit)
