"""The access part of the Console port's contract (S1): the same tests against the local console and the remote one
(a real uvicorn on 127.0.0.1), on SQLite and on PostgreSQL. Local and remote cannot drift apart."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from core.errors import AuthFailed, NotSignedIn
from core.port import Console
from tests.api.world import World
from tests.helpers import PASSWORD

SignIn = Callable[[str], Console]


# --- sign-in (S1) ----------------------------------------------------------------------------


def test_sign_in_two_steps_then_whoami_then_sign_out(sign_in: SignIn, world: World) -> None:
    console = sign_in("op_a")
    me = console.whoami()
    assert (me.login, me.role) == ("op_a", "operator")
    assert me.desks == ["Main desk"]
    console.sign_out()
    with pytest.raises(NotSignedIn):
        console.whoami()
    with pytest.raises(NotSignedIn):
        console.search("Тестов")


def test_unknown_login_wrong_password_and_wrong_code_look_the_same(
    sign_in: SignIn, world: World, request: pytest.FixtureRequest
) -> None:
    console = sign_in("sup")  # any console of the kind under test; we sign in again on it
    console.sign_out()
    with pytest.raises(AuthFailed) as unknown:
        console.sign_in("nobody_here", PASSWORD)
    with pytest.raises(AuthFailed) as wrong_password:
        console.sign_in("ctl_a", "not the password")
    challenge = console.sign_in("ctl_a", PASSWORD)
    code = world.crm.last_code("ctl_a")
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    with pytest.raises(AuthFailed) as wrong_code:
        console.verify_code(challenge.challenge_id, wrong)
    assert unknown.value.message == wrong_password.value.message == wrong_code.value.message
    assert challenge.channel == "sms" and challenge.sent_to and "*" in challenge.sent_to
    # the right code still works on the same challenge (one wrong attempt of three)
    info = console.verify_code(challenge.challenge_id, code)
    assert info.employee.login == "ctl_a"
    # and a used code is refused
    with pytest.raises(AuthFailed):
        console.verify_code(challenge.challenge_id, code)
