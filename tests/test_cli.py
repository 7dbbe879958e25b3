"""The command line: stable JSON shapes and one-line errors with exit code 1."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from typer.testing import CliRunner

from cli import app
from core.clients.inputs import NewClient
from core.console import LocalConsole
from storage.engine import make_engine
from storage.sql_repository import SqlRepository
from storage.users import add_employee

runner = CliRunner()


@pytest.fixture()
def db(sqlite_store, tmp_path, monkeypatch):
    path = sqlite_store  # a copy of the migrated template, not a migration per test
    engine = make_engine(path)
    add_employee(engine, "boss", "Петров Пётр", "boss", "admin", ["Main desk"], "+79160000001", datetime.now(UTC))
    console = LocalConsole(SqlRepository(engine))
    console.act_as(SqlRepository(engine).employee_by_login("boss").id)
    region = console.regions()[0]
    town = console.towns(region.id)[0]
    card = console.create_client(
        NewClient(
            surname="Ёжикова",
            first_name="Алёна",
            patronymic="Сергеевна",
            phones=["8 912 345-67-89"],
            region_id=region.id,
            town_id=town.id,
            passport_series="4510",
            passport_number="123456",
            email="Alena@Example.ru",
        )
    )
    console.add_comment(card.id, "first call tomorrow")
    monkeypatch.setenv("CRM_DB", path)
    monkeypatch.setenv("CRM_CONFIG", str(tmp_path / "none.toml"))
    return path, card.id


def invoke(*args: str):
    return runner.invoke(app, list(args))


@pytest.mark.parametrize("query", ["8 912 345-67-89", "+7 (912) 3456789", "9123456789", "+79123456789"])
def test_search_json_finds_the_client_by_every_phone_form(db, query):
    _, client_id = db
    result = invoke("search", query, "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["id"] for r in rows] == [client_id]
    row = rows[0]
    assert row["full_name"] == "Ёжикова Алёна Сергеевна"
    assert row["phones"] == ["+79123456789"]
    assert {"client_type", "region", "desk"} <= row.keys()


@pytest.mark.parametrize("query", ["¹", "²", "٣", "᧚", "id:¹", "12¹"])
def test_search_with_digits_of_any_script_prints_no_traceback(db, query):
    result = invoke("search", query)
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) <= 3


@pytest.mark.parametrize("query", ["ежик", "ЁЖИКОВА АЛ", "ezhik", "4510 123456", "alena@example.RU"])
def test_search_json_other_keys(db, query):
    _, client_id = db
    result = invoke("search", query, "--json")
    assert result.exit_code == 0, result.output
    assert [r["id"] for r in json.loads(result.output)] == [client_id]


def test_card_json_carries_the_documented_fields(db):
    _, client_id = db
    result = invoke("card", str(client_id), "--json")
    assert result.exit_code == 0, result.output
    card = json.loads(result.output)
    assert card["id"] == client_id
    assert card["full_name"] == "Ёжикова Алёна Сергеевна"
    assert card["phones"] == [
        {"id": card["phones"][0]["id"], "number": "+79123456789", "kind": "mobile", "status": "active",
         "strike_reason": None, "masked": False}
    ]  # fmt: skip
    assert [h["kind"] for h in card["history"]] == ["comment", "status"]  # newest first
    for key in ("at", "kind", "campaign", "result", "reason", "comment", "employee"):
        assert key in card["history"][0]
    assert card["history"][0]["employee"] == "Петров Пётр"
    for key in ("birth_date", "client_type", "products", "changes"):
        assert key in card


def test_global_db_option_is_honoured(db, tmp_path, monkeypatch):
    path, client_id = db
    monkeypatch.setenv("CRM_DB", str(tmp_path / "elsewhere.sqlite3"))
    result = invoke("--db", path, "search", str(client_id), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0]["id"] == client_id


def test_outbox_lists_newest_first(db):
    result = invoke("outbox", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("card", "999999"), "crm: No client with CRM id 999999."),
        (("search", "+7 912"), "crm: '+7 912' is not a valid phone number, CRM id or passport."),
        (("search", "x", "--as", "nobody"), "crm: No active employee with login 'nobody'."),
        (("users", "passwd", "ghost", "--password", "secret"), "crm: No employee with login 'ghost'."),
    ],
)
def test_errors_are_one_line_and_exit_1(db, args, message):
    result = invoke(*args)
    assert result.exit_code == 1
    assert result.output.strip() == message


def test_missing_database_is_one_line(tmp_path):
    target = tmp_path / "absent.sqlite3"
    result = invoke("search", "x", "--db", str(target))
    assert result.exit_code == 1
    assert result.output.strip() == f"crm: No CRM database at {target}: run 'crm demo' or 'crm db upgrade' first."
    assert not target.exists()


def test_unreachable_postgresql_is_one_line():
    result = invoke("search", "x", "--db", "postgresql://nobody@127.0.0.1:1/none")
    assert result.exit_code == 1
    assert result.output.startswith("crm: Cannot reach the database postgresql://nobody@127.0.0.1:1/none")
    assert len(result.output.strip().splitlines()) == 1


def test_users_add_list_disable(db):
    result = invoke("users", "add", "ann", "--name", "Анна Смирнова", "--role", "operator", "--mobile", "89161112233",
                    "--password", "s3cret")  # fmt: skip
    assert result.exit_code == 0, result.output
    listed = json.loads(invoke("users", "list", "--json").output)
    ann = next(u for u in listed if u["login"] == "ann")
    assert ann["mobile"] == "+79161112233" and ann["role"] == "operator" and ann["active"] is True
    assert invoke(
        "users", "add", "ann", "--name", "X", "--mobile", "89161112233", "--password", "abc"
    ).output.strip() == ("crm: Login 'ann' is taken.")
    assert invoke("users", "add", "bob", "--name", "Bob", "--role", "wizard", "--mobile", "89161112234",
                  "--password", "abc").exit_code == 1  # fmt: skip
    assert invoke("users", "disable", "ann").exit_code == 0
    listed = json.loads(invoke("users", "list", "--json").output)
    assert next(u for u in listed if u["login"] == "ann")["active"] is False


def test_masked_search_as_an_operator(db):
    path, client_id = db
    engine = make_engine(path)
    add_employee(engine, "opx", "Оператор Один", "opx", "operator", ["Main desk"], "+79160000002", datetime.now(UTC))
    result = invoke("search", "ежикова", "--json", "--as", "opx")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows[0]["phones"] == ["**89"]  # S5: only the last two digits
    assert "79123456789" not in result.output


def test_script_check_accepts_shipped_scripts_and_rejects_a_broken_one(tmp_path):
    from core.calls.scripts import SCRIPTS_DIR

    shipped = sorted(str(p) for p in SCRIPTS_DIR.glob("*.toml"))
    result = invoke("script", "check", *shipped)
    assert result.exit_code == 0, result.output
    assert result.output.count(": OK") == len(shipped) >= 3
    broken = tmp_path / "broken.toml"
    broken.write_text('name = "x"\nstart = "hello"\n[blocks.hello]\ntext = "Hi"\n'
                      '[[blocks.hello.answers]]\nlabel = "Go"\nnext = "nowhere"\n', encoding="utf-8")  # fmt: skip
    result = invoke("script", "check", str(broken))
    assert result.exit_code == 1
    assert "nowhere" in result.output
    shipped_text = (SCRIPTS_DIR / "cash_loan_preapproved.toml").read_text(encoding="utf-8")
    bad_case = tmp_path / "bad_case.toml"
    bad_case.write_text(shipped_text.replace("{client.first_name:acc}", "{client.first_name:vin}"), encoding="utf-8")
    result = invoke("script", "check", str(bad_case))
    assert result.exit_code == 1
    assert "unknown case 'vin'" in result.output
