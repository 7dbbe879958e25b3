"""`crm automation …`: rules from options or JSON, `--json` answers, one-line errors naming the part,
and `crm worker --once` firing them."""

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
    new_client(crm.console("boss"), surname="Первов", phones=["+79120000031"])
    crm.add_employee("op", role="operator")
    crm.close()
    monkeypatch.setenv("CRM_CONFIG", str(tmp_path / "none.toml"))
    yield sqlite_store


def crm(db: str, *args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [*args, "--db", db], input=stdin)


def ok(db: str, *args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    result = crm(db, *args, stdin=stdin)
    assert result.exit_code == 0, result.output
    return json.loads(result.output) if "--json" in args else result.output


def test_rules_from_the_command_line(db: str) -> None:
    made = ok(db, "automation", "add", "--name", "VIP", "--when", "tag_added vip", "--where", "surname eq Первов",
              "--then", "tag seen", "--then", "task Call the VIP", "--json")  # fmt: skip
    assert made["trigger"] == {"kind": "tag_added", "value": "vip", "amount": None, "currency": None, "days": None}
    assert [e["kind"] for e in made["effects"]] == ["tag", "task"] and made["enabled"]
    rule_id = str(made["id"])
    assert "VIP" in ok(db, "automation", "list") and "when tag_added vip; then tag, task" in ok(
        db, "automation", "list"
    )
    assert "if surname eq Первов" in ok(db, "automation", "show", rule_id)
    assert ok(db, "automation", "disable", rule_id, "--json")["enabled"] is False
    assert ok(db, "automation", "enable", rule_id, "--json")["enabled"] is True
    edited = ok(db, "automation", "edit", rule_id, "--when", "deposit 100000 RUB", "--json")
    assert edited["trigger"]["amount"] == "100000" and edited["effects"] == made["effects"]
    ok(db, "tags", "add", "1", "vip")
    rule = {
        "name": "From JSON",
        "trigger": {"kind": "tag_added", "value": "vip"},
        "effects": [{"kind": "tag", "tag": "j"}],
    }
    second = ok(db, "automation", "add", "--file", "-", "--json", stdin=json.dumps(rule))
    assert second["name"] == "From JSON"
    ok(db, "tags", "add", "1", "vip2")
    assert ok(db, "automation", "firings", "--json") == []
    ok(db, "automation", "delete", rule_id)
    assert [r["id"] for r in ok(db, "automation", "list", "--json")] == [second["id"]]


def test_a_rule_fires_in_the_worker_and_shows_in_firings(db: str) -> None:
    ok(db, "automation", "add", "--name", "Seen", "--when", "tag_added vip", "--then", "tag seen")
    ok(db, "tags", "add", "1", "vip")
    ok(db, "worker", "--once")
    (firing,) = ok(db, "automation", "firings", "--json")
    assert firing["client_id"] == 1 and firing["summary"] == "Rule 'Seen': tag #seen"


def test_an_email_effect_in_words_and_its_firing(db: str) -> None:
    made = ok(db, "automation", "add", "--name", "Mail", "--when", "tag_added vip", "--then", "email welcome", "--json")
    assert [(e["kind"], e["template"]) for e in made["effects"]] == [("email", "welcome")]
    assert "then email\n" in ok(db, "automation", "show", str(made["id"]))
    ok(db, "tags", "add", "1", "vip")
    ok(db, "worker", "--once")
    (firing,) = ok(db, "automation", "firings", "--json")
    assert firing["summary"] == "Rule 'Mail': e-mail 'welcome' not sent: no e-mail"  # the card has none
    result = crm(db, "automation", "add", "--name", "X", "--when", "tag_added", "--then", "email nope")
    assert result.exit_code == 1 and result.output.strip() == "crm: Unknown e-mail template 'nope'."


def test_errors_are_one_line_naming_the_part(db: str) -> None:
    result = crm(db, "automation", "add", "--name", "X", "--when", "tag_added", "--then", "sms nope")
    assert result.exit_code == 1 and result.output.strip() == "crm: Unknown SMS template 'nope'."
    result = crm(db, "automation", "add", "--name", "X", "--when", "no_contact soon", "--then", "tag a")
    assert result.exit_code == 1 and "no_contact DAYS" in result.output
    result = crm(db, "automation", "list", "--as", "op")
    assert result.exit_code == 1 and "may not manage automation rules" in result.output
