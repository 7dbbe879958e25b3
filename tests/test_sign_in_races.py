"""S1 under concurrency: code attempts and attempt counters are taken atomically (issue 8, defect 5)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from core.access import sign_in as policy
from core.access.throttle import LOGIN_AT_ADDRESS, TooManyAttempts
from core.console import LocalConsole
from core.errors import AuthFailed
from storage.sql_repository import SqlRepository
from tests.helpers import PASSWORD, Crm

PARALLEL = 24


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every code actually compared with the digest."""
    seen: list[str] = []
    lock = threading.Lock()
    original = policy.code_matches

    def counting(key: bytes, challenge_id: str, code: str, digest: str) -> bool:
        with lock:
            seen.append(code)
        return original(key, challenge_id, code, digest)

    monkeypatch.setattr(policy, "code_matches", counting)
    return seen


def _together(crm: Crm, addresses: list[str], challenge_id: str, code: str) -> list[str]:
    """Send the same code from each address at once; the kind of each answer."""
    repo = SqlRepository(crm.engine)
    barrier = threading.Barrier(len(addresses))

    def attempt(address: str) -> str:
        console = LocalConsole(repo, clock=crm.clock, address=address)
        barrier.wait()
        try:
            console.verify_code(challenge_id, code)
        except TooManyAttempts:
            return "too_many"
        except AuthFailed:
            return "failed"
        return "signed_in"

    with ThreadPoolExecutor(len(addresses)) as pool:
        return list(pool.map(attempt, addresses))


def test_parallel_wrong_codes_from_many_addresses_check_at_most_three(crm: Crm, checked: list[str]) -> None:
    crm.add_employee("ann", role="operator")
    challenge = crm.new_console().sign_in("ann", PASSWORD)
    code = crm.last_code("ann")

    answers = _together(crm, [f"203.0.113.{n}" for n in range(PARALLEL)], challenge.challenge_id, wrong(code))

    assert answers == ["failed"] * PARALLEL
    assert len(checked) == policy.MAX_CODE_ATTEMPTS
    (row,) = crm.rows_by_key("auth_challenge", challenge.challenge_id)
    assert row.attempts == policy.MAX_CODE_ATTEMPTS
    with pytest.raises(AuthFailed):  # the challenge is dead: even the right code is refused
        crm.new_console().verify_code(challenge.challenge_id, code)


def test_parallel_wrong_codes_from_one_address_block_it_consistently(crm: Crm, checked: list[str]) -> None:
    crm.add_employee("ann", role="operator")
    console = LocalConsole(SqlRepository(crm.engine), clock=crm.clock, address="198.51.100.5")
    challenge = console.sign_in("ann", PASSWORD)  # one attempt of the pair
    code = crm.last_code("ann")

    answers = _together(crm, ["198.51.100.5"] * PARALLEL, challenge.challenge_id, wrong(code))

    taken = LOGIN_AT_ADDRESS.free - 1  # the sign-in took the first
    assert answers.count("failed") == taken
    assert answers.count("too_many") == PARALLEL - taken
    assert len(checked) == policy.MAX_CODE_ATTEMPTS
    key = LOGIN_AT_ADDRESS.key("ann", "198.51.100.5")
    (counter,) = crm.rows_by_key("attempt_counter", key)
    assert counter.attempts == LOGIN_AT_ADDRESS.free
    assert counter.blocked_until is not None  # the count reached the limit and the block is set with it
