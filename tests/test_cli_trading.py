"""`crm events replay FILE` (the core path of the webhook; a replay is a no-op), the simulator's
determinism, `crm deposits list|execute|reject --json`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from core.clock import FixedClock
from core.trading.simulator import Simulator
from tests.helpers import T0, Crm, new_client

runner = CliRunner()


@pytest.fixture
def world(sqlite_store: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[tuple[str, int]]:
    crm = Crm(sqlite_store, FixedClock(T0))
    card = new_client(crm.console("boss"))
    crm.close()
    monkeypatch.setenv("CRM_CONFIG", str(tmp_path / "none.toml"))
    yield sqlite_store, card.id


def _file(tmp_path: Path, client_id: int) -> Path:
    at = "2025-03-10T09:00:00Z"
    lines = [
        {"id": "f-1", "kind": "registered", "at": at, "client_id": client_id},
        {"id": "f-2", "kind": "real_account", "at": at, "client_id": client_id, "account": "R-1", "currency": "USD"},
        {"id": "f-3", "kind": "deposit", "at": at, "client_id": client_id, "account": "R-1", "currency": "USD",
         "amount": "300.00", "payment_system": "Bank wire", "status": "requested", "manual": True},
    ]  # fmt: skip
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n\n", encoding="utf-8")
    return path


def test_replay_twice_applies_once(world: tuple[str, int], tmp_path: Path) -> None:
    db, client_id = world
    path = _file(tmp_path, client_id)
    first = runner.invoke(app, ["events", "replay", str(path), "--db", db])
    assert first.exit_code == 0, first.output
    assert first.output.strip() == "3 applied"
    again = runner.invoke(app, ["events", "replay", str(path), "--db", db, "--json"])
    assert [json.loads(line)["outcome"] for line in again.output.splitlines()] == ["duplicate"] * 3


def test_a_bad_line_names_its_place(world: tuple[str, int], tmp_path: Path) -> None:
    db, _client = world
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "x", "kind": "nonsense", "at": "2025-03-10T09:00:00Z", "client_id": 1}\n', encoding="utf-8")
    result = runner.invoke(app, ["events", "replay", str(path), "--db", db])
    assert result.exit_code == 1 and f"{path}:1: kind" in result.output


def test_the_deposit_queue(world: tuple[str, int], tmp_path: Path) -> None:
    db, client_id = world
    runner.invoke(app, ["events", "replay", str(_file(tmp_path, client_id)), "--db", db])
    listed = runner.invoke(app, ["deposits", "list", "--db", db, "--json"])
    (request,) = json.loads(listed.output)
    assert (request["status"], request["amount"], request["payment_system"]) == (
        "pending",
        {"amount": "300.00", "currency": "USD"},
        "Bank wire",
    )
    done = runner.invoke(app, ["deposits", "execute", str(request["id"]), "--db", db, "--json"])
    assert json.loads(done.output)[0]["status"] == "executed"
    twice = runner.invoke(app, ["deposits", "execute", str(request["id"]), "--db", db])
    assert twice.exit_code == 1 and "executed already" in twice.output
    assert runner.invoke(app, ["deposits", "list", "--db", db]).output.strip() == "No requests."


def test_the_simulator_is_deterministic() -> None:
    clock = FixedClock(datetime(2025, 3, 10, tzinfo=UTC))
    one = [e.model_dump() for e in Simulator([1, 2, 3], clock, seed=7, steps=60).events()]
    two = [e.model_dump() for e in Simulator([1, 2, 3], clock, seed=7, steps=60).events()]
    other = [e.model_dump() for e in Simulator([1, 2, 3], clock, seed=8, steps=60).events()]
    assert one == two and one != other
    assert {"registered", "real_account", "deposit", "trade_opened"} <= {e["kind"] for e in one}
