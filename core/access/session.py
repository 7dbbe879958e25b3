"""Sign-in and the employee a Console acts as (S1): the first half of `core.console.LocalConsole`."""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime, timedelta
from typing import NoReturn

from core.access import sign_in as policy
from core.access import throttle
from core.access.models import EmployeeInfo, SessionInfo, SignInChallenge
from core.access.rules import Permission
from core.access.store import AuditEvent, ChallengeRecord
from core.access.throttle import ADDRESS, LOGIN_AT_ADDRESS, AttemptCount, TooManyAttempts
from core.access.tokens import SESSION_ENDED, TOUCH_STEP
from core.clock import Clock, as_utc
from core.errors import AuthFailed, CrmError, NotSignedIn
from core.floor.rules import session_key as employee_session
from core.outbox import NewSms
from core.repository import Repository
from core.vocab import SmsPurpose

# Who a console acts as is read again after an access change made by this process, and at the
# latest after this long (a change made by another process, e.g. another terminal).
REFRESH = timedelta(seconds=5)
LOCAL_ADDRESS = "local"  # the console on the database host; the API sets the client's address
MAX_AUDIT_LOGIN = 64


class SessionOperations:
    """Two-step sign-in through the repository; `whoami` is the employee every rule is checked for.

    Both steps count one attempt on the client address and on (login, address) before checking
    anything (core.access.throttle); unknown, disabled and blocked logins answer like a wrong password.
    """

    repo: Repository
    clock: Clock
    address: str
    _me: EmployeeInfo | None
    _generation: int = -1
    _read_at: datetime | None = None
    # the console session on the live floor: random at sign-in (the API sets its token's digest
    # before); a bound console without one counts as the employee's own session
    session_key: str | None = None
    _seen_at: datetime | None = None

    def _bind(self, info: EmployeeInfo) -> EmployeeInfo:
        self._me, self._generation, self._read_at = info, self.repo.access_generation(), self.clock.now()
        return info

    # --- attempt limits -----------------------------------------------------------------

    def _limits(self, login: str | None) -> dict[str, throttle.Limit]:
        limits = {ADDRESS.key(self.address): ADDRESS}
        if login is not None:
            limits[LOGIN_AT_ADDRESS.key(login.casefold(), self.address)] = LOGIN_AT_ADDRESS
        return limits

    def _take_attempt(self, login: str | None, now: datetime) -> dict[str, throttle.Limit]:
        limits = self._limits(login)
        taken = self.repo.update_attempts(list(limits), lambda counts: throttle.decide(limits, counts, now))
        if isinstance(taken, int):
            self._audit("throttled", now, login)
            raise TooManyAttempts(taken)
        return limits

    def _succeeded(self, limits: dict[str, throttle.Limit], whole: bool) -> None:
        """A right password gives the address its attempt back; a finished sign-in also clears the login's."""

        def step(counts: dict[str, AttemptCount]) -> dict[str, AttemptCount | None]:
            out: dict[str, AttemptCount | None] = {}
            for key, limit in limits.items():
                if key in counts and limit is ADDRESS:
                    out[key] = throttle.refund(limit, counts[key])
                elif key in counts and whole:
                    out[key] = None
            return out

        self.repo.update_attempts(list(limits), step)

    def _audit(self, event: str, now: datetime, login: str | None, employee_id: int | None = None) -> None:
        self.repo.record_audit(
            AuditEvent(now, event, self.address, (login or "")[:MAX_AUDIT_LOGIN] or None, employee_id)
        )

    def _fail(self, event: str, now: datetime, login: str | None, employee_id: int | None = None) -> NoReturn:
        self._audit(event, now, login, employee_id)
        raise AuthFailed()

    # --- the two steps ------------------------------------------------------------------

    def sign_in(self, login: str, password: str) -> SignInChallenge:
        now = self.clock.now()
        login = login.strip()
        limits = self._take_attempt(login, now)
        record = self.repo.employee_by_login(login)
        ok = policy.verify_password(record.password_hash if record else None, password)
        if record is None or not record.active or not ok:
            self._fail("sign_in_failed", now, login, record.id if record else None)
        self._succeeded(limits, whole=False)
        if policy.needs_rehash(record.password_hash):  # an old profile: the password is at hand now
            self.repo.replace_password_hash(record.id, record.password_hash, policy.hash_password(password))
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
        self.repo.redact_sign_in_codes(now, policy.SIGN_IN_SMS_REDACTED)
        digest = policy.code_digest(self.repo.code_key(), challenge_id, code)
        self.repo.create_challenge(ChallengeRecord(challenge_id, record.id, "sms", digest, expires, None, 0), sms)
        return SignInChallenge(challenge_id=challenge_id, channel="sms", sent_to=policy.mask_mobile(record.mobile))

    def verify_code(self, challenge_id: str, code: str) -> SessionInfo:
        now = self.clock.now()
        challenge = self.repo.challenge(challenge_id)
        info = self.repo.employee_info(challenge.employee_id) if challenge else None
        limits = self._take_attempt(info.login if info else None, now)
        if challenge is None or info is None:
            self._fail("code_failed", now, None)
        if challenge.used_at is not None or as_utc(challenge.expires_at) <= now:
            self._fail("code_failed", now, info.login, info.id)
        if not self.repo.take_code_attempt(challenge_id, policy.MAX_CODE_ATTEMPTS, now):
            self._fail("code_failed", now, info.login, info.id)  # used, or out of attempts meanwhile
        record = self.repo.employee_by_login(info.login)
        if record is None or not record.active:
            self._fail("code_failed", now, info.login, info.id)
        counter = None
        if challenge.channel == "totp":
            counter = policy.totp_counter(record.totp_secret or "", code, now, record.totp_last_counter)
            valid = counter is not None
        else:
            valid = policy.code_matches(self.repo.code_key(), challenge_id, code, challenge.digest or "")
        if not valid:
            self._fail("code_failed", now, info.login, info.id)
        if not self.repo.use_challenge(challenge_id, now, counter, policy.SIGN_IN_SMS_REDACTED):
            self._fail("code_failed", now, info.login, info.id)  # used concurrently by another request
        self._succeeded(limits, whole=True)
        self.session_key, self._seen_at = self.session_key or policy.new_challenge_id(), now
        self.repo.floor_signed_in(self.session_key, info.id, now)  # the live floor: signed in, idle from now
        return SessionInfo(employee=self._bind(info))

    # --- acting as someone --------------------------------------------------------------

    def act_as(self, employee_id: int, session: str | None = None) -> EmployeeInfo:
        """Bind to an employee already authenticated elsewhere (the API's bearer token, whose use
        keeps `session` on the floor)."""
        info = self.repo.employee_info(employee_id)
        if info is None:
            raise NotSignedIn()
        self.session_key, self._seen_at = session, self.clock.now()
        return self._bind(info)

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
        if self._me is not None and self._me.id:
            self.repo.floor_signed_out(self._floor_session())
        self._me, self.session_key = None, None

    def _floor_session(self) -> str:
        return self.session_key or employee_session(self.whoami().id)

    def _seen(self, now: datetime) -> None:
        """A local console's use keeps its session on the floor (written at most once a step)."""
        if self.session_key and (self._seen_at is None or now - self._seen_at >= TOUCH_STEP):
            self._seen_at = now
            with suppress(CrmError):  # presence is best effort: the operation itself goes on
                self.repo.floor_seen(self.session_key, now)

    def whoami(self) -> EmployeeInfo:
        """The employee, read again when their access may have changed (desks, role, masking):
        a change takes effect at their next request, without signing in again."""
        me = self._me
        if me is None:
            raise NotSignedIn()
        if me.id:
            generation, now = self.repo.access_generation(), self.clock.now()
            if generation != self._generation or self._read_at is None or now - self._read_at >= REFRESH:
                info = self.repo.employee_info(me.id)
                if info is None:  # disabled meanwhile
                    self._me = None
                    raise NotSignedIn(SESSION_ENDED)
                me = self._bind(info)
            self._seen(now)
        return me
