"""The local administrator of the command line (employee id 0, no employee row): what it writes is
recorded as by nobody (NULL), what is a person's by nature is refused with a clear message."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from core.clients.inputs import PersonalEdit
from core.console import LocalConsole
from core.custody.inputs import HandOver, MergeRequest
from core.errors import PermissionDenied
from core.tasks.inputs import NewTask
from tests.helpers import Crm, new_client

REFUSED = "Sign in as an employee to {what} (on the command line: --as LOGIN)."


@pytest.fixture
def local(crm: Crm) -> Iterator[LocalConsole]:
    console = crm.new_console()
    console.act_as_local_admin()
    yield console


def test_local_admin_writes_are_recorded_as_by_nobody(crm: Crm, local: LocalConsole) -> None:
    card = new_client(local, surname="Локальный", phones=["+79161170001"])
    local.add_comment(card.id, "Пришёл в офис")
    edit = PersonalEdit(surname="Локальнов", first_name=card.first_name, expected_version=card.personal_version)
    local.edit_personal(card.id, edit)
    assert crm.rows("client", id=card.id)[0].responsible_id is None
    entries = crm.rows("contact", client_id=card.id)
    assert [e.result or e.kind for e in entries][:2] == ["created", "comment"]
    assert {e.employee_id for e in entries} == {None}
    assert {c.employee_id for c in crm.rows("contact_change", client_id=card.id)} == {None}
    assert local.open_card(card.id).surname == "Локальнов"


def test_local_admin_is_refused_what_is_a_persons(crm: Crm, local: LocalConsole) -> None:
    crm.add_employee("boss", role="supervisor")
    boss = crm.repo.employee_by_login("boss")
    assert boss is not None
    first = new_client(local, surname="Двойнов", phones=["+79161170002"])
    second = new_client(local, allow_duplicate=True, surname="Двойнов", phones=["+79161170002"])
    attempts = {
        "hand clients over": lambda: local.hand_over(HandOver(to_employee_id=boss.id, client_ids=[first.id])),
        "merge cards": lambda: local.merge_clients(first.id, MergeRequest(merged_id=second.id)),
        "set and work tasks": lambda: local.create_task(
            NewTask(title="Позвонить", assignee_id=boss.id, deadline=crm.clock.now() + timedelta(days=1))
        ),
        "see your own work": lambda: local.my_work(),
    }
    for what, attempt in attempts.items():
        with pytest.raises(PermissionDenied) as refused:
            attempt()
        assert refused.value.message == REFUSED.format(what=what)
    assert crm.count("hand_over") == 0 and crm.count("client_merge") == 0


def test_cli_import_and_card_as_the_local_admin(store: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """`crm import` enters clients as the local administrator on both engines; the card reads them."""
    monkeypatch.setenv("CRM_CONFIG", str(tmp_path / "none.toml"))
    source = tmp_path / "c.csv"
    source.write_text("Фамилия;Имя;Телефон\nИмпортов;Иван;89121110001\n", encoding="utf-8")
    runner = CliRunner()
    imported = runner.invoke(app, ["import", str(source), "--db", store])
    assert imported.exit_code == 0, imported.output
    found = json.loads(runner.invoke(app, ["search", "Импортов", "--json", "--db", store]).output)
    assert [c["full_name"] for c in found] == ["Импортов Иван"]
    card = runner.invoke(app, ["card", str(found[0]["id"]), "--json", "--db", store])
    assert card.exit_code == 0 and json.loads(card.output)["surname"] == "Импортов"
