"""`crm report`: JSON figures, files, and one-line errors with exit code 1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from cli import app
from core.clock import FixedClock
from tests import report_money_world, report_world
from tests.helpers import T0, Crm

runner = CliRunner()
MARCH = ("--from", "2025-03-01", "--to", "2025-03-31")


@pytest.fixture
def db(sqlite_store: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    crm = Crm(sqlite_store, FixedClock(T0))
    report_money_world.build(crm.engine, report_world.build(crm))
    crm.add_employee("op", role="operator")
    crm.close()
    monkeypatch.setenv("CRM_CONFIG", str(tmp_path / "none.toml"))
    yield sqlite_store


def invoke(db: str, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["report", *args, "--db", db])


def test_calls_as_json_and_as_a_table(db: str) -> None:
    result = invoke(db, "calls", *MARCH, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [(r["employee"], r["calls"], r["successful"]) for r in data["rows"]] == [
        ("Ann R", 1, 0),
        ("Bob R", 3, 1),
        ("Cat R", 1, 1),
    ]
    table = invoke(db, "calls", *MARCH, "--desk", "Desk B")
    assert table.exit_code == 0 and "Cat R" in table.output and "Bob R" not in table.output


def test_periods_by_week_and_the_funnel(db: str) -> None:
    weeks = json.loads(invoke(db, "periods", *MARCH, "--by", "week", "--format", "json").output)
    assert [r["start"] for r in weeks["rows"]][:2] == ["2025-02-24", "2025-03-03"]
    funnel = json.loads(invoke(db, "funnel", *MARCH, "--format", "json").output)
    assert funnel["total"]["new"] == 4 and funnel["total"]["product"] == 1


def test_an_xlsx_file_and_the_audit(db: str, tmp_path: Path) -> None:
    target = tmp_path / "calls.xlsx"
    result = invoke(db, "calls", *MARCH, "--format", "xlsx", "--output", str(target))
    assert result.exit_code == 0, result.output
    rows = list(load_workbook(target).active.iter_rows(min_row=3, values_only=True))
    assert rows[1][:4] == ("Bob R", 3, 2, 1)
    crm = Crm(db, FixedClock(T0))
    assert [(r.login, r.report, r.format) for r in crm.rows("report_export")] == [("local", "calls", "xlsx")]
    crm.close()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("calls", *MARCH, "--as", "op"), "crm: Your role may not see reports."),
        (("calls", *MARCH, "--format", "pdf"), "crm: Unknown format 'pdf'"),
        (("calls", "--period", "someday"), "crm: Unknown period 'someday'"),
        (
            ("calls", "--from", "2025-03-05", "--to", "2025-03-01"),
            "crm: The period ends before it starts.",
        ),
        (("calls", *MARCH, "--format", "xlsx"), "crm: An XLSX file needs --output FILE."),
        (("calls", *MARCH, "--desk", "Nowhere"), "crm: No desk named 'Nowhere'."),
        (("periods", *MARCH, "--by", "fortnight"), "crm: granularity: Input should be"),
    ],
)
def test_errors_are_one_line(db: str, args: tuple[str, ...], message: str) -> None:
    result = invoke(db, *args)
    assert result.exit_code == 1
    assert result.output.strip().startswith(message), result.output
    assert "Traceback" not in result.output


def test_the_success_set_from_the_settings(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRM_REPORT_SUCCESS", "think, refused")
    data = json.loads(invoke(db, "calls", *MARCH, "--format", "json").output)
    assert data["success"] == ["think", "refused"]
    assert [(r["employee"], r["successful"]) for r in data["rows"]] == [("Ann R", 1), ("Bob R", 1), ("Cat R", 0)]
    chosen = json.loads(invoke(db, "calls", *MARCH, "--success", "agreed", "--format", "json").output)
    assert chosen["success"] == ["agreed"]  # the command line wins


def test_sales_and_payments_as_json_a_table_and_xlsx(db: str, tmp_path: Path) -> None:
    sales = json.loads(invoke(db, "sales", *MARCH, "--employee", "Cat R", "--format", "json").output)
    assert [(r["employee"], r["currency"], r["first_sum"]) for r in sales["rows"]] == [("Cat R", "EUR", "1000.00")]
    table = invoke(db, "payments", *MARCH)
    assert table.exit_code == 0, table.output
    assert "Payment systems" in table.output and "1 300.00" in table.output and "75.0%" in table.output
    target = tmp_path / "payments.xlsx"
    assert invoke(db, "payments", *MARCH, "--format", "xlsx", "--output", str(target)).exit_code == 0
    rows = list(load_workbook(target).active.iter_rows(min_row=3, values_only=True))
    assert rows[0] == ("Skrill", "EUR", 2, 1300, 1, 0, 0, 0)


def test_files_in_the_chosen_language_json_keeps_english_keys(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CRM_LANG", raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    target = tmp_path / "calls.xlsx"
    assert invoke(db, "calls", *MARCH, "--format", "xlsx", "--output", str(target), "--lang", "ru").exit_code == 0
    book = load_workbook(target)
    assert book.sheetnames == ["Звонки по сотрудникам"]
    assert next(book.active.iter_rows(min_row=2, max_row=2, max_col=3, values_only=True)) == (
        "Сотрудник", "Звонки", "Дозвонились"
    )  # fmt: skip
    assert invoke(db, "funnel", *MARCH, "--format", "csv").output.lstrip("\ufeff").startswith("Funnel by channel")
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")  # without --lang: the locale, like the console
    assert invoke(db, "funnel", *MARCH, "--format", "csv").output.lstrip("\ufeff").startswith("Воронка по каналам")
    monkeypatch.setenv("CRM_LANG", "en")  # the lang setting before the locale
    assert invoke(db, "funnel", *MARCH, "--format", "csv").output.lstrip("\ufeff").startswith("Funnel by channel")
    data = json.loads(invoke(db, "calls", *MARCH, "--format", "json", "--lang", "ru").output)
    assert set(data["total"]) >= {"employee", "calls", "reached"}
