"""What sign-in, sessions and the sign-in guard need from a store (`storage.repo_people`, `storage.repo_guard`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from core.access.models import EmployeeInfo
from core.outbox import NewSms

if TYPE_CHECKING:
    from core.access.throttle import AttemptCount


@dataclass
class EmployeeRecord:
    id: int
    login: str
    full_name: str
    password_hash: str
    active: bool
    mobile: str | None
    totp_secret: str | None
    totp_last_counter: int | None


@dataclass
class ChallengeRecord:
    id: str
    employee_id: int
    channel: str
    digest: str | None
    expires_at: datetime
    used_at: datetime | None
    attempts: int


@dataclass
class AuditEvent:
    """One line of the security audit log: who, what, when, from where. Never a password."""

    at: datetime
    event: str  # sign_in_failed | code_failed | throttled | duplicate_check | ...
    address: str | None = None
    login: str | None = None
    employee_id: int | None = None
    detail: str | None = None


class AccessStore(Protocol):
    def employee_by_login(self, login: str) -> EmployeeRecord | None: ...
    def employee_info(self, employee_id: int) -> EmployeeInfo | None: ...
    def replace_password_hash(self, employee_id: int, old_hash: str, new_hash: str) -> bool:
        """The same password under new hash parameters, only if the hash is still `old_hash` (a
        password changed meanwhile wins); tokens stay valid: auth_version is not changed."""
        ...

    def create_challenge(self, challenge: ChallengeRecord, sms: NewSms | None) -> None: ...
    def challenge(self, challenge_id: str) -> ChallengeRecord | None: ...
    def take_code_attempt(self, challenge_id: str, max_attempts: int, now: datetime) -> bool:
        """Count one code attempt if the challenge is alive and below `max_attempts` (one conditional
        UPDATE ... RETURNING); False when it is not: the code is then not checked at all."""
        ...

    def use_challenge(self, challenge_id: str, at: datetime, totp_counter: int | None, redacted: str) -> bool:
        """Mark the challenge used (single use) and overwrite its SMS text with `redacted`."""
        ...

    def redact_sign_in_codes(self, now: datetime, redacted: str) -> int:
        """Overwrite the text of the sign-in code SMS of challenges expired by `now`."""
        ...

    def code_key(self) -> bytes:
        """The server secret that keys the code digests; kept outside the database."""
        ...

    def update_attempts(
        self, keys: list[str], step: Callable[[dict[str, AttemptCount]], dict[str, AttemptCount | None] | int]
    ) -> dict[str, AttemptCount | None] | int:
        """Run `step` on the counters of `keys`, locked (missing ones absent); write what it returns
        (None deletes a counter) unless it returns an int (a refusal: nothing is written)."""
        ...

    def record_audit(self, event: AuditEvent) -> None: ...
    def access_generation(self) -> int:
        """Changes whenever this process changed someone's access (no I/O): see core.access.session."""
        ...
