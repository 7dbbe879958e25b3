"""S1: two-step sign-in (password, then an SMS code or a TOTP code), lockout, single use."""

from __future__ import annotations

import contextlib

import argon2
import pyotp
import pytest
from argon2 import PasswordHasher, extract_parameters
from sqlalchemy import update

from core.access import sign_in as policy
from core.access.throttle import ADDRESS, LOGIN_AT_ADDRESS, TooManyAttempts
from core.console import LocalConsole
from core.errors import AuthFailed, NotSignedIn
from storage.engine import write
from storage.sql_repository import SqlRepository
from storage.tables import EmployeeRow
from storage.users import disable, set_password
from tests.helpers import PASSWORD, Crm

GENERIC = "Wrong login, password or code."


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


@pytest.fixture
def ann(crm: Crm) -> str:
    crm.add_employee("ann", role="operator")
    return "ann"


def auth_failure(call, *args) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(AuthFailed) as failure:
        call(*args)
    return failure.value.message


def test_password_then_sms_code(crm: Crm, ann: str) -> None:
    console = crm.new_console()
    with pytest.raises(NotSignedIn):
        console.whoami()
    challenge = console.sign_in("ann", PASSWORD)
    assert challenge.channel == "sms"
    assert challenge.sent_to == f"+7 *** ***-**-{crm.mobiles['ann'][-2:]}"
    (sms,) = [o for o in crm.repo.outbox(10) if o.to == crm.mobiles["ann"]]
    assert sms.purpose == "sign_in_code"
    with pytest.raises(NotSignedIn):
        console.whoami()  # the password alone does not sign in

    session = console.verify_code(challenge.challenge_id, crm.last_code("ann"))

    assert session.employee.login == "ann"
    assert console.whoami().role == "operator"
    assert console.whoami().desks == ["Main desk"]
    console.sign_out()
    with pytest.raises(NotSignedIn):
        console.whoami()


def test_unknown_login_wrong_password_wrong_code_look_the_same(crm: Crm, ann: str) -> None:
    console = crm.new_console()
    assert auth_failure(console.sign_in, "nobody", PASSWORD) == GENERIC
    assert auth_failure(console.sign_in, "ann", "wrong password") == GENERIC
    assert auth_failure(console.sign_in, "ann", "") == GENERIC
    challenge = console.sign_in("ann", PASSWORD)
    assert auth_failure(console.verify_code, challenge.challenge_id, wrong(crm.last_code("ann"))) == GENERIC
    assert auth_failure(console.verify_code, "no-such-challenge", crm.last_code("ann")) == GENERIC
    assert crm.count("auth_challenge") == 1  # unknown login and wrong password send no code
    with pytest.raises(NotSignedIn):
        console.whoami()


def test_the_code_expires_after_five_minutes(crm: Crm, ann: str) -> None:
    console = crm.new_console()
    challenge = console.sign_in("ann", PASSWORD)
    code = crm.last_code("ann")
    crm.clock.advance(minutes=5)
    assert auth_failure(console.verify_code, challenge.challenge_id, code) == GENERIC

    challenge = console.sign_in("ann", PASSWORD)
    crm.clock.advance(minutes=4, seconds=59)
    assert console.verify_code(challenge.challenge_id, crm.last_code("ann")).employee.login == "ann"


def test_a_used_code_cannot_be_used_again(crm: Crm, ann: str) -> None:
    console = crm.new_console()
    challenge = console.sign_in("ann", PASSWORD)
    code = crm.last_code("ann")
    console.verify_code(challenge.challenge_id, code)
    other = crm.new_console()
    assert auth_failure(other.verify_code, challenge.challenge_id, code) == GENERIC
    with pytest.raises(NotSignedIn):
        other.whoami()


def test_a_challenge_dies_after_three_wrong_codes(crm: Crm, ann: str) -> None:
    console = crm.new_console()
    challenge = console.sign_in("ann", PASSWORD)
    code = crm.last_code("ann")
    for _ in range(policy.MAX_CODE_ATTEMPTS):
        auth_failure(console.verify_code, challenge.challenge_id, wrong(code))
    assert auth_failure(console.verify_code, challenge.challenge_id, code) == GENERIC


def too_many(call, *args) -> int:  # type: ignore[no-untyped-def]
    with pytest.raises(TooManyAttempts) as refused:
        call(*args)
    return refused.value.retry_after_s


def from_address(crm: Crm, address: str) -> LocalConsole:
    return LocalConsole(SqlRepository(crm.engine), clock=crm.clock, address=address)


def test_five_failures_block_the_login_at_that_address_for_15_minutes(crm: Crm, ann: str) -> None:
    console = crm.new_console()
    for _ in range(LOGIN_AT_ADDRESS.free):
        assert auth_failure(console.sign_in, "ann", "wrong password") == GENERIC

    assert too_many(console.sign_in, "ann", PASSWORD) == 15 * 60  # even the right password
    crm.clock.advance(minutes=14, seconds=59)
    assert too_many(console.sign_in, "ann", PASSWORD) == 1

    crm.clock.advance(seconds=1)  # 15 minutes after the fifth failure
    challenge = console.sign_in("ann", PASSWORD)
    assert console.verify_code(challenge.challenge_id, crm.last_code("ann")).employee.login == "ann"


