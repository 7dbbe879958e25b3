"""The command line as a newcomer meets it: flags read as flags, every option says what it does,
typos are refused, times carry their offset, the demo prints commands that work from a checkout."""

from __future__ import annotations

import json
import re

import click
import pytest
import typer

from cli import app
from core.console import LocalConsole
from storage.engine import make_engine
from storage.sql_repository import SqlRepository
from tests.test_cli import db, invoke  # noqa: F401 - the fixture

COMMANDS = [[], ["search"], ["card"], ["outbox"], ["demo"], ["serve"], ["users", "add"], ["users", "list"]]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "crm")
def test_help_shows_flags_as_flags_and_explains_every_option(command: list[str]) -> None:
    result = invoke(*command, "--help")
    assert result.exit_code == 0, result.output
    assert "<bool>" not in result.output
    group = typer.main.get_command(app)
    ctx = click.Context(group)
    cmd = group
    for name in command:
        cmd = cmd.get_command(ctx, name)  # type: ignore[attr-defined]
    for param in cmd.params:
        if isinstance(param, click.Option):
            assert param.help, (command, param.name)


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert re.fullmatch(r"crm-console \d+\.\d+\.\d+\S*\n", result.output), result.output


def test_users_add_refuses_an_unknown_desk_and_lists_the_known(db) -> None:  # noqa: F811
    result = invoke("users", "add", "newbie", "--name", "Новиков Н", "--desk", "Mian desk", "--mobile",
                    "+79160000009", "--password", "long-enough-1")  # fmt: skip
    assert result.exit_code == 1
    assert "Unknown desk 'Mian desk'; desks: Main desk." in result.output
    assert invoke("users", "list", "--json").output.count("newbie") == 0


def test_card_prints_times_in_the_operators_zone_with_the_offset(db, monkeypatch) -> None:  # noqa: F811
    _, client_id = db
    monkeypatch.setenv("CRM_TZ", "Asia/Omsk")
    result = invoke("card", str(client_id))
    assert result.exit_code == 0, result.output
    assert "times in Asia/Omsk, with the UTC offset" in result.output
    lines = [line for line in result.output.splitlines() if "comment" in line]
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d\+06:00  comment", lines[0]), lines


def test_outbox_json_says_when_a_queued_sms_goes(db) -> None:  # noqa: F811
    path, client_id = db
    repo = SqlRepository(make_engine(path))
    console = LocalConsole(repo)
    console.act_as(repo.employee_by_login("boss").id)
    console.send_sms(client_id, "callback", number="+79123456789")
    items = json.loads(invoke("outbox", "--json").output)
    assert items and all("send_after" in item for item in items)


def test_demo_prints_commands_that_work_and_a_refusal_prints_one_line(tmp_path) -> None:
    target = tmp_path / "demo.sqlite3"
    built = invoke("demo", "--clients", "5", "--db", str(target))
    assert built.exit_code == 0, built.output
    opened = [line for line in built.output.splitlines() if line.startswith("Open the console:")]
    assert opened and f"--db {target}" in opened[0]
    assert f"--db {target} outbox --limit 1" in built.output
    again = invoke("demo", "--clients", "5", "--db", str(target))
    assert again.exit_code == 1
    lines = again.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("crm: A CRM database with"), again.output  # no progress line


def test_a_database_urls_password_is_never_echoed() -> None:
    result = invoke("search", "x", "--db", "postgresql://crm:Sup3rSecret@127.0.0.1:1/crm")
    assert result.exit_code == 1
    assert "Sup3rSecret" not in result.output and "crm:***@127.0.0.1" in result.output, result.output
