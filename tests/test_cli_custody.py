"""`crm handover` and `crm duplicates`: JSON answers, and one-line errors with exit code 1."""

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
def db(sqlite_store: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[tuple[str, int, int, int]]:
    """A supervisor, an SME manager, and two cards sharing a phone (the second flagged)."""
    crm = Crm(sqlite_store, FixedClock(T0))
    office = crm.console("olga", role="office")
    crm.add_employee("boss", role="supervisor")
    crm.add_employee("sam", role="sme")
    first = new_client(office, surname="Клишин", phones=["+79161160001"])
    second = new_client(office, allow_duplicate=True, surname="Клишин", first_name="Пётр", phones=["+79161160001"])
    other = new_client(office, surname="Отдельный", phones=["+79161160002"])
    crm.close()
    monkeypatch.setenv("CRM_CONFIG", str(tmp_path / "none.toml"))
    yield sqlite_store, first.id, second.id, other.id


def invoke(db: str, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [*args, "--db", db])


def test_list_compare_and_merge_duplicates(db: tuple[str, int, int, int]) -> None:
    target, first, second, _ = db
    listed = json.loads(invoke(target, "duplicates", "list", "--json").output)
    assert [(g["card"]["id"], [m["id"] for m in g["matches"]]) for g in listed] == [(second, [first])]
    compared = invoke(target, "duplicates", "compare", str(first), str(second))
    assert compared.exit_code == 0 and "* first_name" in compared.output
    refused = invoke(target, "duplicates", "merge", str(first), str(second))
    assert (refused.exit_code, refused.output.strip()) == (
        1,
        "crm: this is recorded under an employee: pass --as LOGIN",
    )
    wrong = invoke(target, "duplicates", "merge", str(first), str(second), "--keep", "phones", "--as", "boss")
    assert wrong.exit_code == 1 and wrong.output.startswith("crm: --keep takes one of: surname,")
    merged = invoke(
        target, "duplicates", "merge", str(first), str(second), "--keep", "first_name", "--as", "boss", "--json"
    )
    assert merged.exit_code == 0, merged.output
    assert json.loads(merged.output)["card"]["first_name"] == "Пётр"
    card = json.loads(invoke(target, "card", str(second), "--json").output)
    assert card["id"] == first  # the merged-away id opens the survivor
    assert json.loads(invoke(target, "duplicates", "list", "--json").output) == []


def test_hand_over_by_ids_and_by_search(db: tuple[str, int, int, int]) -> None:
    target, first, second, other = db
    managers = json.loads(invoke(target, "handover", "managers", "--as", "boss", "--json").output)
    assert {"sam", "olga", "boss"} <= {m["login"] for m in managers}
    given = invoke(target, "handover", "give", str(other), "--to", "sam", "--as", "boss", "--json")
    assert given.exit_code == 0, given.output
    assert json.loads(given.output)["clients"] == [
        {"client_id": other, "from_employee": "Olga Testov", "desk": "Main desk"}
    ]
    by_search = invoke(target, "handover", "give", "--query", "клишин", "--to", "sam", "--as", "boss")
    assert by_search.exit_code == 0 and "Handed over: 2." in by_search.output
    unknown = invoke(target, "handover", "give", str(first), "--to", "nobody", "--as", "boss")
    assert (unknown.exit_code, unknown.output.strip()) == (1, "crm: No manager with login 'nobody' on your desks.")
    operator = invoke(target, "handover", "give", str(first), "--to", "sam", "--as", "olga")
    assert (operator.exit_code, operator.output.strip()) == (1, "crm: Your role may not hand clients over.")
    card = json.loads(invoke(target, "card", str(first), "--json").output)
    assert [h["result"] for h in card["history"]][:1] == ["handed_over"]