def test_a_stranger_cannot_lock_the_employee_out(crm: Crm, ann: str) -> None:
    """The block holds for the (login, address) pair only: ann signs in from her own desk."""
    stranger = from_address(crm, "203.0.113.7")
    for _ in range(LOGIN_AT_ADDRESS.free):
        auth_failure(stranger.sign_in, "ann", "guess")
    too_many(stranger.sign_in, "ann", "guess")
    own = from_address(crm, "10.1.2.3")
    challenge = own.sign_in("ann", PASSWORD)
    assert own.verify_code(challenge.challenge_id, crm.last_code("ann")).employee.login == "ann"


def test_unknown_and_known_logins_answer_alike_until_blocked(crm: Crm, ann: str) -> None:
    """No enumeration: the same answers, in the same order, for a login that exists and one that does not."""

    def answers(login: str, address: str) -> list[str]:
        console = from_address(crm, address)
        out = []
        for _ in range(LOGIN_AT_ADDRESS.free + 2):
            try:
                console.sign_in(login, "wrong password")
            except (AuthFailed, TooManyAttempts) as exc:
                out.append(f"{exc.code} {exc.message} {getattr(exc, 'retry_after_s', '')}")
        return out

    assert answers("ann", "198.51.100.1") == answers("nobody", "198.51.100.2")


def test_an_address_guessing_many_logins_is_slowed_down(crm: Crm) -> None:
    """10 free attempts per address, then 1 s, 2 s, 4 s ... between attempts (429 Retry-After)."""
    guesser = from_address(crm, "203.0.113.9")
    for n in range(ADDRESS.free):
        auth_failure(guesser.sign_in, f"user{n}", "guess")
    waits = []
    for n in range(4):
        waits.append(too_many(guesser.sign_in, f"other{n}", "guess"))
        crm.clock.advance(seconds=waits[-1])
        auth_failure(guesser.sign_in, f"other{n}", "guess")
    assert waits == [1, 2, 4, 8]
    assert crm.count("audit_event", event="throttled") == 4


def test_right_sign_ins_do_not_use_up_an_address(crm: Crm, ann: str) -> None:
    """Many staff behind one address (an office's NAT) sign in all day without delays."""
    office = from_address(crm, "192.0.2.10")
    for _ in range(3 * ADDRESS.free):
        challenge = office.sign_in("ann", PASSWORD)
        office.verify_code(challenge.challenge_id, crm.last_code("ann"))


def test_wrong_codes_count_towards_the_block(crm: Crm, ann: str) -> None:
    console = crm.new_console()
    for _ in range(2):
        auth_failure(console.sign_in, "ann", "wrong password")
    challenge = console.sign_in("ann", PASSWORD)
    code = crm.last_code("ann")
    for _ in range(2):
        auth_failure(console.verify_code, challenge.challenge_id, wrong(code))
    assert too_many(console.sign_in, "ann", PASSWORD) > 0  # 2 + 1 + 2 = 5 attempts without success


def test_a_block_set_meanwhile_stops_the_code_step(crm: Crm, ann: str) -> None:
    console = crm.new_console()
    challenge = console.sign_in("ann", PASSWORD)
    code = crm.last_code("ann")
    for _ in range(LOGIN_AT_ADDRESS.free):
        with contextlib.suppress(AuthFailed, TooManyAttempts):
            crm.new_console().sign_in("ann", "wrong password")
    assert too_many(console.verify_code, challenge.challenge_id, code) > 0


def test_success_resets_the_failure_count(crm: Crm, ann: str) -> None:
    for _ in range(LOGIN_AT_ADDRESS.free - 2):
        auth_failure(crm.new_console().sign_in, "ann", "wrong password")
    crm.sign_in("ann")
    for _ in range(LOGIN_AT_ADDRESS.free - 2):
        auth_failure(crm.new_console().sign_in, "ann", "wrong password")
    assert crm.sign_in("ann").whoami().login == "ann"


def test_failures_are_audited_without_the_password(crm: Crm, ann: str) -> None:
    console = from_address(crm, "198.51.100.77")
    auth_failure(console.sign_in, "ann", "Secret-Guess-1")
    auth_failure(console.sign_in, "nobody", "Secret-Guess-2")
    challenge = console.sign_in("ann", PASSWORD)
    auth_failure(console.verify_code, challenge.challenge_id, wrong(crm.last_code("ann")))
    rows = crm.rows("audit_event")
    assert [(r.event, r.login, r.address) for r in rows] == [
        ("sign_in_failed", "ann", "198.51.100.77"),
        ("sign_in_failed", "nobody", "198.51.100.77"),
        ("code_failed", "ann", "198.51.100.77"),
    ]
    assert all(r.at == crm.clock.now() for r in rows)
    assert "Secret-Guess" not in repr([tuple(r) for r in rows])


