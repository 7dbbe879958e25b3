"""I4: the webhook's signature. The platform sends `X-CRM-Timestamp` (Unix seconds) and
`X-CRM-Signature: sha256=<hex>`, an HMAC-SHA256 with the shared secret over
`<timestamp>.` followed by the raw body, so that a timestamp cannot be changed without the secret.
A stale timestamp (beyond the tolerance either way) or a wrong signature is refused."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from core.errors import AuthFailed

DEFAULT_TOLERANCE_S = 300
SIGNATURE_HEADER = "X-CRM-Signature"
TIMESTAMP_HEADER = "X-CRM-Timestamp"
_PREFIX = "sha256="


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The header value for `body` sent at `timestamp`."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return _PREFIX + mac.hexdigest()


def verify(
    secret: str, timestamp: str | None, signature: str | None, body: bytes, now: datetime, tolerance_s: int
) -> None:
    """Raises AuthFailed unless the signature matches and the timestamp is fresh."""
    if not secret:
        raise AuthFailed("The events receiver has no shared secret configured.")
    if not timestamp or not signature or not timestamp.isdigit() or len(timestamp) > 12:
        raise AuthFailed("A signed event needs its timestamp and signature headers.")
    expected = sign(secret, int(timestamp), body)
    if not hmac.compare_digest(expected.encode(), signature.strip().encode()):
        raise AuthFailed("The event's signature does not match.")
    if abs(now.timestamp() - int(timestamp)) > tolerance_s:
        raise AuthFailed("The event's timestamp is not fresh.")
