"""The HTTP side of the API in-process: tokens, error bodies, idempotency over HTTP, OpenAPI."""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import create_app
from core.access import tokens
from core.clock import FixedClock
from storage.engine import read
from storage.tables_access import ApiTokenRow
from storage.users import disable
from tests.api.world import World
from tests.helpers import PASSWORD, T0

V1 = "/api/v1"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def own_http(sqlite_world: World, clock: FixedClock) -> Iterator[TestClient]:
    """An app over a world of the test's own, for a test that moves the clock, or disables or
    blocks an employee."""
    with TestClient(create_app(sqlite_world.target, clock=clock)) as client:
        yield client


@pytest.fixture(scope="module")
def http(module_sqlite_world: World) -> Iterator[TestClient]:
    """One app over the module's world for the other tests (each makes its own cards)."""
    with TestClient(create_app(module_sqlite_world.target, clock=FixedClock(T0))) as client:
        yield client


def sign_in(http: TestClient, world: World, login: str) -> dict[str, str]:
    challenge = http.post(f"{V1}/auth/login", json={"login": login, "password": PASSWORD})
    assert challenge.status_code == 200, challenge.text
    code = world.crm.last_code(login)
    session = http.post(f"{V1}/auth/verify", json={"challenge_id": challenge.json()["challenge_id"], "code": code})
    assert session.status_code == 200, session.text
    return {"Authorization": f"Bearer {session.json()['access_token']}"}


# --- tokens ---------------------------------------------------------------------------------


def test_token_is_random_and_only_its_hash_is_stored(http: TestClient, module_sqlite_world: World) -> None:
    headers = sign_in(http, module_sqlite_world, "op_a")
    token = headers["Authorization"].split()[1]
    assert len(token) >= 43  # 32 random bytes, url-safe base64
    with read(module_sqlite_world.crm.engine) as conn:
        stored = list(conn.scalars(select(ApiTokenRow.digest)))
    assert token not in stored and tokens.token_digest(token) in stored


def test_token_dies_after_idle_time_but_use_keeps_it_alive(
    own_http: TestClient, sqlite_world: World, clock: FixedClock
) -> None:
    headers = sign_in(own_http, sqlite_world, "op_a")
    for _ in range(5):  # used every 20 minutes: stays alive past the idle limit
        clock.advance(minutes=20)
        assert own_http.get(f"{V1}/auth/me", headers=headers).status_code == 200
    clock.advance(minutes=31)
    answer = own_http.get(f"{V1}/auth/me", headers=headers)
    assert answer.status_code == 401
    assert answer.json() == {"error": "not_signed_in", "message": tokens.SESSION_ENDED}
    assert answer.headers["WWW-Authenticate"] == "Bearer"


def test_token_dies_at_the_absolute_limit_even_when_used(
    own_http: TestClient, sqlite_world: World, clock: FixedClock
) -> None:
    headers = sign_in(own_http, sqlite_world, "op_a")
    for _ in range(12 * 3 - 1):
        clock.advance(minutes=20)
        assert own_http.get(f"{V1}/auth/me", headers=headers).status_code == 200
    clock.advance(minutes=20)
    assert own_http.get(f"{V1}/auth/me", headers=headers).status_code == 401


def test_sign_out_and_disabling_the_employee_kill_tokens(own_http: TestClient, sqlite_world: World) -> None:
    first = sign_in(own_http, sqlite_world, "op_a")
    second = sign_in(own_http, sqlite_world, "op_a")
    assert own_http.post(f"{V1}/auth/logout", headers=first).status_code == 204
    assert own_http.get(f"{V1}/auth/me", headers=first).status_code == 401
    assert own_http.get(f"{V1}/auth/me", headers=second).status_code == 200
    disable(sqlite_world.crm.engine, "op_a")
    assert own_http.get(f"{V1}/auth/me", headers=second).status_code == 401
    assert own_http.get(f"{V1}/clients", params={"q": "x"}, headers=second).status_code == 401


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer ", "Bearer not-a-token", "Basic dXNlcjpwYXNz", "bearer " + "A" * 43],
)
def test_missing_or_bad_token_answers_401_with_the_error_body(http: TestClient, header: str | None) -> None:
    headers = {"Authorization": header} if header is not None else {}
    answer = http.get(f"{V1}/clients", params={"q": "x"}, headers=headers)
    assert answer.status_code == 401
    assert answer.json()["error"] == "not_signed_in"