def test_totp_alternative_and_no_reuse_of_a_code(crm: Crm) -> None:
    secret = crm.add_employee("tom", role="office", totp=True)
    assert secret
    totp = pyotp.TOTP(secret)
    console = crm.new_console()
    challenge = console.sign_in("tom", PASSWORD)
    assert (challenge.channel, challenge.sent_to) == ("totp", None)
    assert crm.count("sms_outbox") == 0  # nothing is sent for TOTP
    code = totp.at(crm.clock.now())
    assert auth_failure(console.verify_code, challenge.challenge_id, wrong(code)) == GENERIC
    assert console.verify_code(challenge.challenge_id, code).employee.login == "tom"

    again = crm.new_console()
    second = again.sign_in("tom", PASSWORD)
    assert auth_failure(again.verify_code, second.challenge_id, code) == GENERIC  # same code, same 30 s

    crm.clock.advance(seconds=30)
    third = again.sign_in("tom", PASSWORD)
    assert again.verify_code(third.challenge_id, totp.at(crm.clock.now())).employee.login == "tom"


def test_totp_code_of_the_previous_step_is_accepted_but_not_older(crm: Crm) -> None:
    secret = crm.add_employee("tom", role="office", totp=True)
    totp = pyotp.TOTP(secret or "")
    before = crm.clock.now()
    crm.clock.advance(seconds=30)
    console = crm.new_console()
    challenge = console.sign_in("tom", PASSWORD)
    assert console.verify_code(challenge.challenge_id, totp.at(before)).employee.login == "tom"

    crm.clock.advance(seconds=60)
    challenge = console.sign_in("tom", PASSWORD)
    assert auth_failure(console.verify_code, challenge.challenge_id, totp.at(before)) == GENERIC


def test_a_disabled_employee_cannot_sign_in(crm: Crm, ann: str) -> None:
    console = crm.new_console()
    challenge = console.sign_in("ann", PASSWORD)
    code = crm.last_code("ann")
    disable(crm.engine, "ann")
    assert auth_failure(console.verify_code, challenge.challenge_id, code) == GENERIC  # disabled meanwhile
    assert auth_failure(crm.new_console().sign_in, "ann", PASSWORD) == GENERIC


def test_a_new_password_replaces_the_old_and_clears_the_lock(crm: Crm, ann: str) -> None:
    for _ in range(LOGIN_AT_ADDRESS.free):
        auth_failure(crm.new_console().sign_in, "ann", "wrong password")
    set_password(crm.engine, "ann", "another-pass")
    assert auth_failure(crm.new_console().sign_in, "ann", PASSWORD) == GENERIC
    assert crm.sign_in("ann", "another-pass").whoami().login == "ann"


def test_passwords_are_stored_as_argon2id(crm: Crm, ann: str) -> None:
    (row,) = crm.rows("employee", login="ann")
    assert row.password_hash.startswith("$argon2id$")
    assert PASSWORD not in row.password_hash


def test_signed_out_console_refuses_work(crm: Crm, ann: str) -> None:
    console: LocalConsole = crm.sign_in("ann")
    console.sign_out()
    with pytest.raises(NotSignedIn):
        console.search("иванов")


def test_an_old_profile_hash_is_replaced_at_the_next_sign_in(
    crm: Crm, ann: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Real parameters here (the session fixture makes hashing cheap): OWASP's t=2, m=19 MiB, p=1."""
    owasp = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
    monkeypatch.setattr(policy, "_hasher", owasp)
    old = PasswordHasher(time_cost=3, memory_cost=64 * 1024, parallelism=4).hash(PASSWORD)  # the former default
    with write(crm.engine) as conn:
        conn.execute(update(EmployeeRow).where(EmployeeRow.login == "ann").values(password_hash=old))
    (before,) = crm.rows("employee", login="ann")

    crm.sign_in("ann")

    (after,) = crm.rows("employee", login="ann")
    assert after.password_hash != old
    assert extract_parameters(after.password_hash) == argon2.Parameters(
        type=argon2.Type.ID, version=19, salt_len=16, hash_len=32, time_cost=2, memory_cost=19 * 1024, parallelism=1
    )
    assert owasp.verify(after.password_hash, PASSWORD)
    assert after.auth_version == before.auth_version  # the same password: tokens stay valid
    crm.sign_in("ann")  # signs in with the new hash, which is kept as it is
    (again,) = crm.rows("employee", login="ann")
    assert again.password_hash == after.password_hash


def test_a_wrong_password_does_not_rehash(crm: Crm, ann: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(policy, "_hasher", PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1))
    (before,) = crm.rows("employee", login="ann")  # made by the cheap test hasher: an "old" profile
    assert auth_failure(crm.new_console().sign_in, "ann", "wrong password") == GENERIC
    (after,) = crm.rows("employee", login="ann")
    assert after.password_hash == before.password_hash


def test_the_limit_message_names_the_wait_and_how_to_lift_it() -> None:
    message = str(TooManyAttempts(14 * 60 + 1))
    assert "wait 15 min" in message and "crm users passwd LOGIN" in message
    assert "wait 1 min" in str(TooManyAttempts(5))
