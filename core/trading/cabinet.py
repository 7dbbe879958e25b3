"""M2: registering a lead in the client cabinet. The platform adapter (`Cabinet`) creates the
account; the CRM generates the password, sends it by e-mail (redacted in the outbox once sent)
and never returns or keeps it. The simulator's cabinet is the default."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from core.clock import Clock
from core.trading.models import PlatformEvent

PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/l/I
PASSWORD_LENGTH = 14
REDACTED = "********"
TEMPLATE = "cabinet_credentials"


def new_password() -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))


@dataclass(frozen=True)
class CabinetAccount:
    """What the platform answered: the login, and the events it reports at once (the simulator's
    `registered`; a real platform sends its own through the webhook)."""

    login: str
    events: list[PlatformEvent] = field(default_factory=list)


@dataclass(frozen=True)
class CabinetFacts:
    """What the rule needs of the card: its desk, stage, name, language, first e-mail, login."""

    client_id: int
    desk_id: int | None
    lifecycle: str | None
    first_name: str
    language: str
    email: str | None
    login: str | None  # registered already when set


class Cabinet(Protocol):
    def register(self, client_id: int, email: str, first_name: str, password: str) -> CabinetAccount:
        """Create the cabinet account of the CRM client; raises on a platform failure."""
        ...


class SimulatedCabinet:
    """The built-in platform's cabinet: a deterministic login, and its `registered` event."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock

    def register(self, client_id: int, email: str, first_name: str, password: str) -> CabinetAccount:
        at: datetime = self.clock.now()
        event = PlatformEvent.model_validate(
            {"id": f"sim-cabinet-{client_id}", "kind": "registered", "at": at, "client_id": client_id}
        )
        return CabinetAccount(login=f"C{client_id:07d}", events=[event])
