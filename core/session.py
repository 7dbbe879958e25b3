"""Sign-in and the employee a Console acts as (S1): the first half of `core.console.LocalConsole`."""

from __future__ import annotations

from datetime import datetime

from core import sign_in as policy
from core.access import Permission
from core.clock import Clock, as_utc
from core.errors import AuthFailed, NotSignedIn
from core.models import EmployeeInfo, SessionInfo, SignInChallenge
from core.repository import ChallengeRecord, NewSms, Repository
from core.vocab import SmsPurpose


class SessionOperations:
    """Two-step sign-in through the repository; `whoami` is the employee every rule is checked for."""

    repo: Repository
    clock: Clock
    _me: EmployeeInfo | None

    def sign_in(self, login: str, password: str) -> SignInChallenge:
        now = self.clock.now()
        record = self.repo.employee_by_login(login.strip())
        ok = policy.verify_password(record.password_hash if record else None, password)
        if record is None or not record.active:
            raise AuthFailed()
        if policy.is_locked(record.locked_until and as_utc(record.locked_until), now):
            raise AuthFailed(
                "Too many failed attempts: the account is locked for 15 minutes. An administrator "
                "unlocks it at once with a new password (crm users passwd LOGIN)."
            )
        if not ok:
            self._fail(record.id, record.failed_attempts + 1, now)
        challenge_id = policy.new_challenge_id()
        expires = now + policy.CODE_TTL
        if record.totp_secret:
            self.repo.create_challenge(ChallengeRecord(challenge_id, record.id, "totp", None, expires, None, 0), None)
            return SignInChallenge(challenge_id=challenge_id, channel="totp")
        if not record.mobile:
            raise AuthFailed("No mobile number is set for this login; ask an administrator.")
        code = policy.new_code()
        sms = NewSms(
            to=record.mobile,
            text=policy.SIGN_IN_SMS.format(code=code),
            purpose=SmsPurpose.SIGN_IN_CODE,
            created_at=now,
            employee_id=record.id,
        )
        digest = policy.code_digest(challenge_id, code)
        self.repo.create_challenge(ChallengeRecord(challenge_id, record.id, "sms", digest, expires, None, 0), sms)
        return SignInChallenge(challenge_id=challenge_id, channel="sms", sent_to=policy.mask_mobile(record.mobile))

    def _fail(self, employee_id: int, failures: int, now: datetime) -> None:
        self.repo.record_sign_in_failure(employee_id, policy.lock_after_failure(failures, now))
        raise AuthFailed()

    def verify_code(self, challenge_id: str, code: str) -> SessionInfo:
        now = self.clock.now()
        challenge = self.repo.challenge(challenge_id)
        if challenge is None or challenge.used_at is not None or as_utc(challenge.expires_at) <= now:
            raise AuthFailed()
        if challenge.attempts >= policy.MAX_CODE_ATTEMPTS:
            raise AuthFailed()
        info = self.repo.employee_info(challenge.employee_id)
        record = self.repo.employee_by_login(info.login) if info else None
        if record is None or not record.active:
            raise AuthFailed()
        if policy.is_locked(record.locked_until and as_utc(record.locked_until), now):
            raise AuthFailed(
                "Too many failed attempts: the account is locked for 15 minutes. An administrator "
                "unlocks it at once with a new password (crm users passwd LOGIN)."
            )
        counter = None
        if challenge.channel == "totp":
            counter = policy.totp_counter(record.totp_secret or "", code, now, record.totp_last_counter)
            valid = counter is not None
        else:
            valid = policy.code_matches(challenge_id, code, challenge.digest or "")
        if not valid:
            self.repo.count_code_failure(challenge_id)
            self._fail(record.id, record.failed_attempts + 1, now)
        if not self.repo.use_challenge(challenge_id, now, counter):
            raise AuthFailed()  # used concurrently by another request
        self.repo.reset_sign_in_failures(record.id)
        self._me = info
        return SessionInfo(employee=info)

    def act_as(self, employee_id: int) -> EmployeeInfo:
        """Bind to an employee already authenticated elsewhere (the API's bearer token)."""
        info = self.repo.employee_info(employee_id)
        if info is None:
            raise NotSignedIn()
        self._me = info
        return info

    def act_as_local_admin(self) -> EmployeeInfo:
        """The command line on the database host: every desk, every permission, no writes of its own."""
        self._me = EmployeeInfo(
            id=0,
            login="local",
            full_name="Local administrator",
            role="local",
            role_name="Local administrator",
            permissions=sorted(p.value for p in Permission),
            desk_ids=[],
            desks=[],
        )
        return self._me

    def sign_out(self) -> None:
        self._me = None

    def whoami(self) -> EmployeeInfo:
        if self._me is None:
            raise NotSignedIn()
        return self._me
