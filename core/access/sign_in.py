"""Two-step sign-in policy (S1): argon2id passwords, one-time codes, TOTP.

Attempt limits are in `core.access.throttle`. A code's digest is an HMAC keyed with a server secret kept
outside the database, so a copy of the database does not yield the code by trying all 10**6.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

CODE_TTL = timedelta(minutes=5)
CODE_DIGITS = 6
MAX_CODE_ATTEMPTS = 3  # wrong codes per challenge before it dies

# argon2id at OWASP's minimum profile (Password Storage Cheat Sheet): t=2, m=19 MiB, p=1.
# Hashes made with other parameters verify as before and are replaced on the next sign-in.
TIME_COST, MEMORY_KIB, PARALLELISM = 2, 19 * 1024, 1
_hasher = PasswordHasher(time_cost=TIME_COST, memory_cost=MEMORY_KIB, parallelism=PARALLELISM)
_dummy_hash: str | None = None  # made on first use: hashing at import would slow start-up


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _dummy() -> str:
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash("not a password of anyone")
    return _dummy_hash


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Constant work whether or not the login exists: unknown logins verify a dummy hash."""
    try:
        return _hasher.verify(stored_hash or _dummy(), password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with other parameters than today's (after a right password)."""
    try:
        return _hasher.check_needs_rehash(stored_hash)
    except (InvalidHashError, ValueError):
        return False


def new_challenge_id() -> str:
    return secrets.token_urlsafe(24)


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def code_digest(key: bytes, challenge_id: str, code: str) -> str:
    message = f"{challenge_id}\x00{code.strip()}".encode("utf-8", "surrogatepass")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def code_matches(key: bytes, challenge_id: str, code: str, digest: str) -> bool:
    return hmac.compare_digest(code_digest(key, challenge_id, code), digest)


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_counter(secret: str, code: str, now: datetime, last_counter: int | None) -> int | None:
    """The time step the code belongs to, or None if it is wrong or already used.

    pyotp accepts a code twice within its window; remembering the last counter forbids it.
    """
    totp = pyotp.TOTP(secret)
    code = code.strip()
    step = int(now.timestamp()) // totp.interval
    for counter in (step, step - 1, step + 1):
        if hmac.compare_digest(totp.generate_otp(counter), code):
            return counter if last_counter is None or counter > last_counter else None
    return None


def mask_mobile(e164: str | None) -> str | None:
    return None if not e164 else f"{e164[:2]} *** ***-**-{e164[-2:]}"


SIGN_IN_SMS = "CRM sign-in code: {code}. Valid 5 minutes. Do not tell it to anyone."
# What the outbox keeps once the code was used or has expired.
SIGN_IN_SMS_REDACTED = SIGN_IN_SMS.format(code="******")
