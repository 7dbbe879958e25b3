"""`crm work today`: the employee's day as JSON and as lines; a one-line error with exit code 1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from core.clock import FixedClock
from tests.helpers import T0, Crm, new_client

runner = CliRunner()


@pytest.fixture
def db(sqlite_store: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    crm = Crm(sqlite_store, FixedClock(T0))
    new_client(crm.console("op", role="operator"), surname="Первов", phones=["+79120000031"])
    crm.close()
    monkeypatch.setenv("CRM_CONFIG", str(tmp_path / "none.toml"))
    yield sqlite_store


def run(db: str, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [*args, "--db", db])


def test_work_today_from_the_command_line(db: str) -> None:
    added = run(db, "actions", "add", "1", "call", "2020-01-01T10:00:00+00:00", "--as", "op", "--json")
    assert added.exit_code == 0, added.output
    action_id = json.loads(added.output)["id"]
    result = run(db, "work", "today", "--as", "op", "--zone", "Asia/Vladivostok", "--json")
    assert result.exit_code == 0, result.output
    work = json.loads(result.output)
    assert work["zone"] == "Asia/Vladivostok"
    overdue = work["sections"][0]
    assert (overdue["section"], overdue["count"], overdue["items"][0]["id"]) == ("overdue", 1, action_id)
    assert overdue["items"][0]["client"] == "Первов Иван Иванович"
    lines = run(db, "work", "today", "--as", "op").output
    assert "Overdue actions: 1" in lines and "OVERDUE" in lines and "My clients online: 0" in lines
    bad = run(db, "work", "today", "--as", "op", "--zone", "Mars/Olympus")
    assert bad.exit_code == 1 and bad.output.strip() == "crm: Unknown time zone."
    nobody = run(db, "work", "today", "--as", "ghost")
    assert nobody.exit_code == 1 and "No active employee" in nobody.output
