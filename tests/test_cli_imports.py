"""`crm import`: the summary and bad lines, --map, and a kill -9 in the middle: no row twice, none missing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from core.clock import FixedClock
from tests.helpers import T0, Crm

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def db(sqlite_store: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    monkeypatch.setenv("CRM_CONFIG", str(tmp_path / "none.toml"))
    return sqlite_store


def rows_file(path: Path, n: int, bad_every: int = 0) -> Path:
    lines = ["Фамилия;Имя;Телефон;Дата рождения"]
    for i in range(n):
        phone = "12345" if bad_every and i % bad_every == 0 else f"8912{i:07d}"
        lines.append(f"Иванов;Иван;{phone};{20000 + i % 9000}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_an_import_prints_its_counts_and_bad_lines(db: str, tmp_path: Path) -> None:
    source = rows_file(tmp_path / "c.csv", 5, bad_every=3)
    result = runner.invoke(app, ["import", str(source), "--db", db])
    assert result.exit_code == 0, result.output
    assert "3 created" in result.output and "2 bad" in result.output
    assert "line 2: Телефон: not a valid phone number." in result.output
    assert "12345" not in result.output.replace("line", "")  # the value is never echoed


def test_map_preview_and_json(db: str, tmp_path: Path) -> None:
    source = tmp_path / "c.csv"
    source.write_text("A,B,C\nPetrov,Petr,+79123456701\n", encoding="utf-8")
    preview = runner.invoke(app, ["import", str(source), "--map", "A=surname,B=first_name", "--map", "#3=phone",
                                  "--preview", "--json", "--db", db])  # fmt: skip
    assert preview.exit_code == 0, preview.output
    assert json.loads(preview.output)["rows"][0]["values"]["surname"] == "Petrov"
    done = runner.invoke(app, ["import", str(source), "--map", "A=surname,B=first_name,#3=phone", "--json", "--db", db])
    assert json.loads(done.output)["created"] == 1
    wrong = runner.invoke(app, ["import", str(source), "--map", "A=nickname", "--db", db])
    assert wrong.exit_code == 1 and "crm: Unknown field 'nickname'" in wrong.output


def test_a_role_without_the_permission_gets_one_line(db: str, tmp_path: Path) -> None:
    crm = Crm(db, FixedClock(T0))
    crm.add_employee("op", role="operator")
    crm.close()
    result = runner.invoke(app, ["import", str(rows_file(tmp_path / "c.csv", 2)), "--as", "op", "--db", db])
    assert result.exit_code == 1 and result.output.strip() == "crm: Your role may not import clients."


def test_a_killed_import_run_again_has_every_row_once(db: str, tmp_path: Path) -> None:
    total = 20_000
    source = rows_file(tmp_path / "big.csv", total)
    env = {**os.environ, "CRM_CONFIG": str(tmp_path / "none.toml")}
    command = [sys.executable, "-m", "cli", "import", str(source), "--db", db]
    child = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    assert child.stderr is not None
    batches = 0
    for line in child.stderr:  # wait for three committed batches, then kill in the middle
        batches += line.startswith("... line")
        if batches == 3:
            break
    child.send_signal(signal.SIGKILL)
    child.wait()
    crm = Crm(db, FixedClock(T0))
    try:
        between = crm.count("client")
        assert 3000 <= between < total
        again = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
        assert again.returncode == 0, again.stderr
        assert crm.count("client") == total == crm.count("phone") == crm.count("import_line")
        assert crm.count("import_job") == 1
    finally:
        crm.close()


def test_the_same_file_again_is_refused_until_again(db: str, tmp_path: Path) -> None:
    source = rows_file(tmp_path / "c.csv", 3)
    assert runner.invoke(app, ["import", str(source), "--db", db]).exit_code == 0
    refused = runner.invoke(app, ["import", str(source), "--db", db])
    assert refused.exit_code == 1, refused.output
    assert "This file was imported on" in refused.output and ": 3 clients. Add --again" in refused.output
    crm = Crm(db, FixedClock(T0))
    try:
        assert crm.count("client") == 3
        again = runner.invoke(app, ["import", str(source), "--again", "--db", db])
        assert again.exit_code == 0 and "3 flagged" in again.output, again.output
        assert crm.count("client") == 6
    finally:
        crm.close()