def test_expires_at_is_the_idle_limit(own_http: TestClient, sqlite_world: World, clock: FixedClock) -> None:
    challenge = own_http.post(f"{V1}/auth/login", json={"login": "op_a", "password": PASSWORD}).json()
    body = own_http.post(
        f"{V1}/auth/verify",
        json={"challenge_id": challenge["challenge_id"], "code": sqlite_world.crm.last_code("op_a")},
    ).json()
    assert body["expires_at"].startswith((clock.now() + tokens.IDLE).strftime("%Y-%m-%dT%H:%M"))
    assert body["employee"]["login"] == "op_a"


def test_failed_sign_ins_look_the_same_and_block_only_that_address(own_http: TestClient, sqlite_world: World) -> None:
    """Unknown and known logins answer alike (401, then 429 with Retry-After); the block holds for the
    login at that address only, so a stranger cannot lock the employee out."""

    def answers(login: str) -> list[tuple[int, str, str | None]]:
        out = []
        for _ in range(6):
            answer = own_http.post(f"{V1}/auth/login", json={"login": login, "password": "x"})
            out.append((answer.status_code, answer.text, answer.headers.get("Retry-After")))
        return out

    known = answers("ctl_a")
    assert answers("ghost") == known
    assert [(status, retry) for status, _, retry in known] == [(401, None)] * 5 + [(429, "900")]
    blocked = own_http.post(f"{V1}/auth/login", json={"login": "ctl_a", "password": PASSWORD})
    assert blocked.status_code == 429 and blocked.json()["error"] == "too_many_attempts"
    own_desk = TestClient(own_http.app, client=("10.20.30.40", 50000))
    assert own_desk.post(f"{V1}/auth/login", json={"login": "ctl_a", "password": PASSWORD}).status_code == 200


# --- error bodies ---------------------------------------------------------------------------


def test_error_bodies(http: TestClient, module_sqlite_world: World) -> None:
    headers = sign_in(http, module_sqlite_world, "op_a")
    missing = http.get(f"{V1}/clients/2000000000", headers=headers)
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"
    bad = http.get(f"{V1}/clients/abc", headers=headers)  # not a client's path: ids are numbers
    assert bad.status_code == 404 and bad.json()["error"] == "not_found"
    huge = http.get(f"{V1}/clients/{2**40}", headers=headers)
    assert huge.status_code == 422 and huge.json()["error"] == "invalid" and huge.json()["field"] == "client_id"
    card = module_sqlite_world.client("A")
    stale = http.put(
        f"{V1}/clients/{card.id}/personal",
        json={"surname": "Новый", "first_name": "К", "expected_version": card.personal_version + 5},
        headers=headers,
    )
    assert stale.status_code == 409 and stale.json()["error"] == "conflict"
    no_route = http.get(f"{V1}/nowhere", headers=headers)
    assert no_route.status_code == 404 and no_route.json()["error"] == "not_found"


def test_a_duplicate_answers_422_with_masked_matches(http: TestClient, module_sqlite_world: World) -> None:
    headers = sign_in(http, module_sqlite_world, "op_a")
    card = module_sqlite_world.client("A")
    phone = card.phones[0].number
    answer = http.post(
        f"{V1}/clients", json={"surname": "Дублев", "first_name": "Д", "phones": [phone]}, headers=headers
    )
    assert answer.status_code == 422
    body = answer.json()
    assert body["error"] == "duplicate" and body["field"] == "phones"
    assert [m["id"] for m in body["matches"]] == [card.id]
    assert phone not in answer.text and phone[2:] not in answer.text


def test_nul_characters_are_refused(http: TestClient, module_sqlite_world: World) -> None:
    headers = sign_in(http, module_sqlite_world, "op_a")
    assert http.get(f"{V1}/clients", params={"q": "ab\x00c"}, headers=headers).status_code == 422
    card = module_sqlite_world.client("A")
    answer = http.post(f"{V1}/clients/{card.id}/comments", json={"text": "a\x00b"}, headers=headers)
    assert answer.status_code == 422 and answer.json()["error"] == "invalid"


