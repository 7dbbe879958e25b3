"""`crm simulate` (and `crm demo --simulate`): the platform kept emitting through the webhook's core
path; the same seed over the same database gives the same events; Ctrl+C stops it cleanly between
two events."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from core.clock import FixedClock
from core.trading.simulator import Simulator
from tests.helpers import T0, Crm, new_client

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def world(sqlite_store: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[tuple[str, list[int]]]:
    crm = Crm(sqlite_store, FixedClock(T0))
    boss = crm.console("boss")
    ids = [new_client(boss, phones=[f"8 912 000-00-{10 + i:02d}"]).id for i in range(4)]
    crm.close()
    monkeypatch.setenv("CRM_CONFIG", str(tmp_path / "none.toml"))
    yield sqlite_store, ids


def test_a_bounded_run_applies_every_event(world: tuple[str, list[int]]) -> None:
    db, ids = world
    result = runner.invoke(app, ["simulate", "--db", db, "--steps", "12", "--interval", "0", "--json", "--seed", "3"])
    assert result.exit_code == 0, result.output
    outcomes = [json.loads(line) for line in result.output.splitlines()]
    assert len(outcomes) == 12
    assert {o["outcome"] for o in outcomes} <= {"applied", "ignored"}
    assert any(o["lifecycle"] == "demo" for o in outcomes)  # the leads register first
    again = runner.invoke(app, ["simulate", "--db", db, "--steps", "3", "--interval", "0"])
    assert again.exit_code == 0 and "duplicate" not in again.output  # a new run's ids are new


def test_the_same_seed_and_states_give_the_same_events() -> None:
    states = {1: "lead", 2: "demo", 3: "live", 4: "live"}
    currencies = {3: "USD", 4: "EUR"}

    def run(seed: int) -> list[tuple[str, int]]:
        sim = Simulator([1, 2, 3, 4], FixedClock(T0), seed, states=states, currencies=currencies, prefix="x")
        stream = sim.live()
        return [(e.kind.value, e.client_id) for e in (next(stream) for _ in range(40))]

    assert run(5) == run(5) and run(5) != run(6)
    assert run(5)[0] != ("registered", 3)  # a live client starts live, not as a lead


def test_ctrl_c_stops_between_two_events(world: tuple[str, list[int]], tmp_path: Path) -> None:
    db, _ids = world
    env = {**os.environ, "CRM_CONFIG": str(tmp_path / "none.toml")}
    command = [sys.executable, "-m", "cli", "simulate", "--db", db, "--interval", "0.05"]
    child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None
    seen = 0
    for line in child.stdout:  # wait for a few events, then Ctrl+C
        seen += " client " in line
        if seen == 3:
            break
    child.send_signal(signal.SIGINT)
    rest, errors = child.communicate(timeout=60)
    assert child.returncode == 0, errors
    assert "Traceback" not in errors and rest.strip().splitlines()[-1].startswith("Stopped: ")
