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


@dataclass
class NewEmail:
    """An e-mail to be sent (I3); `redact_after_send`: the body holds a secret (M2's password) and is
    replaced by `redacted` once the server took it."""

    to: str
    subject: str
    body: str
    purpose: str
    created_at: datetime
    send_after: datetime | None = None
    client_id: int | None = None
    employee_id: int | None = None
    template_code: str | None = None
    redacted: str | None = None
