"""I4: the webhook on a real uvicorn, both engines: a signed event applies, a replay is a no-op,
a bad signature or a stale timestamp is 401 with nothing written, a body over the limit 413.

One database and one server per engine serve the module's tests: each makes its own card and
event ids, and "nothing written" is the table's count before and after."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from core.clients.models import ClientCard
from core.clock import FixedClock
from core.trading.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign
from tests.api.world import ApiServer, unique_phone
from tests.helpers import T0, Crm, new_client

SECRET = "webhook-test-secret"


@pytest.fixture(scope="module")
def crm(module_store: str) -> Iterator[Crm]:
    """The module's database, with the supervisor who enters the cards."""
    crm = Crm(module_store, FixedClock(T0))
    crm.add_employee("boss")
    yield crm
    crm.close()


@pytest.fixture(scope="module")
def server(module_store: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CRM_EVENTS_SECRET", SECRET)
        mp.setenv("CRM_EVENTS_TOLERANCE_S", "300")
        server = ApiServer(module_store, tmp_path_factory.mktemp("webhook") / "api.log").start()
    yield server
    server.stop()


def card_of(crm: Crm) -> ClientCard:
    """A new lead of the module's database (a phone of its own)."""
    return new_client(crm.sign_in("boss"), phones=[unique_phone()])


def post(server: ApiServer, payload: dict[str, object], secret: str = SECRET, skew: int = 0) -> httpx.Response:
    body = json.dumps(payload).encode()
    ts = int(time.time()) + skew
    headers = {TIMESTAMP_HEADER: str(ts), SIGNATURE_HEADER: sign(secret, ts, body), "Content-Type": "application/json"}
    return httpx.post(server.url + "/api/v1/events", content=body, headers=headers, timeout=10)


def test_signed_events_apply_once(server: ApiServer, crm: Crm) -> None:
    card = card_of(crm)
    now = "2025-03-10T09:00:00Z"
    first = post(server, {"id": "w-1", "kind": "registered", "at": now, "client_id": card.id})
    assert first.status_code == 200, first.text
    assert first.json()["outcome"] == "applied" and first.json()["lifecycle"] == "demo"
    again = post(server, {"id": "w-1", "kind": "registered", "at": now, "client_id": card.id})
    assert again.status_code == 200 and again.json()["outcome"] == "duplicate"
    deposit = {"id": "w-2", "kind": "deposit", "at": now, "client_id": card.id, "account": "R-1", "currency": "USD"}
    deposit |= {"amount": "250.50", "payment_system": "Visa", "status": "completed"}
    assert post(server, deposit).json()["outcome"] == "applied"
    assert post(server, deposit).json()["outcome"] == "duplicate"
    assert crm.count("platform_event", client_id=card.id) == 2
    (row,) = crm.rows("money_request", client_id=card.id)
    assert str(row.amount) == "250.50"
    assert crm.count("contact", client_id=card.id, kind="status") == 2  # created, lead -> demo


def test_bad_signature_and_stale_timestamp_write_nothing(server: ApiServer, crm: Crm) -> None:
    card = card_of(crm)
    before = crm.count("platform_event")
    event = {"id": "w-9", "kind": "registered", "at": "2025-03-10T09:00:00Z", "client_id": card.id}
    wrong = post(server, event, secret="not-the-secret")
    assert wrong.status_code == 401 and "signature" in wrong.json()["message"]
    stale = post(server, event, skew=-301)
    assert stale.status_code == 401 and "fresh" in stale.json()["message"]
    future = post(server, event, skew=+400)
    assert future.status_code == 401
    unsigned = httpx.post(server.url + "/api/v1/events", json=event, timeout=10)
    assert unsigned.status_code == 401
    body = json.dumps(event).encode()
    ts = int(time.time())
    tampered = httpx.post(  # signed, then the body changed
        server.url + "/api/v1/events",
        content=body.replace(b"registered", b"real_account"),
        headers={TIMESTAMP_HEADER: str(ts), SIGNATURE_HEADER: sign(SECRET, ts, body)},
        timeout=10,
    )
    assert tampered.status_code == 401
    assert crm.count("platform_event") == before
    assert crm.repo.card(card.id, 0).lifecycle == "lead"  # type: ignore[union-attr]


def test_malformed_and_oversized(server: ApiServer, crm: Crm) -> None:
    before = crm.count("platform_event")
    bad = post(server, {"id": "w-5", "kind": "nonsense", "at": "2025-03-10T09:00:00Z", "client_id": 1})
    assert bad.status_code == 422
    huge = post(
        server, {"id": "w-6", "kind": "registered", "at": "2025-03-10T09:00:00Z", "client_id": 1, "x": "a" * 70_000}
    )
    assert huge.status_code == 413
    assert crm.count("platform_event") == before


def test_crm_simulate_posts_signed_events_to_a_server(
    server: ApiServer, crm: Crm, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`crm simulate --server`: the platform as a real one would be, signed, through the webhook."""
    from typer.testing import CliRunner

    from cli import app

    monkeypatch.setenv("CRM_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("CRM_EVENTS_SECRET", SECRET)  # the platform's copy of the server's secret
    card = card_of(crm)
    command = ["simulate", "--server", server.url, "--ids", str(card.id), "--steps", "4", "--interval", "0"]
    result = CliRunner().invoke(app, [*command, "--json"])
    assert result.exit_code == 0, result.output
    outcomes = [json.loads(line) for line in result.output.splitlines()]
    assert outcomes[0]["outcome"] == "applied" and outcomes[0]["lifecycle"] == "demo"  # a lead registers first
    assert crm.count("platform_event", client_id=card.id) == 4
    monkeypatch.setenv("CRM_EVENTS_SECRET", "not-the-secret")
    refused = CliRunner().invoke(app, command)
    assert refused.exit_code == 1 and "refused the signature" in refused.output
    assert crm.count("platform_event", client_id=card.id) == 4
