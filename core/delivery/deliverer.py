"""The worker's delivery pass: claim one message, send it through its channel's sender, record
the outcome. At most once: the 'sending' mark commits before the send; a send a dead worker
left behind is never repeated (it fails with "unknown outcome")."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from typing import TYPE_CHECKING

from core.delivery import rules
from core.delivery.sender import Outgoing, Sender, SendFailed

if TYPE_CHECKING:
    from core.clock import Clock
    from core.delivery.store import DeliveryStore

log = logging.getLogger("crm.delivery")


class Deliverer:
    def __init__(
        self, repo: DeliveryStore, clock: Clock, senders: list[Sender], lease: timedelta = rules.LEASE
    ) -> None:
        self.repo = repo
        self.clock = clock
        self.senders = senders
        self.lease = lease

    def run_once(self, limit: int = 20) -> int:
        """Up to `limit` messages of each channel; the number handled (sent, retried or failed)."""
        handled = 0
        for sender in self.senders:
            for _ in range(limit):
                token = uuid.uuid4().hex
                message = self.repo.claim_message(sender.channel, token, self.clock.now(), self.lease)
                if message is None:
                    break
                self._deliver(sender, message, token)
                handled += 1
        return handled

    def _deliver(self, sender: Sender, message: Outgoing, token: str) -> None:
        error, retry_at = None, None
        try:
            sender.send(message)
        except SendFailed as exc:
            error = exc.reason
            if exc.outcome == "retry":
                retry_at = rules.next_try(self.clock.now(), message.attempts)
            log.warning("%s %s not sent (%s): %s", message.channel, message.id, exc.outcome, exc.reason)
        except Exception as exc:  # noqa: BLE001 - an adapter's surprise: it may have left, never resend
            error = f"unknown outcome: {type(exc).__name__}"
            log.warning("%s %s: %s", message.channel, message.id, error)
        if not self.repo.finish_message(message.channel, message.id, token, self.clock.now(), error, retry_at):
            log.warning("%s %s: the claim was lost before its outcome was recorded", message.channel, message.id)
        elif error is None:
            log.info("%s %s sent", message.channel, message.id)
