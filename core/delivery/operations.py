"""The card's messages (`core.delivery.port.DeliveryPort`), mixed into `core.console.LocalConsole`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.access.acting import Acting
from core.access.rules import mask_email, mask_phone
from core.clients.models import OutboxItem
from core.errors import NotFound

if TYPE_CHECKING:
    from core.delivery.store import DeliveryStore

MAX_MESSAGES = 100


class DeliveryOperations(Acting):
    repo: DeliveryStore  # type: ignore[assignment]

    def client_messages(self, client_id: int, limit: int = 20) -> list[OutboxItem]:
        self.whoami()
        found = self.repo.client_messages(client_id, max(1, min(limit, MAX_MESSAGES))) if client_id > 0 else None
        if found is None or not self._visible(found[0]):
            raise NotFound(f"No client with CRM id {client_id}.")
        phone, email = self._masked("phone"), self._masked("email")
        return [self._delivery_shown(m, phone, email) for m in found[1]]

    @staticmethod
    def _delivery_shown(item: OutboxItem, phone: bool, email: bool) -> OutboxItem:
        if item.channel == "sms" and phone:
            return item.model_copy(update={"to": mask_phone(item.to)})
        if item.channel == "email" and email:
            return item.model_copy(update={"to": mask_email(item.to)})
        return item
