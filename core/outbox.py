"""A text message to be sent: the outbox row sign-in, the card and the call all write (shared kernel)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass
class NewSms:
    to: str
    text: str
    purpose: str
    created_at: datetime
    send_after: datetime | None = None
    client_id: int | None = None
    employee_id: int | None = None
    template_code: str | None = None
