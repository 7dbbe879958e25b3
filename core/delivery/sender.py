"""The adapter a message leaves through: SMTP, an SMS gateway, or the "log only" default.

A sender raises `SendFailed` with a client-free reason and says whether the message may have
left (`outcome`): "retry" (nothing left: the gateway refused or was unreachable), "permanent"
(refused for good), "unknown" (it may have left: never sent again, at most once)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

Outcome = Literal["retry", "permanent", "unknown"]


@dataclass(frozen=True)
class Outgoing:
    """One claimed message: `key` is stable per message (the gateway's idempotency key, Message-ID)."""

    channel: str  # "sms" | "email"
    id: int
    to: str
    text: str
    subject: str | None = None
    attempts: int = 1  # including this one

    @property
    def key(self) -> str:
        return f"crm-{self.channel}-{self.id}"


class SendFailed(Exception):
    def __init__(self, reason: str, outcome: Outcome = "retry") -> None:
        super().__init__(reason)
        self.reason = reason[:300]
        self.outcome = outcome


class Sender(Protocol):
    channel: str  # which outbox it delivers: "sms" or "email"

    def send(self, message: Outgoing) -> None:
        """Hand the message over; return when the other side accepted it, else raise SendFailed."""
        ...
