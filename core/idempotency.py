"""No double save: a write retried with the same `Idempotency-Key` returns the first answer.

The key is scoped to the employee. The first request stores (key, employee, operation, a hash of
the request, the response) in the same transaction as its effect; a retry with the same key and
the same request gets the stored response and writes nothing; the same key with a different
request is refused (`IdempotencyMismatch`, HTTP 422). A request that failed stored nothing, so
its retry runs again. Keys are kept at least `RETENTION`.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.errors import ValidationFailed

RETENTION = timedelta(hours=24)
_KEY_RE = re.compile(r"^[A-Za-z0-9._:+/=-]{8,200}$")


class IdempotencyMismatch(ValidationFailed):
    """The key was used before for a different request."""

    code = "idempotency_mismatch"

    def __init__(self) -> None:
        super().__init__(
            "This Idempotency-Key was already used for a different request; use a new key.", field="idempotency_key"
        )


class IdempotencyRace(Exception):
    """The store found the key taken while writing (a concurrent retry): read it and replay."""


@dataclass
class IdempotencyClaim:
    key: str
    employee_id: int
    operation: str
    request_hash: str
    created_at: datetime


@dataclass
class IdempotencyRecord:
    key: str
    employee_id: int
    operation: str
    request_hash: str
    response: str  # JSON of the first response, before per-reader masking
    created_at: datetime


def check_key(key: str) -> str:
    key = key.strip()
    if not _KEY_RE.match(key):
        raise ValidationFailed(
            "Idempotency-Key: 8-200 characters of letters, digits and . _ : + / = -.", field="idempotency_key"
        )
    return key


def request_hash(operation: str, payload: dict[str, object]) -> str:
    text = json.dumps({"op": operation, **payload}, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def claim(key: str, employee_id: int, operation: str, payload: dict[str, object], at: datetime) -> IdempotencyClaim:
    return IdempotencyClaim(check_key(key), employee_id, operation, request_hash(operation, payload), at)


def replay(record: IdempotencyRecord, new: IdempotencyClaim) -> str:
    """The stored response for a retry of the same request; IdempotencyMismatch otherwise."""
    if record.operation != new.operation or record.request_hash != new.request_hash:
        raise IdempotencyMismatch()
    return record.response
