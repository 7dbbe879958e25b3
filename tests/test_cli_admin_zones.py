"""`crm admin desk NAME --tz`, `regions`, `region NAME --tz`: IANA zones checked, saved, audited."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from core.clock import FixedClock
from tests.helpers import MAIN_DESK, T0, Crm

runner = CliRunner()


@pytest.fixture
def db(sqlite_store: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    crm = Crm(sqlite_store, FixedClock(T0))
    crm.add_employee("admin", role="admin")
    crm.close()
    monkeypatch.setenv("CRM_CONFIG", str(tmp_path / "none.toml"))
    yield sqlite_store


def invoke(db: str, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["admin", *args, "--db", db])


def test_a_desk_time_zone(db: str) -> None:
    bad = invoke(db, "desk", MAIN_DESK, "--tz", "Mars/Olympus", "--as", "admin")
    assert (bad.exit_code, bad.output.strip()) == (
        1,
        "crm: Unknown time zone 'Mars/Olympus': write an IANA name such as Asia/Omsk.",
    )
    saved = json.loads(invoke(db, "desk", MAIN_DESK, "--tz", "Asia/Omsk", "--json", "--as", "admin").output)
    assert (saved["name"], saved["timezone"], saved["version"]) == (MAIN_DESK, "Asia/Omsk", 2)
    assert invoke(db, "desk", MAIN_DESK).output.strip() == f"{MAIN_DESK}: Asia/Omsk (version 2)"
    audit = json.loads(invoke(db, "audit", "--action", "desk_timezone", "--json").output)
    assert [(a["actor"], a["target"], a["changes"]) for a in audit] == [
        ("admin", MAIN_DESK, [{"field": "timezone", "old": None, "new": "Asia/Omsk"}])
    ]
    cleared = json.loads(invoke(db, "desk", MAIN_DESK, "--tz", "", "--json").output)
    assert (cleared["timezone"], cleared["version"]) == (None, 3)


def test_a_region_time_zone(db: str) -> None:
    regions = json.loads(invoke(db, "regions", "--json").output)
    name = regions[0]["name"]
    saved = json.loads(invoke(db, "region", name, "--tz", "Asia/Yekaterinburg", "--json", "--as", "admin").output)
    assert (saved["timezone"], saved["version"]) == ("Asia/Yekaterinburg", regions[0]["version"] + 1)
    listed = invoke(db, "regions").output
    assert any(line.split()[1:] == ["Asia/Yekaterinburg", *name.split()] for line in listed.splitlines())
    unknown = invoke(db, "region", "Атлантида", "--tz", "Asia/Omsk")
    assert unknown.exit_code == 1 and unknown.output.startswith("crm: Unknown region 'Атлантида'")