# --- idempotency over HTTP ------------------------------------------------------------------


def test_concurrent_retries_with_one_key_send_one_sms(http: TestClient, module_sqlite_world: World) -> None:
    headers = sign_in(http, module_sqlite_world, "off_a")
    card = module_sqlite_world.client("A")
    key = f"k-{uuid.uuid4()}"
    body = {"template_code": "callback", "phone_id": card.phones[0].id}
    answers: list[tuple[int, dict[str, object]]] = []

    def send() -> None:
        answer = http.post(f"{V1}/clients/{card.id}/sms", json=body, headers={**headers, "Idempotency-Key": key})
        answers.append((answer.status_code, answer.json()))

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert module_sqlite_world.outbox_count(card.id) == 1
    ok = [b for status, b in answers if status == 201]
    assert ok and all(b == ok[0] for b in ok)
    assert all(status in (201, 409) for status, _ in answers)


def test_the_same_key_of_another_employee_is_another_request(http: TestClient, module_sqlite_world: World) -> None:
    card = module_sqlite_world.client("A")
    key = f"k-{uuid.uuid4()}"
    body = {"template_code": "callback", "phone_id": card.phones[0].id}
    for login in ("off_a", "sup"):
        headers = {**sign_in(http, module_sqlite_world, login), "Idempotency-Key": key}
        assert http.post(f"{V1}/clients/{card.id}/sms", json=body, headers=headers).status_code == 201
    assert module_sqlite_world.outbox_count(card.id) == 2


def test_a_bad_idempotency_key_is_refused(http: TestClient, module_sqlite_world: World) -> None:
    headers = {**sign_in(http, module_sqlite_world, "off_a"), "Idempotency-Key": "short"}
    card = module_sqlite_world.client("A")
    answer = http.post(f"{V1}/clients/{card.id}/sms", json={"template_code": "callback"}, headers=headers)
    assert answer.status_code == 422 and answer.json()["error"] == "invalid"
    assert module_sqlite_world.outbox_count(card.id) == 0


# --- service routes -------------------------------------------------------------------------


def test_health_openapi_and_docs(http: TestClient) -> None:
    assert http.get("/health").json() == {"status": "ok"}
    schema = http.get("/openapi.json").json()
    assert "/api/v1/clients/{client_id}/sms" in schema["paths"]
    assert http.get("/docs").status_code == 200


def test_every_route_but_the_sign_in_steps_needs_a_token(http: TestClient) -> None:
    open_routes = {("POST", f"{V1}/auth/login"), ("POST", f"{V1}/auth/verify")}
    # the platform's webhook is signed with HMAC instead (tests/api/test_events_webhook.py)
    open_routes.add(("POST", f"{V1}/events"))
    checked = 0
    for path, operations in http.app.openapi()["paths"].items():
        if not path.startswith(V1):
            continue
        for method in operations:
            if (method.upper(), path) in open_routes:
                continue
            url = re.sub(r"\{[a-z_]+\}", "1", path)
            answer = http.request(method.upper(), url, json={})
            assert answer.status_code == 401, (method, path, answer.text)
            assert answer.json()["error"] == "not_signed_in"
            checked += 1
    assert checked >= 14


def test_a_desk_change_reaches_the_api_at_the_next_request(http: TestClient, module_sqlite_world: World) -> None:
    """The old token dies at once; the new one sees the new desks, not the cached ones."""
    from storage.users import set_desks

    module_sqlite_world.crm.add_employee("mover", role="operator", desks=("Main desk",))
    headers = sign_in(http, module_sqlite_world, "mover")
    assert http.get(f"{V1}/auth/me", headers=headers).json()["desks"] == ["Main desk"]
    set_desks(module_sqlite_world.crm.engine, "mover", ["Desk B"])
    assert http.get(f"{V1}/auth/me", headers=headers).status_code == 401
    again = sign_in(http, module_sqlite_world, "mover")
    assert http.get(f"{V1}/auth/me", headers=again).json()["desks"] == ["Desk B"]
