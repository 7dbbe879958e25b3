"""S1: two-step sign-in (password, then an SMS code or a TOTP code), lockout, single use."""

from __future__ import annotations

import pyotp
import pytest

from core import sign_in as policy
from core.console import LocalConsole
from core.errors import AuthFailed, NotSignedIn
from storage.users import disable, set_password
from tests.helpers import PASSWORD, Crm

GENERIC = "Wrong login, password or code."
LOCKED = (
    "Too many failed attempts: the account is locked for 15 minutes. An administrator "
    "unlocks it at once with a new password (crm users passwd LOGIN)."
)


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


def test_five_failures_lock_the_account_until_the_lockout_ends(crm: Crm, ann: str) -> None:
    console = crm.new_console()
    for _ in range(policy.MAX_FAILED_ATTEMPTS):
        assert auth_failure(console.sign_in, "ann", "wrong password") == GENERIC

    assert auth_failure(console.sign_in, "ann", PASSWORD) == LOCKED  # even the right password
    assert auth_failure(console.sign_in, "ann", "wrong password") == LOCKED
    crm.clock.advance(minutes=14, seconds=59)
    assert auth_failure(console.sign_in, "ann", PASSWORD) == LOCKED

    crm.clock.advance(seconds=1)  # 15 minutes after the fifth failure
    challenge = console.sign_in("ann", PASSWORD)
    assert console.verify_code(challenge.challenge_id, crm.last_code("ann")).employee.login == "ann"


def test_wrong_codes_count_towards_the_lock(crm: Crm, ann: str) -> None:
    console = crm.new_console()
    for _ in range(2):
        auth_failure(console.sign_in, "ann", "wrong password")
    challenge = console.sign_in("ann", PASSWORD)
    code = crm.last_code("ann")
    for _ in range(3):
        auth_failure(console.verify_code, challenge.challenge_id, wrong(code))
    assert auth_failure(console.sign_in, "ann", PASSWORD) == LOCKED  # 2 + 3 = 5 failures


def test_a_lock_set_meanwhile_stops_the_code_step(crm: Crm, ann: str) -> None:
    console = crm.new_console()
    challenge = console.sign_in("ann", PASSWORD)
    code = crm.last_code("ann")
    for _ in range(policy.MAX_FAILED_ATTEMPTS):
        auth_failure(crm.new_console().sign_in, "ann", "wrong password")
    assert auth_failure(console.verify_code, challenge.challenge_id, code) == LOCKED


def test_success_resets_the_failure_count(crm: Crm, ann: str) -> None:
    for _ in range(policy.MAX_FAILED_ATTEMPTS - 1):
        auth_failure(crm.new_console().sign_in, "ann", "wrong password")
    crm.sign_in("ann")
    for _ in range(policy.MAX_FAILED_ATTEMPTS - 1):
        auth_failure(crm.new_console().sign_in, "ann", "wrong password")
    assert crm.sign_in("ann").whoami().login == "ann"


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
    for _ in range(policy.MAX_FAILED_ATTEMPTS):
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


def test_the_lockout_message_names_the_lockout_duration() -> None:
    from core import sign_in as policy

    assert f"locked for {int(policy.LOCKOUT.total_seconds() // 60)} minutes" in LOCKED
