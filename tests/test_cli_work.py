"""`crm actions|views|tags`: JSON answers, conditions as words, one-line errors with exit code 1."""

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
    boss = crm.console("boss")
    new_client(boss, surname="Первов", phones=["+79120000031"])
    new_client(boss, surname="Второв", phones=["+79120000032"])
    crm.add_employee("op", role="operator")
    crm.close()
    monkeypatch.setenv("CRM_CONFIG", str(tmp_path / "none.toml"))
    yield sqlite_store


def crm(db: str, *args: str):  # type: ignore[no-untyped-def]
    result = runner.invoke(app, [*args, "--db", db])
    return result


def ok(db: str, *args: str):  # type: ignore[no-untyped-def]
    result = crm(db, *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output) if "--json" in args else result.output


def test_actions_from_the_command_line(db: str) -> None:
    made = ok(db, "actions", "add", "1", "call", "2020-01-01T10:00:00+00:00", "--comment", "old", "--json")
    assert made["type"] == "call" and made["overdue"]
    ok(db, "actions", "add", "2", "deposit", "2999-01-01T10:00:00+00:00")
    page = ok(db, "actions", "list", "--where", "overdue eq true", "--json")
    assert [a["id"] for a in page["items"]] == [made["id"]]
    assert ok(db, "actions", "list", "--count", "--json") == {"count": 2}
    assert "OVERDUE" in ok(db, "actions", "list")
    assert ok(db, "actions", "done", str(made["id"]), "--json")["done_at"]
    assert ok(db, "actions", "list", "--where", "overdue eq true", "--count").strip() == "0"
    assert [t["code"] for t in ok(db, "actions", "types", "--json")][0] == "call"
    bad = crm(db, "actions", "list", "--where", "passport_number eq 1")
    assert bad.exit_code == 1 and bad.output.startswith("crm: Unknown field") and "Traceback" not in bad.output
    refused = crm(db, "actions", "add", "1", "call", "2020-01-01T10:00:00", "--as", "op")
    assert refused.exit_code == 1 and "time zone" in refused.output


def test_views_and_tags_from_the_command_line(db: str) -> None:
    view = ok(db, "views", "save", "Quiet", "--where", "last_contact_at empty", "--where", "id gt 0", "--json")
    assert [v["name"] for v in ok(db, "views", "list", "--json")] == ["Quiet"]
    assert ok(db, "views", "show", "Quiet", "--count", "--json") == {"count": 2}
    assert [c["full_name"].split()[0] for c in ok(db, "views", "show", str(view["id"]), "--json")["items"]] == [
        "Первов", "Второв",
    ]  # fmt: skip
    assert ok(db, "views", "ids", "Quiet").split() == ["1", "2"]
    assert ok(db, "tags", "view", "Quiet", "#Frozen", "--json") == {"tag": "frozen", "changed": 2}
    assert ok(db, "tags", "add", "1", "vip", "--json") == ["frozen", "vip"]
    assert ok(db, "tags", "remove", "1", "frozen").strip() == "#vip"
    assert {t["name"]: t["clients"] for t in ok(db, "tags", "list", "--json")} == {"frozen": 1, "vip": 1}
    tagged = ok(db, "actions", "list", "--json")
    assert tagged["items"] == []
    ok(db, "views", "delete", "Quiet")
    missing = crm(db, "views", "show", "Quiet")
    assert missing.exit_code == 1 and "No view named" in missing.output
