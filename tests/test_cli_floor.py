"""`crm floor`: the floor as JSON and as a table, as the local administrator or as an employee."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from core.clock import FixedClock
from tests.helpers import Crm

runner = CliRunner()


@pytest.fixture
def db(sqlite_store: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    crm = Crm(sqlite_store, FixedClock(datetime.now(UTC)))  # the command reads the floor at the real time
    crm.add_employee("op", role="operator", full_name="Olga Operator")
    crm.sign_in("op")
    crm.close()
    monkeypatch.setenv("CRM_CONFIG", str(tmp_path / "none.toml"))
    yield sqlite_store


def test_the_floor_as_json_and_as_a_table(db: str) -> None:
    result = runner.invoke(app, ["floor", "--json", "--db", db])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [e["employee"] for e in data["employees"]] == ["Olga Operator"]
    assert len(data["hours"]) == 24

    table = runner.invoke(app, ["floor", "--db", db])
    assert table.exit_code == 0 and "Olga Operator" in table.output


def test_an_employee_without_the_permission_gets_one_line(db: str) -> None:
    result = runner.invoke(app, ["floor", "--as", "op", "--db", db])
    assert result.exit_code == 1
    assert "may not see the floor" in result.output and "Traceback" not in result.output
