"""`crm admin`: the scenario of the issue on the command line, JSON lists, one-line errors, the QR code."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from core.clock import FixedClock
from tests.helpers import T0, Crm

runner = CliRunner()


@pytest.fixture
def db(sqlite_store: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    crm = Crm(sqlite_store, FixedClock(T0))
    crm.add_employee("admin", role="admin")
    crm.add_employee("operator2", role="operator")
    crm.close()
    monkeypatch.setenv("CRM_CONFIG", str(tmp_path / "none.toml"))
    yield sqlite_store


def invoke(db: str, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["admin", *args, "--db", db])


def test_a_junior_operator_role_without_contacts(db: str) -> None:
    made = invoke(db, "role-add", "junior", "--name", "Junior operator", "--copy-from", "operator", "--as", "admin")
    assert made.exit_code == 0, made.output
    changed = invoke(db, "role-edit", "junior", "--mask-phone", "masked", "--as", "admin")
    assert changed.exit_code == 0, changed.output
    assert invoke(db, "edit", "operator2", "--role", "junior", "--as", "admin").exit_code == 0
    people = json.loads(invoke(db, "employees", "--role", "junior", "--json").output)
    assert [p["login"] for p in people] == ["operator2"]
    roles = {r["code"]: r for r in json.loads(invoke(db, "roles", "--json").output)}
    assert roles["junior"]["members"] == 1 and roles["junior"]["mask_phone"] is True
    audit = json.loads(invoke(db, "audit", "--target", "operator2", "--json").output)
    assert audit[0]["actor"] == "admin" and audit[0]["changes"] == [
        {"field": "role", "old": "operator", "new": "junior"}
    ]


def test_errors_are_one_line_with_exit_code_1(db: str) -> None:
    result = invoke(db, "role-delete", "operator")
    assert result.exit_code == 1 and result.output.strip() == (
        "crm: The role is given to 1 employee(s): give them another role first."
    )
    assert invoke(db, "edit", "nobody", "--name", "X").output.strip() == "crm: No employee with login 'nobody'."


def test_totp_shows_the_uri_and_a_qr_code(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRM_PLAIN", "1")
    result = invoke(db, "second-factor", "operator2", "totp")
    assert result.exit_code == 0, result.output
    assert "URI: otpauth://totp/crm-console:operator2?secret=" in result.output
    assert "#######" in result.output and "█" not in result.output  # plain: ASCII only
