"""`crm campaigns`: create with a checked script, edit (a new script version), pause, add, recycle."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from core.clock import FixedClock
from tests.call_world import SCRIPTS, add_member, client, set_dnd
from tests.helpers import T0, Crm

runner = CliRunner()


@pytest.fixture
def db(sqlite_store: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    monkeypatch.setenv("CRM_CONFIG", str(tmp_path / "none.toml"))
    return sqlite_store


def crm_(db: str, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["campaigns", *args, "--db", db])


def test_the_campaign_commands(db: str, tmp_path: Path) -> None:
    script = tmp_path / "s.toml"
    script.write_text(SCRIPTS["halva_cross_sell"], encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text("[broken", encoding="utf-8")
    refused = crm_(db, "create", "spring", "--script", str(bad))
    assert refused.exit_code == 1 and refused.output.startswith("crm: The script has problems")
    made = crm_(db, "create", "spring", "--name", "Spring", "--script", str(script), "--hours", "10:00-18:00",
                "--max-attempts", "3", "--json")  # fmt: skip
    assert made.exit_code == 0, made.output
    assert json.loads(made.output)["script_version"] == 1
    script.write_text(SCRIPTS["halva_cross_sell"] + "\n# second\n", encoding="utf-8")
    edited = json.loads(crm_(db, "edit", "spring", "--script", str(script), "--priority", "3", "--json").output)
    assert (edited["script_version"], edited["priority"], edited["max_attempts"], edited["call_start"]) == (
        2, 3, 3, "10:00")  # fmt: skip
    assert json.loads(crm_(db, "pause", "spring", "--json").output)["active"] is False
    assert json.loads(crm_(db, "resume", "spring", "--json").output)["active"] is True
    crm = Crm(db, FixedClock(T0))
    boss = crm.console("boss")
    ok, dnd = client(boss).id, client(boss).id
    set_dnd(crm, dnd)
    assert json.loads(crm_(db, "add", "spring", str(ok), str(dnd), "--json").output) == {"added": 1}
    campaign_id = edited["id"]
    other = client(boss).id
    add_member(crm, campaign_id, other, state="exhausted", attempts=3)
    assert json.loads(crm_(db, "recycle", "spring", "--delay", "30", "--json").output) == {"recycled": 1}
    listed = json.loads(crm_(db, "list", "--json").output)
    assert [(c["code"], c["members"]) for c in listed] == [("spring", 2)]
    assert json.loads(crm_(db, "remove", "spring", str(ok), "--json").output) == {"removed": 1}
    crm.close()
    missing = crm_(db, "pause", "nope")
    assert missing.exit_code == 1 and missing.output.strip() == "crm: No campaign 'nope'."
