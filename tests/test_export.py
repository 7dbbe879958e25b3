"""M9 export: the permission, masked values never in a masked role's file, the audit, both formats."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import text
from typer.testing import CliRunner

from cli import app
from core.clock import FixedClock
from core.console import LocalConsole
from core.errors import PermissionDenied, ValidationFailed
from tests.helpers import T0, Crm, new_client

runner = CliRunner()


def _grant_export(crm: Crm, role: str) -> None:
    with crm.engine.begin() as conn:
        conn.execute(text(f"UPDATE role SET permissions = permissions || ',export' WHERE code = '{role}'"))


def test_a_masked_role_never_gets_a_phone_in_the_file(crm: Crm, console: LocalConsole) -> None:
    card = new_client(console, phones=["+79123456701"])
    _grant_export(crm, "operator")
    operator = crm.console("op", role="operator")
    data = operator.export_clients("csv", ids=[card.id]).content.decode("utf-8-sig")
    assert "*" in data  # the masked form, as the operator sees it
    assert "9123456701" not in data.replace(" ", "").replace("-", "")
    full = console.export_clients("csv", ids=[card.id]).content.decode("utf-8-sig")
    assert "+79123456701" in full
    assert [(r.login, r.report, r.rows) for r in crm.rows("report_export")] == [
        ("op", "clients", 1),
        ("boss", "clients", 1),
    ]
    assert all("791" not in (r.filters or "") for r in crm.rows("report_export"))


def test_no_export_without_the_permission_and_other_desks_stay_out(crm: Crm, console: LocalConsole) -> None:
    operator = crm.console("op", role="operator")
    with pytest.raises(PermissionDenied, match="may not export clients"):
        operator.export_clients("csv", query="Иванов")
    other = crm.console("other", role="supervisor", desks=("Other desk",))
    theirs = new_client(other, phones=["+79123456702"])
    _grant_export(crm, "office")
    office = crm.console("off", role="office")
    book = load_workbook(BytesIO(office.export_clients("xlsx", ids=[theirs.id]).content))
    assert list(book.active.iter_rows(values_only=True))[1:] == []
    with pytest.raises(ValidationFailed, match="a search or a list of ids"):
        console.export_clients("csv")


def test_crm_export(sqlite_store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRM_CONFIG", str(tmp_path / "none.toml"))
    crm = Crm(sqlite_store, FixedClock(T0))
    card = new_client(crm.console("boss"), phones=["+79123456703"])
    crm.add_employee("op", role="operator")
    crm.close()
    target = tmp_path / "c.xlsx"
    done = runner.invoke(
        app, ["export", "--format", "xlsx", "--ids", str(card.id), "-o", str(target), "--db", sqlite_store]
    )
    assert done.exit_code == 0, done.output
    assert list(load_workbook(target).active.iter_rows(values_only=True))[1][0] == card.id
    refused = runner.invoke(app, ["export", "--query", "Иванов", "--as", "op", "--db", sqlite_store])
    assert refused.exit_code == 1 and refused.output.strip() == "crm: Your role may not export clients."
